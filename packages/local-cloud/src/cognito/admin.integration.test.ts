import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  type AdminCreateUserCommandInput,
  AdminDeleteUserAttributesCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminResetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  type CreateUserPoolCommandInput,
  DeleteGroupCommand,
  DeleteUserPoolClientCommand,
  DeleteUserPoolCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  GetGroupCommand,
  InitiateAuthCommand,
  ListUserPoolsCommand,
  ListUsersCommand,
  ListUsersInGroupCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, REGION, startEmulator } from './testing.js';

let h: Harness;
const TEMP = 'Temp#Pass1';

async function pool(input: Partial<CreateUserPoolCommandInput> = {}): Promise<string> {
  const out = await h.sdk.send(new CreateUserPoolCommand({ PoolName: 'admin-tests', ...input }));
  return out.UserPool?.Id as string;
}

async function client(userPoolId: string): Promise<string> {
  const out = await h.sdk.send(
    new CreateUserPoolClientCommand({
      UserPoolId: userPoolId,
      ClientName: 'web',
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }),
  );
  return out.UserPoolClient?.ClientId as string;
}

const createUser = (input: AdminCreateUserCommandInput) =>
  h.sdk.send(new AdminCreateUserCommand({ MessageAction: 'SUPPRESS', TemporaryPassword: TEMP, ...input }));

beforeAll(async () => {
  h = await startEmulator();
});

afterAll(async () => {
  await h.close();
});

