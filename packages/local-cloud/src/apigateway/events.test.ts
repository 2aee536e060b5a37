import { describe, expect, it } from 'vitest';
import { formatRequestTime, parseQuery } from './events.js';

describe('query string parsing', () => {
  it('is null for an empty query', () => {
    expect(parseQuery('')).toEqual({ query: null, multiQuery: null });
    expect(parseQuery('&')).toEqual({ query: null, multiQuery: null });
  });

  it('keeps the last value in queryStringParameters and all of them in the multi-value map', () => {
    expect(parseQuery('a=1&a=2&b=x%20y&flag&c=a+b')).toEqual({
      query: { a: '2', b: 'x y', flag: '', c: 'a+b' },
      multiQuery: { a: ['1', '2'], b: ['x y'], flag: [''], c: ['a+b'] },
    });
  });

  it('leaves a malformed escape as sent', () => {
    expect(parseQuery('q=%E0%A4%A')?.query).toEqual({ q: '%E0%A4%A' });
  });
});

describe('request time', () => {
  it('formats like API Gateway', () => {
    expect(formatRequestTime(Date.UTC(2015, 3, 9, 2, 4, 6))).toBe('09/Apr/2015:02:04:06 +0000');
  });
});
