import { describe, expect, it } from 'vitest';
import { createClock } from '../clock.js';
import type { ProviderContext } from '../types.js';
import { createCredentialsRegistry, ROOT_CREDENTIALS } from './credentials.js';
import { CredentialsError, RoleAssumptionError } from './errors.js';
import { createIamStore, iamProviders } from './providers.js';
import { createRole } from './testing.js';

async function setup() {
  const clock = createClock();
  const roles = createIamStore();
  const credentials = createCredentialsRegistry({ clock, roles, accountId: '000000000000' });
  const roleArn = await createRole(roles, 'fn-role', []);
  return { clock, roles, credentials, roleArn };
}

describe('credentials registry', () => {
  it('issues alphanumeric ASIA access keys that look up to the role session', async () => {
    const { credentials, roleArn } = await setup();
    const issued = credentials.credentialsForRole(roleArn, { sessionName: 'getProduct' });
    expect(issued.accessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(credentials.lookup(issued.accessKeyId)).toMatchObject({
      kind: 'role',
      roleArn,
      arn: 'arn:aws:sts::000000000000:assumed-role/fn-role/getProduct',
      expiration: issued.expiration,
    });
  });

  it('knows the root key and nothing else', async () => {
    const { credentials } = await setup();
    expect(credentials.lookup(ROOT_CREDENTIALS.accessKeyId)).toEqual({
      kind: 'root',
      arn: 'arn:aws:iam::000000000000:root',
    });
    expect(credentials.lookup('AKIAOTHER')).toBeUndefined();
  });

  it('expires a session by the local clock', async () => {
    const { credentials, roleArn, clock } = await setup();
    const issued = credentials.credentialsForRole(roleArn, { durationSeconds: 3600 });
    clock.advance(3599_000);
    expect(credentials.authenticate(issued.accessKeyId, issued.sessionToken).kind).toBe('role');
    clock.advance(1_000);
    expect(() => credentials.authenticate(issued.accessKeyId, issued.sessionToken)).toThrow(
      new CredentialsError('ExpiredTokenException', 'The security token included in the request is expired'),
    );
  });

  it('checks the trust policy for a service principal', async () => {
    const { credentials, roleArn } = await setup();
    expect(() =>
      credentials.credentialsForRole(roleArn, { servicePrincipal: 'lambda.amazonaws.com' }),
    ).not.toThrow();
    expect(() =>
      credentials.credentialsForRole(roleArn, { servicePrincipal: 'states.amazonaws.com' }),
    ).toThrow(RoleAssumptionError);
  });

  it('refuses an unknown role and a malformed session policy', async () => {
    const { credentials, roleArn } = await setup();
    expect(() => credentials.credentialsForRole('arn:aws:iam::000000000000:role/none')).toThrow(
      RoleAssumptionError,
    );
    expect(() => credentials.credentialsForRole(roleArn, { sessionPolicy: '{"Statement": [' })).toThrow(
      'The policy is not in the valid JSON format.',
    );
  });
});

describe('IAM providers', () => {
  const ctx = { stackName: 's', accountId: '000000000000', region: 'us-east-1' } as ProviderContext;

  it('fails to create a role whose policy IAM would reject', async () => {
    const store = createIamStore();
    await expect(
      iamProviders(store)['AWS::IAM::Role']?.create(ctx, 'R', {
        RoleName: 'r',
        AssumeRolePolicyDocument: { Statement: [] },
        Policies: [
          {
            PolicyName: 'p',
            PolicyDocument: { Statement: [{ Effect: 'Permit', Action: '*', Resource: '*' }] },
          },
        ],
      }),
    ).rejects.toThrow(/policy p of r: Effect must be Allow or Deny/);
    expect(store.roles.size).toBe(0);
  });

  it('records the role id and MaxSessionDuration', async () => {
    const store = createIamStore();
    const result = await iamProviders(store)['AWS::IAM::Role']?.create(ctx, 'R', {
      RoleName: 'r',
      AssumeRolePolicyDocument: { Statement: [] },
      MaxSessionDuration: 7200,
    });
    expect(store.roles.get('r')).toMatchObject({
      roleId: result?.attributes?.RoleId,
      maxSessionDuration: 7200,
    });
  });
});
