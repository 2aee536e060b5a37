/**
 * The emulator's state. Everything here is plain JSON so that it can be persisted as is; times are
 * milliseconds since the epoch on the local cloud's clock. Passwords exist only as scrypt hashes and
 * refresh tokens only as SHA-256 digests.
 */

export type AttributeDataType = 'String' | 'Number' | 'DateTime' | 'Boolean';

export interface SchemaAttribute {
  Name: string;
  AttributeDataType: AttributeDataType;
  DeveloperOnlyAttribute: boolean;
  Mutable: boolean;
  Required: boolean;
  StringAttributeConstraints?: { MinLength?: string; MaxLength?: string };
  NumberAttributeConstraints?: { MinValue?: string; MaxValue?: string };
}

export interface PasswordPolicy {
  MinimumLength: number;
  RequireUppercase: boolean;
  RequireLowercase: boolean;
  RequireNumbers: boolean;
  RequireSymbols: boolean;
  TemporaryPasswordValidityDays: number;
  PasswordHistorySize?: number;
}

export interface MessageTemplate {
  EmailMessage?: string;
  EmailSubject?: string;
  SMSMessage?: string;
}

export interface AdminCreateUserConfig {
  AllowAdminCreateUserOnly: boolean;
  UnusedAccountValidityDays?: number;
  InviteMessageTemplate?: MessageTemplate;
}

export interface SigningKey {
  kid: string;
  /** PKCS#8 PEM. */
  privateKeyPem: string;
  /** Public JWK (kty, n, e). */
  publicJwk: { kty: string; n: string; e: string };
}

export type TimeUnit = 'seconds' | 'minutes' | 'hours' | 'days';

export interface ClientState {
  clientId: string;
  clientName: string;
  clientSecret?: string;
  explicitAuthFlows: string[];
  /** undefined = every attribute (AWS's default). */
  readAttributes?: string[];
  writeAttributes?: string[];
  preventUserExistenceErrors: 'LEGACY' | 'ENABLED';
  accessTokenValidity: number;
  idTokenValidity: number;
  refreshTokenValidity: number;
  tokenValidityUnits: { AccessToken: TimeUnit; IdToken: TimeUnit; RefreshToken: TimeUnit };
  enableTokenRevocation: boolean;
  /** Minutes a challenge session stays valid (3–15, default 3). */
  authSessionValidity: number;
  /** Settings the emulator only echoes back (OAuth, callback URLs, ...). */
  echo: Record<string, unknown>;
  createdAt: number;
  lastModifiedAt: number;
}

export type UserStatus = 'FORCE_CHANGE_PASSWORD' | 'CONFIRMED';

export interface UserState {
  username: string;
  /** Attribute values as Cognito stores them (strings), `sub` included. */
  attributes: Record<string, string>;
  enabled: boolean;
  status: UserStatus;
  passwordHash: string;
  /** Hashes of earlier passwords, newest first (only kept when the pool has a PasswordHistorySize). */
  passwordHistory: string[];
  temporaryPasswordExpiresAt?: number;
  groups: string[];
  createdAt: number;
  lastModifiedAt: number;
  /** Creation order, for stable paging. */
  seq: number;
  failedLogins: number;
  lockedUntil?: number;
}

export interface GroupState {
  name: string;
  description?: string;
  roleArn?: string;
  precedence?: number;
  createdAt: number;
  lastModifiedAt: number;
}

export interface RefreshTokenState {
  /** The `origin_jti` of every token this refresh token yields. */
  originJti: string;
  /** SHA-256 (hex) of the token's secret part. */
  secretDigest: string;
  clientId: string;
  username: string;
  authTime: number;
  eventId: string;
  expiresAt: number;
  revoked: boolean;
}

export interface PoolState {
  id: string;
  name: string;
  arn: string;
  createdAt: number;
  lastModifiedAt: number;
  passwordPolicy: PasswordPolicy;
  schema: SchemaAttribute[];
  usernameAttributes: string[];
  aliasAttributes: string[];
  autoVerifiedAttributes: string[];
  caseSensitive: boolean;
  /** Whether the request set UsernameConfiguration (DescribeUserPool echoes it only then). */
  usernameConfigurationSet: boolean;
  deletionProtection: 'ACTIVE' | 'INACTIVE';
  adminCreateUserConfig: AdminCreateUserConfig;
  tags: Record<string, string>;
  /** Settings the emulator only echoes back (email configuration, recovery settings, ...). */
  echo: Record<string, unknown>;
  keys: { id: SigningKey; access: SigningKey };
  clients: Record<string, ClientState>;
  /** Keyed by {@link usernameKey}. */
  users: Record<string, UserState>;
  groups: Record<string, GroupState>;
  /** Keyed by origin_jti. */
  refreshTokens: Record<string, RefreshTokenState>;
  nextUserSeq: number;
}

export interface EmulatorState {
  version: 1;
  /** HMAC key for pagination tokens. */
  paginationSecret: string;
  pools: Record<string, PoolState>;
}

/** The lookup key of a username in a pool (lower-cased when the pool is case-insensitive). */
export const usernameKey = (pool: Pick<PoolState, 'caseSensitive'>, username: string): string =>
  pool.caseSensitive ? username : username.toLowerCase();
