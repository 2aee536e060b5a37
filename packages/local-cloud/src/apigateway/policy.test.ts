import { describe, expect, it } from 'vitest';
import { evaluatePolicy, parsePolicy } from './policy.js';

const ARN = 'arn:aws:execute-api:us-east-1:000000000000:abc1234567/dev/GET/products/p-1';

function decide(statements: unknown): string {
  const policy = parsePolicy({ Version: '2012-10-17', Statement: statements });
  if (!policy) throw new Error('malformed');
  return evaluatePolicy(policy, ARN);
}

describe('policy evaluation', () => {
  it('allows when a statement covers the action and the method ARN', () => {
    expect(decide([{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: ARN }])).toBe('allow');
  });

  it('lets * span slashes and ? match exactly one character', () => {
    const base = 'arn:aws:execute-api:us-east-1:000000000000:abc1234567';
    expect(decide([{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: `${base}/dev/*` }])).toBe(
      'allow',
    );
    expect(
      decide([{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: `${base}/dev/GET/products/p-?` }]),
    ).toBe('allow');
    expect(
      decide([{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: `${base}/dev/GET/products/p-??` }]),
    ).toBe('none');
    expect(decide([{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: `${base}/prod/*` }])).toBe(
      'none',
    );
  });

  it('treats dots and other regex characters in patterns literally', () => {
    expect(
      decide([{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: ARN.replace('p-1', 'p.1') }]),
    ).toBe('none');
  });

  it('accepts *, execute-api:* and a case-insensitive action', () => {
    for (const Action of [
      '*',
      'execute-api:*',
      'EXECUTE-API:invoke',
      ['s3:GetObject', 'execute-api:Invoke'],
    ]) {
      expect(decide([{ Effect: 'Allow', Action, Resource: '*' }])).toBe('allow');
    }
    expect(decide([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }])).toBe('none');
  });

  it('lets an explicit Deny win over any Allow', () => {
    expect(
      decide([
        { Effect: 'Allow', Action: '*', Resource: '*' },
        {
          Effect: 'Deny',
          Action: 'execute-api:Invoke',
          Resource: ['arn:aws:execute-api:*:*:*/*/GET/products/*'],
        },
      ]),
    ).toBe('deny');
  });

  it('honours NotResource and NotAction', () => {
    expect(decide([{ Effect: 'Allow', Action: '*', NotResource: ARN }])).toBe('none');
    expect(decide([{ Effect: 'Allow', NotAction: 's3:*', Resource: '*' }])).toBe('allow');
  });

  it('accepts a single statement object', () => {
    const policy = parsePolicy({ Statement: { Effect: 'Allow', Action: '*', Resource: '*' } });
    expect(policy && evaluatePolicy(policy, ARN)).toBe('allow');
  });

  it('rejects malformed documents', () => {
    for (const document of [
      undefined,
      'Allow',
      { Statement: 'x' },
      { Statement: [{ Effect: 'Maybe', Action: '*', Resource: '*' }] },
      { Statement: [{ Effect: 'Allow', Resource: '*' }] },
      { Statement: [{ Effect: 'Allow', Action: '*' }] },
      { Statement: [{ Effect: 'Allow', Action: [], Resource: '*' }] },
      { Statement: [{ Effect: 'Allow', Action: '*', Resource: 42 }] },
    ]) {
      expect(parsePolicy(document)).toBeUndefined();
    }
  });
});
