import { buildSchema, checkClientAttributes } from './attributes.js';
import { type Deps, epochSeconds, getClientInPool, getPool, Input, type OperationResult } from './context.js';
import {
  CognitoServiceError,
  invalidParameter,
  resourceNotFound,
  UnsupportedFeatureError,
  validationError,
} from './errors.js';
import { decodePageToken, encodePageToken, newClientId, newClientSecret, newUserPoolId } from './ids.js';
import { createSigningKey } from './jwt.js';
import type {
  AdminCreateUserConfig,
  ClientState,
  GroupState,
  PasswordPolicy,
  PoolState,
  TimeUnit,
} from './model.js';
import { DEFAULT_PASSWORD_POLICY } from './passwords.js';

/** A fixed-width string of a number, so that string order is numeric order. */
export const timeKey = (n: number): string => n.toString().padStart(16, '0');

const NAME = /^[\w\s+=,.@-]+$/u;

/** Pool settings that only change what DescribeUserPool echoes back. */
export const POOL_ECHO = [
  'EmailConfiguration',
  'AccountRecoverySetting',
  'VerificationMessageTemplate',
  'EmailVerificationMessage',
  'EmailVerificationSubject',
  'SmsVerificationMessage',
  'SmsAuthenticationMessage',
  'SmsConfiguration',
  'UserAttributeUpdateSettings',
  'UserPoolAddOns',
  'UserPoolTier',
] as const;

/**
 * Throws when a pool setting would change behaviour in a way the emulator does not implement:
 * better a clear error than a local cloud that quietly skips a Lambda trigger or MFA.
 */
function rejectUnsupportedPoolSettings(input: Input): void {
  const lambda = input.optObject('LambdaConfig');
  if (lambda && Object.keys(lambda).length > 0) {
    throw new UnsupportedFeatureError('LambdaConfig', `Lambda triggers: ${Object.keys(lambda).join(', ')}`);
  }
  const mfa = input.optString('MfaConfiguration');
  if (mfa !== undefined && mfa !== 'OFF') throw new UnsupportedFeatureError('MfaConfiguration', mfa);
  const addOns = input.optObject('UserPoolAddOns');
  if (addOns?.AdvancedSecurityMode === 'ENFORCED')
    throw new UnsupportedFeatureError('UserPoolAddOns.AdvancedSecurityMode', 'ENFORCED');
  const device = input.optObject('DeviceConfiguration');
  if (device?.ChallengeRequiredOnNewDevice === true || device?.ChallengeRequiredOnNewDevice === 'true') {
    throw new UnsupportedFeatureError('DeviceConfiguration.ChallengeRequiredOnNewDevice');
  }
  const factors = (input.optObject('Policies')?.SignInPolicy as Record<string, unknown> | undefined)
    ?.AllowedFirstAuthFactors;
  if (Array.isArray(factors) && factors.some((f) => f !== 'PASSWORD')) {
    throw new UnsupportedFeatureError('Policies.SignInPolicy.AllowedFirstAuthFactors', factors.join(', '));
  }
}

function readPasswordPolicy(input: Input): PasswordPolicy {
  const policies = new Input(input.optObject('Policies') ?? {});
  const raw = policies.optObject('PasswordPolicy');
  if (!raw) return { ...DEFAULT_PASSWORD_POLICY };
  const p = new Input(raw);
  // As on AWS, a PasswordPolicy given without a flag means the flag is off.
  const policy: PasswordPolicy = {
    MinimumLength: p.optNumber('MinimumLength', 6, 99) ?? 8,
    RequireUppercase: p.optBoolean('RequireUppercase') ?? false,
    RequireLowercase: p.optBoolean('RequireLowercase') ?? false,
    RequireNumbers: p.optBoolean('RequireNumbers') ?? false,
    RequireSymbols: p.optBoolean('RequireSymbols') ?? false,
    // AWS treats 0 as "not set".
    TemporaryPasswordValidityDays: p.optNumber('TemporaryPasswordValidityDays', 0, 365) || 7,
  };
  const history = p.optNumber('PasswordHistorySize', 0, 24);
  if (history) policy.PasswordHistorySize = history;
  return policy;
}

