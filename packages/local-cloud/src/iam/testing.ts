/** Helpers for tests of the IAM model: roles recorded as the CloudFormation provider records them. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpHandler, ProviderContext } from '../types.js';
import { type IamStore, iamProviders } from './providers.js';

export const LAMBDA_TRUST = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com'] }, Action: 'sts:AssumeRole' },
  ],
};

/** Creates a role through the AWS::IAM::Role provider; returns its ARN. */
export async function createRole(
  store: IamStore,
  roleName: string,
  statements: object[],
  trust: unknown = LAMBDA_TRUST,
  accountId = '000000000000',
): Promise<string> {
  const ctx = { stackName: 'test', accountId, region: 'us-east-1' } as ProviderContext;
  const result = await iamProviders(store)['AWS::IAM::Role']?.create(ctx, roleName, {
    RoleName: roleName,
    AssumeRolePolicyDocument: trust,
    Policies: [{ PolicyName: 'main', PolicyDocument: { Version: '2012-10-17', Statement: statements } }],
  });
  return result?.attributes?.Arn as string;
}

/** Serves a handler on 127.0.0.1 at a free port. */
export async function serve(handler: HttpHandler): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    Promise.resolve(handler(req, res)).catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