describe('user pools and app clients', () => {
  it('creates pools and clients with AWS-shaped ids, ARNs and schema', async () => {
    const id = await pool({ Schema: [{ Name: 'tenantId', AttributeDataType: 'String', Mutable: false }] });
    expect(id).toMatch(new RegExp(`^${REGION}_[A-Za-z0-9]{9}$`));
    const { UserPool } = await h.sdk.send(new DescribeUserPoolCommand({ UserPoolId: id }));
    expect(UserPool?.Arn).toBe(`arn:aws:cognito-idp:${REGION}:000000000000:userpool/${id}`);
    expect(UserPool?.SchemaAttributes).toContainEqual(
      expect.objectContaining({ Name: 'custom:tenantId', Mutable: false }),
    );
    expect(UserPool?.Policies?.PasswordPolicy).toMatchObject({
      MinimumLength: 8,
      TemporaryPasswordValidityDays: 7,
    });
    expect(UserPool?.CreationDate).toBeInstanceOf(Date);
    const clientId = await client(id);
    expect(clientId).toMatch(/^[a-z0-9]{26}$/);
    const described = await h.sdk.send(
      new DescribeUserPoolClientCommand({ UserPoolId: id, ClientId: clientId }),
    );
    expect(described.UserPoolClient?.ExplicitAuthFlows).toEqual([
      'ALLOW_USER_PASSWORD_AUTH',
      'ALLOW_REFRESH_TOKEN_AUTH',
    ]);
    await h.sdk.send(new DeleteUserPoolClientCommand({ UserPoolId: id, ClientId: clientId }));
    await expect(
      h.sdk.send(new DescribeUserPoolClientCommand({ UserPoolId: id, ClientId: clientId })),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });

  it('pages ListUserPools with MaxResults and NextToken', async () => {
    const local = await startEmulator();
    try {
      for (let i = 0; i < 3; i++) await local.sdk.send(new CreateUserPoolCommand({ PoolName: `p${i}` }));
      const first = await local.sdk.send(new ListUserPoolsCommand({ MaxResults: 2 }));
      expect(first.UserPools).toHaveLength(2);
      const second = await local.sdk.send(
        new ListUserPoolsCommand({ MaxResults: 2, NextToken: first.NextToken }),
      );
      expect(second.UserPools).toHaveLength(1);
      expect(second.NextToken).toBeUndefined();
    } finally {
      await local.close();
    }
  });

  it('refuses to delete a pool with deletion protection and deletes an unprotected one', async () => {
    const protectedPool = await pool({ DeletionProtection: 'ACTIVE' });
    await expect(h.sdk.send(new DeleteUserPoolCommand({ UserPoolId: protectedPool }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
    const id = await pool();
    await h.sdk.send(new DeleteUserPoolCommand({ UserPoolId: id }));
    await expect(h.sdk.send(new DescribeUserPoolCommand({ UserPoolId: id }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: `User pool ${id} does not exist.`,
    });
  });

  it('refuses Lambda triggers and MFA instead of ignoring them', async () => {
    await expect(
      pool({ LambdaConfig: { PreSignUp: 'arn:aws:lambda:us-east-1:000000000000:function:x' } }),
    ).rejects.toThrow(/LambdaConfig/);
    await expect(pool({ MfaConfiguration: 'ON' })).rejects.toThrow(/MfaConfiguration/);
  });

  it('answers an unsupported operation with a 400 naming it', async () => {
    const id = await pool();
    await expect(
      h.sdk.send(new AdminResetUserPasswordCommand({ UserPoolId: id, Username: 'x' })),
    ).rejects.toMatchObject({
      name: 'UnsupportedOperationException',
      message: 'The local Cognito emulator does not support the AdminResetUserPassword operation',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('answers errors in the AWS JSON 1.1 shape', async () => {
    const response = await fetch(h.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityProviderService.DescribeUserPool',
      },
      body: JSON.stringify({ UserPoolId: `${REGION}_missing00` }),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException');
    expect(await response.json()).toEqual({
      __type: 'ResourceNotFoundException',
      message: `User pool ${REGION}_missing00 does not exist.`,
    });
  });
});

describe('AdminCreateUser', () => {
  it('refuses an existing username with "User account already exists"', async () => {
    const id = await pool();
    await createUser({ UserPoolId: id, Username: 'ann' });
    await expect(createUser({ UserPoolId: id, Username: 'ann' })).rejects.toMatchObject({
      name: 'UsernameExistsException',
      message: 'User account already exists',
    });
  });

  it('gives an e-mail-username pool a UUID username equal to sub and accepts the e-mail as Username', async () => {
    const id = await pool({ UsernameAttributes: ['email'] });
    const { User } = await createUser({ UserPoolId: id, Username: 'ann@example.com' });
    const sub = User?.Attributes?.find((a) => a.Name === 'sub')?.Value;
    expect(User?.Username).toMatch(/^[0-9a-f-]{36}$/);
    expect(User?.Username).toBe(sub);
    expect(User?.UserStatus).toBe('FORCE_CHANGE_PASSWORD');
    expect(User?.Enabled).toBe(true);
    const got = await h.sdk.send(new AdminGetUserCommand({ UserPoolId: id, Username: 'ann@example.com' }));
    expect(got.Username).toBe(sub);
    expect(got.UserAttributes).toContainEqual({ Name: 'email', Value: 'ann@example.com' });
    await expect(createUser({ UserPoolId: id, Username: 'not-an-email' })).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
  });

  it('keeps e-mail addresses unique in a pool that signs in with them', async () => {
    const id = await pool({ UsernameAttributes: ['email'] });
    await createUser({ UserPoolId: id, Username: 'ann@example.com' });
    await expect(createUser({ UserPoolId: id, Username: 'ann@example.com' })).rejects.toMatchObject({
      name: 'UsernameExistsException',
      message: 'An account with the given email already exists.',
    });
    await createUser({ UserPoolId: id, Username: 'bob@example.com' });
    await expect(
      h.sdk.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: id,
          Username: 'bob@example.com',
          UserAttributes: [{ Name: 'email', Value: 'ann@example.com' }],
        }),
      ),
    ).rejects.toMatchObject({
      name: 'AliasExistsException',
      message: 'An account with the given email already exists.',
    });
  });

  it('keeps verified e-mail aliases unique and signs in with one', async () => {
    const id = await pool({ AliasAttributes: ['email'] });
    const clientId = await client(id);
    const verified = [
      { Name: 'email', Value: 'ann@example.com' },
      { Name: 'email_verified', Value: 'true' },
    ];
    await expect(createUser({ UserPoolId: id, Username: 'ann@example.com' })).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
    await createUser({ UserPoolId: id, Username: 'ann', UserAttributes: verified });
    await expect(
      createUser({ UserPoolId: id, Username: 'ann2', UserAttributes: verified }),
    ).rejects.toMatchObject({
      name: 'AliasExistsException',
      message: 'An account with the given email already exists.',
    });
    const challenge = await h.sdk.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'ann@example.com', PASSWORD: TEMP },
      }),
    );
    expect(challenge.ChallengeParameters?.USER_ID_FOR_SRP).toBe('ann');
  });

  it('accepts only custom attributes declared in the schema', async () => {
    const id = await pool({ Schema: [{ Name: 'tenantId', AttributeDataType: 'String' }] });
    await expect(
      createUser({
        UserPoolId: id,
        Username: 'ann',
        UserAttributes: [{ Name: 'custom:undeclared', Value: 'x' }],
      }),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringContaining('custom:undeclared'),
    });
    const { User } = await createUser({
      UserPoolId: id,
      Username: 'bob',
      UserAttributes: [{ Name: 'custom:tenantId', Value: 't1' }],
    });
    expect(User?.Attributes).toContainEqual({ Name: 'custom:tenantId', Value: 't1' });
  });

  it('sets an immutable attribute at creation but never changes it afterwards', async () => {
    const id = await pool({
      Schema: [
        { Name: 'tenantId', AttributeDataType: 'String', Mutable: false },
        { Name: 'role', AttributeDataType: 'String' },
      ],
    });
    await createUser({
      UserPoolId: id,
      Username: 'ann',
      UserAttributes: [{ Name: 'custom:tenantId', Value: 't1' }],
    });
    const update = (name: string, value: string, username = 'ann') =>
      h.sdk.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: id,
          Username: username,
          UserAttributes: [{ Name: name, Value: value }],
        }),
      );
    await expect(update('custom:tenantId', 't2')).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: 'Cannot modify the non-mutable attribute custom:tenantId',
    });
    await createUser({ UserPoolId: id, Username: 'bob' });
    await expect(update('custom:tenantId', 't2', 'bob')).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
    await update('custom:role', 'admin');
    const got = await h.sdk.send(new AdminGetUserCommand({ UserPoolId: id, Username: 'ann' }));
    expect(got.UserAttributes).toContainEqual({ Name: 'custom:tenantId', Value: 't1' });
    expect(got.UserAttributes).toContainEqual({ Name: 'custom:role', Value: 'admin' });
  });

  it('refuses a temporary password that breaks the password policy', async () => {
    const id = await pool();
    await expect(
      createUser({ UserPoolId: id, Username: 'ann', TemporaryPassword: 'password' }),
    ).rejects.toMatchObject({
      name: 'InvalidPasswordException',
    });
  });

  it('e-mails an invitation with the default texts and a generated password that works', async () => {
    const id = await pool({ UsernameAttributes: ['email'] });
    const clientId = await client(id);
    await h.sdk.send(
      new AdminCreateUserCommand({
        UserPoolId: id,
        Username: 'invitee@example.com',
        DesiredDeliveryMediums: ['EMAIL'],
      }),
    );
    const [message] = h.outbox.list('invitee@example.com');
    expect(message?.subject).toBe('Your temporary password');
    expect(message?.body).toBe(
      `Your username is invitee@example.com and temporary password is ${message?.temporaryPassword}.`,
    );
    const challenge = await h.sdk.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'invitee@example.com', PASSWORD: message?.temporaryPassword as string },
      }),
    );
    expect(challenge.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
  });

  it("uses the pool's invitation template and sends nothing with SUPPRESS", async () => {
    const id = await pool({
      UsernameAttributes: ['email'],
      AdminCreateUserConfig: {
        InviteMessageTemplate: {
          EmailSubject: 'Welcome to Tenantry',
          EmailMessage: 'Hi {username}, your password is {####}',
        },
      },
    });
    await h.sdk.send(
      new AdminCreateUserCommand({
        UserPoolId: id,
        Username: 'templ@example.com',
        DesiredDeliveryMediums: ['EMAIL'],
      }),
    );
    const [message] = h.outbox.list('templ@example.com');
    expect(message).toMatchObject({
      subject: 'Welcome to Tenantry',
      body: `Hi templ@example.com, your password is ${message?.temporaryPassword}`,
    });
    await h.sdk.send(
      new AdminCreateUserCommand({
        UserPoolId: id,
        Username: 'quiet@example.com',
        DesiredDeliveryMediums: ['EMAIL'],
        MessageAction: 'SUPPRESS',
      }),
    );
    expect(h.outbox.list('quiet@example.com')).toEqual([]);
  });

  it('sends no e-mail when the delivery medium is left at its SMS default', async () => {
    const id = await pool({ UsernameAttributes: ['email'] });
    await h.sdk.send(new AdminCreateUserCommand({ UserPoolId: id, Username: 'sms-default@example.com' }));
    expect(h.outbox.list('sms-default@example.com')).toEqual([]);
  });

  it('resends the invitation with a new temporary password on RESEND', async () => {
    const id = await pool({ UsernameAttributes: ['email'] });
    const clientId = await client(id);
    await h.sdk.send(
      new AdminCreateUserCommand({
        UserPoolId: id,
        Username: 'again@example.com',
        DesiredDeliveryMediums: ['EMAIL'],
      }),
    );
    await h.sdk.send(
      new AdminCreateUserCommand({
        UserPoolId: id,
        Username: 'again@example.com',
        DesiredDeliveryMediums: ['EMAIL'],
        MessageAction: 'RESEND',
      }),
    );
    const [first, second] = h.outbox.list('again@example.com');
    expect(second?.temporaryPassword).not.toBe(first?.temporaryPassword);
    const signIn = (password: string) =>
      h.sdk.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: 'again@example.com', PASSWORD: password },
        }),
      );
    await expect(signIn(first?.temporaryPassword as string)).rejects.toMatchObject({
      name: 'NotAuthorizedException',
    });
    expect((await signIn(second?.temporaryPassword as string)).ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    await expect(
      h.sdk.send(
        new AdminCreateUserCommand({
          UserPoolId: id,
          Username: 'nobody@example.com',
          MessageAction: 'RESEND',
        }),
      ),
    ).rejects.toMatchObject({ name: 'UserNotFoundException' });
  });
});

