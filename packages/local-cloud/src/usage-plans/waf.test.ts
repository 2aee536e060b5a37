import { describe, expect, it } from 'vitest';
import { UnsupportedWafFeatureError } from './errors.js';
import { evaluateWebAcl, parseWebAcl, SlidingWindow, verdictOf, type WafRequest } from './waf.js';

const IDS = { id: 'acl-1', arn: 'arn:aws:wafv2:us-east-1:000000000000:regional/webacl/signup/acl-1' };

function aclProps(statement: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    Name: 'signup',
    Scope: 'REGIONAL',
    DefaultAction: { Allow: {} },
    VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: 'signup' },
    CustomResponseBodies: {
      tooMany: { ContentType: 'APPLICATION_JSON', Content: '{"message":"Too Many Requests"}' },
    },
    Rules: [
      {
        Name: 'signup-rate',
        Priority: 0,
        Statement: statement,
        Action: { Block: { CustomResponse: { ResponseCode: 429, CustomResponseBodyKey: 'tooMany' } } },
        VisibilityConfig: {
          SampledRequestsEnabled: true,
          CloudWatchMetricsEnabled: true,
          MetricName: 'rate',
        },
      },
    ],
    ...extra,
  };
}

const rateStatement = {
  RateBasedStatement: {
    Limit: 10,
    AggregateKeyType: 'IP',
    EvaluationWindowSec: 60,
    ScopeDownStatement: {
      ByteMatchStatement: {
        FieldToMatch: { UriPath: {} },
        PositionalConstraint: 'STARTS_WITH',
        SearchString: '/dev/registrations',
        TextTransformations: [{ Priority: 0, Type: 'LOWERCASE' }],
      },
    },
  },
};

function request(path: string, sourceIp = '10.0.0.1'): WafRequest {
  return { method: 'POST', uriPaths: [path], query: '', headers: {}, sourceIp };
}

describe('WAF web ACL', () => {
  it('blocks an address past the limit with the custom response while another address passes', () => {
    const acl = parseWebAcl(aclProps(rateStatement), IDS, 'Acl');
    const outcomes = Array.from({ length: 11 }, () =>
      evaluateWebAcl(acl, request('/dev/Registrations'), 1000),
    );
    expect(outcomes.slice(0, 10).every((o) => o.kind === 'allow')).toBe(true);
    expect(verdictOf(outcomes[10] as never)).toEqual({
      statusCode: 429,
      body: '{"message":"Too Many Requests"}',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(evaluateWebAcl(acl, request('/dev/registrations', '10.0.0.2'), 1000).kind).toBe('allow');
    expect(evaluateWebAcl(acl, request('/dev/products'), 1000).kind).toBe('allow');
  });

  it('lets the address through again once the window has passed', () => {
    const acl = parseWebAcl(aclProps(rateStatement), IDS, 'Acl');
    for (let i = 0; i < 11; i++) evaluateWebAcl(acl, request('/dev/registrations'), 0);
    expect(evaluateWebAcl(acl, request('/dev/registrations'), 59_000).kind).toBe('block');
    expect(evaluateWebAcl(acl, request('/dev/registrations'), 61_000).kind).toBe('allow');
  });

  it('names a statement it cannot evaluate', () => {
    const geo = { GeoMatchStatement: { CountryCodes: ['US'] } };
    expect(() => parseWebAcl(aclProps(geo), IDS, 'Acl')).toThrow(UnsupportedWafFeatureError);
    expect(() => parseWebAcl(aclProps(geo), IDS, 'Acl')).toThrow(/GeoMatchStatement/);
  });

  it('refuses a CLOUDFRONT web ACL and a window AWS does not offer', () => {
    expect(() => parseWebAcl(aclProps(rateStatement, { Scope: 'CLOUDFRONT' }), IDS, 'Acl')).toThrow(
      /REGIONAL/,
    );
    const badWindow = {
      RateBasedStatement: { ...rateStatement.RateBasedStatement, EvaluationWindowSec: 30 },
    };
    expect(() => parseWebAcl(aclProps(badWindow), IDS, 'Acl')).toThrow(/EvaluationWindowSec/);
  });

  it('answers WAF_FILTERED for a Block without a custom response', () => {
    expect(verdictOf({ kind: 'block' })).toEqual({ responseType: 'WAF_FILTERED' });
  });
});

describe('SlidingWindow', () => {
  it('counts only the requests of the last window', () => {
    const window = new SlidingWindow(60);
    window.add(0);
    window.add(30_000);
    expect(window.add(59_999)).toBe(3);
    expect(window.total(60_000)).toBe(2);
    expect(window.total(90_000)).toBe(1);
    expect(window.idle(120_000)).toBe(true);
  });
});
