import { describe, expect, it } from 'vitest';
import { parseProxyResponse, renderTemplate } from './responses.js';

describe('Lambda proxy response mapping', () => {
  it('accepts a numeric-string status and a missing body', () => {
    expect(parseProxyResponse({ statusCode: '201' })).toEqual({ statusCode: 201, headers: {}, body: '' });
  });

  it('merges multiValueHeaders with headers, multi-value entries winning', () => {
    const response = parseProxyResponse({
      statusCode: 200,
      headers: { 'X-A': 'a', 'x-b': 'single', 'X-N': 3 },
      multiValueHeaders: { 'X-B': ['1', '2'] },
      body: 'ok',
    });
    expect(response?.headers).toEqual({ 'X-A': 'a', 'X-B': ['1', '2'], 'X-N': '3' });
  });

  it('drops hop-by-hop headers the emulator computes itself', () => {
    expect(
      parseProxyResponse({ statusCode: 200, headers: { 'Content-Length': '999', Connection: 'close' } })
        ?.headers,
    ).toEqual({});
  });

  it('decodes a base64 body', () => {
    expect(parseProxyResponse({ statusCode: 200, body: 'aGk=', isBase64Encoded: true })?.body).toEqual(
      Buffer.from('hi'),
    );
  });

  it('rejects malformed results', () => {
    for (const payload of [
      null,
      [],
      'text',
      {},
      { statusCode: 'ok' },
      { statusCode: 99 },
      { statusCode: 200, body: 1 },
      { statusCode: 200, headers: { a: { b: 1 } } },
      { statusCode: 200, multiValueHeaders: { a: 'not-a-list' } },
      { statusCode: 200, isBase64Encoded: 'yes' },
      { statusCode: 200, cookies: ['a=1'] },
    ]) {
      expect(parseProxyResponse(payload)).toBeUndefined();
    }
  });
});

describe('gateway response templates', () => {
  it('substitutes $context and $stageVariables references, quoted or braced', () => {
    const out = renderTemplate(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: VTL's ${...} syntax, not a JavaScript template
      '{"message":$context.error.messageString,"id":"${context.requestId}","env":"$stageVariables.env","x":"$context.missing"}',
      { error: { messageString: '"Unauthorized"' }, requestId: 'r-1' },
      { env: 'dev' },
    );
    expect(JSON.parse(out)).toEqual({ message: 'Unauthorized', id: 'r-1', env: 'dev', x: '' });
  });
});