function readAdminCreateUserConfig(input: Input): AdminCreateUserConfig {
  const raw = new Input(input.optObject('AdminCreateUserConfig') ?? {});
  const template = raw.optObject('InviteMessageTemplate');
  const config: AdminCreateUserConfig = {
    AllowAdminCreateUserOnly: raw.optBoolean('AllowAdminCreateUserOnly') ?? false,
  };
  const unused = raw.optNumber('UnusedAccountValidityDays', 0, 365);
  if (unused !== undefined) config.UnusedAccountValidityDays = unused;
  if (template) {
    const t = new Input(template);
    config.InviteMessageTemplate = {};
    const email = t.optString('EmailMessage');
    const subject = t.optString('EmailSubject');
    const sms = t.optString('SMSMessage');
    if (email !== undefined) config.InviteMessageTemplate.EmailMessage = email;
    if (subject !== undefined) config.InviteMessageTemplate.EmailSubject = subject;
    if (sms !== undefined) config.InviteMessageTemplate.SMSMessage = sms;
    for (const [field, value] of [
      ['EmailMessage', email],
      ['SMSMessage', sms],
    ] as const) {
      if (value !== undefined && !(value.includes('{username}') && value.includes('{####}'))) {
        throw invalidParameter(
          `${field} in InviteMessageTemplate must contain {username} and {####} placeholders.`,
        );
      }
    }
  }
  return config;
}

/** CreateUserPool: a new pool with its own two RSA signing keys (ID and access tokens). */
export async function createUserPool(deps: Deps, input: Input): Promise<OperationResult> {
  const name = input.string('PoolName');
  if (name.length > 128 || !NAME.test(name))
    throw validationError(
      'poolName',
      name,
      `Member must satisfy regular expression pattern: [\\w\\s+=,.@-]+`,
    );
  rejectUnsupportedPoolSettings(input);
  const usernameAttributes = input.optStringList('UsernameAttributes', ['email', 'phone_number']) ?? [];
  const aliasAttributes =
    input.optStringList('AliasAttributes', ['email', 'phone_number', 'preferred_username']) ?? [];
  if (usernameAttributes.length > 0 && aliasAttributes.length > 0) {
    throw invalidParameter(
      'Only one of the aliasAttributes or usernameAttributes can be set in a User Pool.',
    );
  }
  const schemaInput = input.raw('Schema');
  if (schemaInput !== undefined && !Array.isArray(schemaInput))
    throw validationError('schema', schemaInput, 'Member must be a list');
  const usernameConfiguration = input.optObject('UsernameConfiguration');
  const [idKey, accessKey] = await Promise.all([createSigningKey(), createSigningKey()]);
  const now = deps.clock.now();
  let id = newUserPoolId(deps.region);
  while (deps.store.state.pools[id]) id = newUserPoolId(deps.region);
  const pool: PoolState = {
    id,
    name,
    arn: `arn:aws:cognito-idp:${deps.region}:${deps.accountId}:userpool/${id}`,
    createdAt: now,
    lastModifiedAt: now,
    passwordPolicy: readPasswordPolicy(input),
    schema: buildSchema((schemaInput ?? []) as Record<string, unknown>[]),
    usernameAttributes,
    aliasAttributes,
    autoVerifiedAttributes: input.optStringList('AutoVerifiedAttributes', ['email', 'phone_number']) ?? [],
    caseSensitive: usernameConfiguration
      ? (new Input(usernameConfiguration).optBoolean('CaseSensitive') ?? true)
      : true,
    usernameConfigurationSet: usernameConfiguration !== undefined,
    deletionProtection: input.oneOf('DeletionProtection', ['ACTIVE', 'INACTIVE'] as const) ?? 'INACTIVE',
    adminCreateUserConfig: readAdminCreateUserConfig(input),
    tags: input.optStringMap('UserPoolTags') ?? {},
    echo: Object.fromEntries(
      POOL_ECHO.filter((k) => input.raw(k) !== undefined).map((k) => [k, input.raw(k)]),
    ),
    keys: { id: idKey, access: accessKey },
    clients: {},
    users: {},
    groups: {},
    refreshTokens: {},
    nextUserSeq: 1,
  };
  deps.store.state.pools[id] = pool;
  deps.store.changed();
  return { UserPool: describePool(pool) };
}