describe('ListUsers', () => {
  let id: string;
  beforeAll(async () => {
    id = await pool({ UsernameAttributes: ['email'] });
    for (const name of ['ann', 'anna', 'bob', 'carl', 'dora']) {
      await createUser({
        UserPoolId: id,
        Username: `${name}@example.com`,
        UserAttributes: [{ Name: 'given_name', Value: name }],
      });
    }
    await h.sdk.send(new AdminDisableUserCommand({ UserPoolId: id, Username: 'dora@example.com' }));
  });

  it('pages with Limit and PaginationToken without repeating or skipping users', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const out = await h.sdk.send(
        new ListUsersCommand({ UserPoolId: id, Limit: 2, PaginationToken: token }),
      );
      expect(out.Users?.length).toBeLessThanOrEqual(2);
      seen.push(...(out.Users ?? []).map((u) => u.Username as string));
      token = out.PaginationToken;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(5);
  });

  it('refuses a Limit above 60 and a forged PaginationToken', async () => {
    await expect(h.sdk.send(new ListUsersCommand({ UserPoolId: id, Limit: 61 }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
    await expect(
      h.sdk.send(new ListUsersCommand({ UserPoolId: id, PaginationToken: 'eyJwIjoxfQ.forged' })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
  });

  it('filters by e-mail (= and ^=), sub, status and cognito:user_status', async () => {
    const list = async (Filter: string) =>
      ((await h.sdk.send(new ListUsersCommand({ UserPoolId: id, Filter }))).Users ?? []).map(
        (u) => u.Attributes?.find((a) => a.Name === 'email')?.Value,
      );
    expect(await list('email = "ann@example.com"')).toEqual(['ann@example.com']);
    expect(await list('email ^= "ann"')).toEqual(['ann@example.com', 'anna@example.com']);
    expect(await list('status = "Disabled"')).toEqual(['dora@example.com']);
    expect(await list('cognito:user_status = "FORCE_CHANGE_PASSWORD"')).toHaveLength(5);
    const bob = await h.sdk.send(new AdminGetUserCommand({ UserPoolId: id, Username: 'bob@example.com' }));
    const sub = bob.UserAttributes?.find((a) => a.Name === 'sub')?.Value;
    expect(await list(`sub = "${sub}"`)).toEqual(['bob@example.com']);
    expect(await list(`username = "${bob.Username}"`)).toEqual(['bob@example.com']);
    await expect(list('email = ann')).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(list('custom:tenantId = "x"')).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });

  it('returns only AttributesToGet', async () => {
    const out = await h.sdk.send(
      new ListUsersCommand({ UserPoolId: id, AttributesToGet: ['email'], Limit: 1 }),
    );
    expect(out.Users?.[0]?.Attributes?.map((a) => a.Name)).toEqual(['email']);
  });
});

describe('groups', () => {
  it('creates, reads, fills, lists and deletes groups', async () => {
    const id = await pool();
    await createUser({ UserPoolId: id, Username: 'ann' });
    await h.sdk.send(
      new CreateGroupCommand({ UserPoolId: id, GroupName: 'admins', Precedence: 0, Description: 'Admins' }),
    );
    await expect(
      h.sdk.send(new CreateGroupCommand({ UserPoolId: id, GroupName: 'admins' })),
    ).rejects.toMatchObject({
      name: 'GroupExistsException',
    });
    expect(
      (await h.sdk.send(new GetGroupCommand({ UserPoolId: id, GroupName: 'admins' }))).Group,
    ).toMatchObject({
      GroupName: 'admins',
      Description: 'Admins',
      Precedence: 0,
    });
    await expect(
      h.sdk.send(new GetGroupCommand({ UserPoolId: id, GroupName: 'nope' })),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    await h.sdk.send(
      new AdminAddUserToGroupCommand({ UserPoolId: id, Username: 'ann', GroupName: 'admins' }),
    );
    const groups = await h.sdk.send(new AdminListGroupsForUserCommand({ UserPoolId: id, Username: 'ann' }));
    expect(groups.Groups?.map((g) => g.GroupName)).toEqual(['admins']);
    const members = await h.sdk.send(new ListUsersInGroupCommand({ UserPoolId: id, GroupName: 'admins' }));
    expect(members.Users?.map((u) => u.Username)).toEqual(['ann']);
    await h.sdk.send(
      new AdminRemoveUserFromGroupCommand({ UserPoolId: id, Username: 'ann', GroupName: 'admins' }),
    );
    expect(
      (await h.sdk.send(new ListUsersInGroupCommand({ UserPoolId: id, GroupName: 'admins' }))).Users,
    ).toEqual([]);
    await h.sdk.send(
      new AdminAddUserToGroupCommand({ UserPoolId: id, Username: 'ann', GroupName: 'admins' }),
    );
    await h.sdk.send(new DeleteGroupCommand({ UserPoolId: id, GroupName: 'admins' }));
    expect(
      (await h.sdk.send(new AdminListGroupsForUserCommand({ UserPoolId: id, Username: 'ann' }))).Groups,
    ).toEqual([]);
  });
});

describe('user lifecycle', () => {
  it('deletes attributes and users', async () => {
    const id = await pool();
    await createUser({ UserPoolId: id, Username: 'ann', UserAttributes: [{ Name: 'name', Value: 'Ann' }] });
    await h.sdk.send(
      new AdminDeleteUserAttributesCommand({ UserPoolId: id, Username: 'ann', UserAttributeNames: ['name'] }),
    );
    const got = await h.sdk.send(new AdminGetUserCommand({ UserPoolId: id, Username: 'ann' }));
    expect(got.UserAttributes?.some((a) => a.Name === 'name')).toBe(false);
    await h.sdk.send(new AdminDeleteUserCommand({ UserPoolId: id, Username: 'ann' }));
    await expect(
      h.sdk.send(new AdminGetUserCommand({ UserPoolId: id, Username: 'ann' })),
    ).rejects.toMatchObject({
      name: 'UserNotFoundException',
      message: 'User does not exist.',
    });
  });
});
