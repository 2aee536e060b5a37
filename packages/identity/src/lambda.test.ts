import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { JwksUnavailableError, UnauthorizedError } from './errors.js';
import { toLambdaAuthorizer } from './lambda.js';

const event = {
  type: 'REQUEST',
  methodArn: 'arn:aws:execute-api:us-east-1:123456789012:api/dev/GET/orders/o-1',
  headers: { Authorization: 'Bearer a.b.c' },
} as unknown as APIGatewayRequestAuthorizerEvent;

describe('toLambdaAuthorizer', () => {
  it('passes the method ARN and headers on and returns the policy', async () => {
    const authorize = vi.fn(async () => ({
      principalId: 'u',
      policyDocument: { Version: '2012-10-17', Statement: [] },
    }));
    await expect(toLambdaAuthorizer(authorize)(event)).resolves.toMatchObject({ principalId: 'u' });
    expect(authorize).toHaveBeenCalledWith({ methodArn: event.methodArn, headers: event.headers });
  });

  it('fails with exactly Unauthorized (401) for a rejected token', async () => {
    const handler = toLambdaAuthorizer(async () => {
      throw new UnauthorizedError();
    });
    await expect(handler(event)).rejects.toThrow(/^Unauthorized$/);
  });

  it('fails with a 500, not a 401, when it cannot reach keys, registry or pool', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const handler = toLambdaAuthorizer(async () => {
      throw new JwksUnavailableError({ cause: new Error('connect ECONNREFUSED secret-host') });
    });
    await expect(handler(event)).rejects.toThrow(/^Authorizer unavailable$/);
    expect(String(error.mock.calls[0]?.[0])).not.toContain('secret-host');
    error.mockRestore();
  });
});