function describePool(pool: PoolState): OperationResult {
  return {
    Id: pool.id,
    Name: pool.name,
    Arn: pool.arn,
    Policies: { PasswordPolicy: pool.passwordPolicy },
    DeletionProtection: pool.deletionProtection,
    LambdaConfig: {},
    LastModifiedDate: epochSeconds(pool.lastModifiedAt),
    CreationDate: epochSeconds(pool.createdAt),
    SchemaAttributes: pool.schema,
    ...(pool.autoVerifiedAttributes.length ? { AutoVerifiedAttributes: pool.autoVerifiedAttributes } : {}),
    ...(pool.aliasAttributes.length ? { AliasAttributes: pool.aliasAttributes } : {}),
    ...(pool.usernameAttributes.length ? { UsernameAttributes: pool.usernameAttributes } : {}),
    MfaConfiguration: 'OFF',
    EstimatedNumberOfUsers: Object.keys(pool.users).length,
    AdminCreateUserConfig: pool.adminCreateUserConfig,
    ...(pool.usernameConfigurationSet
      ? { UsernameConfiguration: { CaseSensitive: pool.caseSensitive } }
      : {}),
    UserPoolTags: pool.tags,
    ...pool.echo,
  };
}

export function describeUserPool(deps: Deps, input: Input): OperationResult {
  return { UserPool: describePool(getPool(deps, input.string('UserPoolId'))) };
}

export function deleteUserPool(deps: Deps, input: Input): OperationResult {
  const pool = getPool(deps, input.string('UserPoolId'));
  if (pool.deletionProtection === 'ACTIVE') {
    throw invalidParameter(
      'The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.',
    );
  }
  delete deps.store.state.pools[pool.id];
  for (const [session, s] of deps.store.sessions)
    if (s.poolId === pool.id) deps.store.sessions.delete(session);
  deps.store.changed();
  return {};
}

/**
 * Pages over items by a unique sort key, with HMAC-bound tokens that carry the last key returned
 * (so deletions between pages neither skip nor repeat items).
 */
export function page<T>(
  deps: Deps,
  items: readonly T[],
  position: (item: T) => string,
  scope: string,
  limit: number,
  token: string | undefined,
): { items: T[]; next?: string } {
  const after =
    token === undefined ? undefined : decodePageToken(deps.store.state.paginationSecret, scope, token);
  const sorted = [...items].sort((a, b) =>
    position(a) < position(b) ? -1 : position(a) > position(b) ? 1 : 0,
  );
  const rest = after === undefined ? sorted : sorted.filter((item) => position(item) > after);
  const slice = rest.slice(0, limit);
  const last = slice[slice.length - 1];
  return rest.length > limit && last !== undefined
    ? { items: slice, next: encodePageToken(deps.store.state.paginationSecret, scope, position(last)) }
    : { items: slice };
}

export function listUserPools(deps: Deps, input: Input): OperationResult {
  const max = input.optNumber('MaxResults', 1, 60);
  if (max === undefined) throw validationError('maxResults', undefined, 'Member must not be null');
  const pools = Object.values(deps.store.state.pools);
  const result = page(
    deps,
    pools,
    (p) => `${timeKey(p.createdAt)}:${p.id}`,
    'ListUserPools',
    max,
    input.optString('NextToken'),
  );
  return {
    UserPools: result.items.map((p) => ({
      Id: p.id,
      Name: p.name,
      LambdaConfig: {},
      LastModifiedDate: epochSeconds(p.lastModifiedAt),
      CreationDate: epochSeconds(p.createdAt),
    })),
    ...(result.next ? { NextToken: result.next } : {}),
  };
}

