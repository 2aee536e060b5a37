import { describe, expect, it } from 'vitest';
import { functionArn, parseFunctionTarget } from './arn.js';

describe('parseFunctionTarget', () => {
  it.each([
    ['getProduct', { functionName: 'getProduct', qualifier: undefined }],
    ['getProduct:1', { functionName: 'getProduct', qualifier: '1' }],
    ['getProduct:$LATEST', { functionName: 'getProduct', qualifier: '$LATEST' }],
    ['000000000000:function:getProduct', { functionName: 'getProduct', qualifier: undefined }],
    ['000000000000:function:getProduct:live', { functionName: 'getProduct', qualifier: 'live' }],
    [
      'arn:aws:lambda:us-east-1:000000000000:function:svc-dev-getProduct',
      { functionName: 'svc-dev-getProduct', qualifier: undefined },
    ],
    [
      'arn:aws:lambda:eu-west-1:000000000000:function:getProduct:7',
      { functionName: 'getProduct', qualifier: '7' },
    ],
    [
      'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:getProduct/invocations',
      { functionName: 'getProduct', qualifier: undefined },
    ],
    [
      'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3AgetProduct%3A2/invocations',
      { functionName: 'getProduct', qualifier: '2' },
    ],
  ])('reads %s', (reference, expected) => {
    expect(parseFunctionTarget(reference)).toEqual(expected);
  });

  it.each([
    [''],
    ['has space'],
    ['a:b:c'],
    ['arn:aws:s3:::bucket'],
    ['arn:aws:lambda:us-east-1:000000000000:layer:x'],
    ['getProduct:bad qualifier'],
  ])('rejects %j', (reference) => {
    expect(parseFunctionTarget(reference)).toBeUndefined();
  });
});

describe('functionArn', () => {
  it('builds unqualified and qualified ARNs', () => {
    expect(functionArn('us-east-1', '000000000000', 'hello')).toBe(
      'arn:aws:lambda:us-east-1:000000000000:function:hello',
    );
    expect(functionArn('us-east-1', '000000000000', 'hello', '3')).toBe(
      'arn:aws:lambda:us-east-1:000000000000:function:hello:3',
    );
  });
});