const AUTH_FLOWS = [
  'ADMIN_NO_SRP_AUTH',
  'CUSTOM_AUTH_FLOW_ONLY',
  'USER_PASSWORD_AUTH',
  'ALLOW_ADMIN_USER_PASSWORD_AUTH',
  'ALLOW_CUSTOM_AUTH',
  'ALLOW_USER_PASSWORD_AUTH',
  'ALLOW_USER_SRP_AUTH',
  'ALLOW_REFRESH_TOKEN_AUTH',
  'ALLOW_USER_AUTH',
] as const;
const DEFAULT_AUTH_FLOWS = ['ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];
const UNITS: readonly TimeUnit[] = ['seconds', 'minutes', 'hours', 'days'];
const UNIT_SECONDS: Record<TimeUnit, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86_400 };

export const validitySeconds = (value: number, unit: TimeUnit): number => value * UNIT_SECONDS[unit];

const CLIENT_ECHO = [
  'SupportedIdentityProviders',
  'CallbackURLs',
  'LogoutURLs',
  'DefaultRedirectURI',
  'AllowedOAuthFlows',
  'AllowedOAuthScopes',
  'AllowedOAuthFlowsUserPoolClient',
  'AnalyticsConfiguration',
  'EnablePropagateAdditionalUserContextData',
] as const;

export function createUserPoolClient(deps: Deps, input: Input): OperationResult {
  const pool = getPool(deps, input.string('UserPoolId'));
  const clientName = input.string('ClientName');
  if (clientName.length > 128)
    throw validationError('clientName', clientName, 'Member must have length less than or equal to 128');
  const rotation = input.optObject('RefreshTokenRotation');
  if (rotation?.Feature === 'ENABLED') {
    throw new UnsupportedFeatureError('RefreshTokenRotation');
  }
  const flows = input.optStringList('ExplicitAuthFlows', AUTH_FLOWS);
  if (flows?.some((f) => f.startsWith('ALLOW_')) && flows.some((f) => !f.startsWith('ALLOW_'))) {
    throw invalidParameter('ExplicitAuthFlows cannot mix legacy values with ALLOW_ values.');
  }
  const readAttributes = input.optStringList('ReadAttributes');
  const writeAttributes = input.optStringList('WriteAttributes');
  checkClientAttributes(pool, readAttributes, 'read');
  checkClientAttributes(pool, writeAttributes, 'write');
  const units = new Input(input.optObject('TokenValidityUnits') ?? {});
  const tokenValidityUnits = {
    AccessToken: units.oneOf('AccessToken', UNITS) ?? 'hours',
    IdToken: units.oneOf('IdToken', UNITS) ?? 'hours',
    RefreshToken: units.oneOf('RefreshToken', UNITS) ?? 'days',
  };
  const access =
    input.optNumber('AccessTokenValidity', 1) ?? (tokenValidityUnits.AccessToken === 'hours' ? 1 : undefined);
  const id =
    input.optNumber('IdTokenValidity', 1) ?? (tokenValidityUnits.IdToken === 'hours' ? 1 : undefined);
  const refresh =
    input.optNumber('RefreshTokenValidity', 0) ??
    (tokenValidityUnits.RefreshToken === 'days' ? 30 : undefined);
  const accessTokenValidity = access ?? 3600 / UNIT_SECONDS[tokenValidityUnits.AccessToken];
  const idTokenValidity = id ?? 3600 / UNIT_SECONDS[tokenValidityUnits.IdToken];
  const refreshTokenValidity =
    refresh === undefined || refresh === 0
      ? (30 * 86_400) / UNIT_SECONDS[tokenValidityUnits.RefreshToken]
      : refresh;
  const inRange = (v: number, unit: TimeUnit, min: number, max: number) => {
    const s = validitySeconds(v, unit);
    return s >= min && s <= max;
  };
  if (!inRange(accessTokenValidity, tokenValidityUnits.AccessToken, 300, 86_400)) {
    throw invalidParameter(
      'Invalid range for token validity: AccessTokenValidity must be between 5 minutes and 1 day.',
    );
  }
  if (!inRange(idTokenValidity, tokenValidityUnits.IdToken, 300, 86_400)) {
    throw invalidParameter(
      'Invalid range for token validity: IdTokenValidity must be between 5 minutes and 1 day.',
    );
  }
  if (!inRange(refreshTokenValidity, tokenValidityUnits.RefreshToken, 3600, 3650 * 86_400)) {
    throw invalidParameter(
      'Invalid range for token validity: RefreshTokenValidity must be between 60 minutes and 10 years.',
    );
  }
  const now = deps.clock.now();
  let clientId = newClientId();
  while (Object.values(deps.store.state.pools).some((p) => p.clients[clientId])) clientId = newClientId();
  const client: ClientState = {
    clientId,
    clientName,
    explicitAuthFlows: flows && flows.length > 0 ? flows : DEFAULT_AUTH_FLOWS,
    preventUserExistenceErrors:
      input.oneOf('PreventUserExistenceErrors', ['LEGACY', 'ENABLED'] as const) ?? 'LEGACY',
    accessTokenValidity,
    idTokenValidity,
    refreshTokenValidity,
    tokenValidityUnits,
    enableTokenRevocation: input.optBoolean('EnableTokenRevocation') ?? true,
    authSessionValidity: input.optNumber('AuthSessionValidity', 3, 15) ?? 3,
    echo: Object.fromEntries(
      CLIENT_ECHO.filter((k) => input.raw(k) !== undefined).map((k) => [k, input.raw(k)]),
    ),
    createdAt: now,
    lastModifiedAt: now,
  };
  if (readAttributes) client.readAttributes = readAttributes;
  if (writeAttributes) client.writeAttributes = writeAttributes;
  if (input.optBoolean('GenerateSecret')) client.clientSecret = newClientSecret();
  pool.clients[clientId] = client;
  deps.store.changed();
  return { UserPoolClient: describeClient(pool, client) };
}

function describeClient(pool: PoolState, c: ClientState): OperationResult {
  return {
    UserPoolId: pool.id,
    ClientName: c.clientName,
    ClientId: c.clientId,
    ...(c.clientSecret ? { ClientSecret: c.clientSecret } : {}),
    LastModifiedDate: epochSeconds(c.lastModifiedAt),
    CreationDate: epochSeconds(c.createdAt),
    RefreshTokenValidity: c.refreshTokenValidity,
    AccessTokenValidity: c.accessTokenValidity,
    IdTokenValidity: c.idTokenValidity,
    TokenValidityUnits: c.tokenValidityUnits,
    ...(c.readAttributes ? { ReadAttributes: c.readAttributes } : {}),
    ...(c.writeAttributes ? { WriteAttributes: c.writeAttributes } : {}),
    ExplicitAuthFlows: c.explicitAuthFlows,
    AllowedOAuthFlowsUserPoolClient: false,
    PreventUserExistenceErrors: c.preventUserExistenceErrors,
    EnableTokenRevocation: c.enableTokenRevocation,
    AuthSessionValidity: c.authSessionValidity,
    ...c.echo,
  };
}

export function describeUserPoolClient(deps: Deps, input: Input): OperationResult {
  const pool = getPool(deps, input.string('UserPoolId'));
  return { UserPoolClient: describeClient(pool, getClientInPool(pool, input.string('ClientId'))) };
}

export function deleteUserPoolClient(deps: Deps, input: Input): OperationResult {
  const pool = getPool(deps, input.string('UserPoolId'));
  const client = getClientInPool(pool, input.string('ClientId'));
  delete pool.clients[client.clientId];
  for (const [jti, token] of Object.entries(pool.refreshTokens))
    if (token.clientId === client.clientId) delete pool.refreshTokens[jti];
  deps.store.changed();
  return {};
}

export function listUserPoolClients(deps: Deps, input: Input): OperationResult {
  const pool = getPool(deps, input.string('UserPoolId'));
  const clients = Object.values(pool.clients);
  const max = input.optNumber('MaxResults', 1, 60) ?? 60;
  const result = page(
    deps,
    clients,
    (c) => `${timeKey(c.createdAt)}:${c.clientId}`,
    `ListUserPoolClients:${pool.id}`,
    max,
    input.optString('NextToken'),
  );
  return {
    UserPoolClients: result.items.map((c) => ({
      ClientId: c.clientId,
      UserPoolId: pool.id,
      ClientName: c.clientName,
    })),
    ...(result.next ? { NextToken: result.next } : {}),
  };
}

const GROUP_NAME = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u;

export function describeGroup(pool: PoolState, g: GroupState): OperationResult {
  return {
    GroupName: g.name,
    UserPoolId: pool.id,
    ...(g.description !== undefined ? { Description: g.description } : {}),
    ...(g.roleArn !== undefined ? { RoleArn: g.roleArn } : {}),
    ...(g.precedence !== undefined ? { Precedence: g.precedence } : {}),
    LastModifiedDate: epochSeconds(g.lastModifiedAt),
    CreationDate: epochSeconds(g.createdAt),
  };
}

export function getGroupState(pool: PoolState, name: string): GroupState {
  const group = pool.groups[name];
  if (!group) throw resourceNotFound('Group not found.');
  return group;
}

export function createGroup(deps: Deps, input: Input): OperationResult {
  const pool = getPool(deps, input.string('UserPoolId'));
  const name = input.string('GroupName');
  if (!GROUP_NAME.test(name))
    throw validationError(
      'groupName',
      name,
      'Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+',
    );
  if (pool.groups[name])
    throw new CognitoServiceError('GroupExistsException', 'A group with the name already exists.');
  const now = deps.clock.now();
  const group: GroupState = { name, createdAt: now, lastModifiedAt: now };
  const description = input.optString('Description');
  const roleArn = input.optString('RoleArn');
  const precedence = input.optNumber('Precedence', 0);
  if (description !== undefined) group.description = description;
  if (roleArn !== undefined) group.roleArn = roleArn;
  if (precedence !== undefined) group.precedence = precedence;
  pool.groups[name] = group;
  deps.store.changed();
  return { Group: describeGroup(pool, group) };
}

export function getGroup(deps: Deps, input: Input): OperationResult {
  const pool = getPool(deps, input.string('UserPoolId'));
  return { Group: describeGroup(pool, getGroupState(pool, input.string('GroupName'))) };
}

export function deleteGroup(deps: Deps, input: Input): OperationResult {
  const pool = getPool(deps, input.string('UserPoolId'));
  const group = getGroupState(pool, input.string('GroupName'));
  delete pool.groups[group.name];
  for (const user of Object.values(pool.users)) user.groups = user.groups.filter((g) => g !== group.name);
  deps.store.changed();
  return {};
}

export function listGroups(deps: Deps, input: Input): OperationResult {
  const pool = getPool(deps, input.string('UserPoolId'));
  const groups = Object.values(pool.groups);
  const limit = input.optNumber('Limit', 0, 60) || 60;
  const result = page(
    deps,
    groups,
    (g) => g.name,
    `ListGroups:${pool.id}`,
    limit,
    input.optString('NextToken'),
  );
  return {
    Groups: result.items.map((g) => describeGroup(pool, g)),
    ...(result.next ? { NextToken: result.next } : {}),
  };
}
