/**
 * The local cloud's credentials: a fixed root key for its own admin calls and tests, and
 * temporary role-session credentials it issues (Lambda execution roles, STS AssumeRole).
 * Issued credentials live in memory only: functions get new ones when they start.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../types.js';
import { CredentialsError, RoleAssumptionError } from './errors.js';
import { type CompiledPolicy, compilePolicy } from './policy.js';
import type { IamStore } from './providers.js';
import { evaluateTrust } from './trust.js';

/** Account-root keys of the local cloud: allowed everything (never give them to functions). */
export const ROOT_CREDENTIALS = { accessKeyId: 'LOCALROOT', secretAccessKey: 'localroot' } as const;

export interface RootPrincipal {
  kind: 'root';
  /** `arn:aws:iam::{account}:root` */
  arn: string;
}

export interface RoleSessionPrincipal {
  kind: 'role';
  roleArn: string;
  roleName: string;
  sessionName: string;
  /** `arn:aws:sts::{account}:assumed-role/{roleName}/{sessionName}` */
  arn: string;
  /** `{roleId}:{sessionName}`, the `aws:userid` and AssumedRoleId. */
  userId: string;
  /** The session policy document, when the session was issued with one. */
  sessionPolicy?: object;
  /** The session policy, compiled once at issue. */
  compiledSessionPolicy?: CompiledPolicy;
  sessionToken: string;
  expiration: Date;
}

export type Principal = RootPrincipal | RoleSessionPrincipal;

export interface IssuedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

export interface CredentialsForRoleOptions {
  /** Defaults to `local-session`; AWS's pattern `[\w+=,.@-]{2,64}`. */
  sessionName?: string;
  /** A session policy (JSON text or object): the session gets the intersection with the role's. */
  sessionPolicy?: object | string;
  /** Lifetime; defaults to 3600. Unbounded here: STS AssumeRole applies AWS's limits itself. */
  durationSeconds?: number;
  /** Requires the role's trust policy to trust this service, e.g. `lambda.amazonaws.com`. */
  servicePrincipal?: string;
}

export interface CredentialsRegistry {
  /** Issues temporary credentials for a role session; throws {@link RoleAssumptionError}. */
  credentialsForRole(roleArn: string, options?: CredentialsForRoleOptions): IssuedCredentials;
  /** The principal behind an access key id, expired or not; undefined when unknown. */
  lookup(accessKeyId: string): Principal | undefined;
  /** The secret of an access key the local cloud issued (to verify signatures); undefined when unknown. */
  secretOf(accessKeyId: string): string | undefined;
  /**
   * The principal of a request, checked as AWS does: unknown key or wrong session token →
   * `UnrecognizedClientException`, expired → `ExpiredTokenException` ({@link CredentialsError}).
   */
  authenticate(accessKeyId: string | undefined, sessionToken?: string): Principal;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

function randomText(length: number, alphabet: string): string {
  const bytes = randomBytes(length);
  let text = '';
  for (const byte of bytes) text += alphabet[byte % alphabet.length];
  return text;
}

export const INVALID_TOKEN_MESSAGE = 'The security token included in the request is invalid.';
export const EXPIRED_TOKEN_MESSAGE = 'The security token included in the request is expired';

export function createCredentialsRegistry(options: {
  clock: Clock;
  roles: IamStore;
  accountId: string;
}): CredentialsRegistry {
  const { clock, roles, accountId } = options;
  const sessions = new Map<string, { secretAccessKey: string; principal: RoleSessionPrincipal }>();
  const root: RootPrincipal = { kind: 'root', arn: `arn:aws:iam::${accountId}:root` };

  return {
    credentialsForRole(roleArn, opts = {}) {
      const role = roles.roleByArn(roleArn);
      if (!role || role.arn !== roleArn) throw new RoleAssumptionError(`role ${roleArn} does not exist`);
      const sessionName = opts.sessionName ?? 'local-session';
      if (!SESSION_NAME.test(sessionName))
        throw new RoleAssumptionError(`session name ${sessionName} does not match [\\w+=,.@-]{2,64}`);
      if (opts.servicePrincipal) {
        const trust = evaluateTrust(
          role.assumeRolePolicy,
          { kind: 'service', service: opts.servicePrincipal },
          { resource: role.arn, keys: {} },
        );
        if (!trust.trusted)
          throw new RoleAssumptionError(
            `the trust policy of ${roleArn} does not let ${opts.servicePrincipal} assume it`,
          );
      }
      const durationSeconds = opts.durationSeconds ?? 3600;
      if (!(durationSeconds > 0)) throw new RoleAssumptionError('durationSeconds must be positive');
      let sessionPolicy: object | undefined;
      let compiledSessionPolicy: CompiledPolicy | undefined;
      if (opts.sessionPolicy !== undefined) {
        compiledSessionPolicy = compilePolicy(opts.sessionPolicy);
        sessionPolicy =
          typeof opts.sessionPolicy === 'string'
            ? (JSON.parse(opts.sessionPolicy) as object)
            : opts.sessionPolicy;
      }
      const accessKeyId = `ASIA${randomText(16, ALPHABET)}`;
      const secretAccessKey = randomBytes(30).toString('base64');
      const sessionToken = `IQoJb3JpZ2luX2VjE${randomBytes(96).toString('base64')}`;
      const expiration = new Date(Math.floor(clock.now() / 1000 + durationSeconds) * 1000);
      const principal: RoleSessionPrincipal = {
        kind: 'role',
        roleArn: role.arn,
        roleName: role.roleName,
        sessionName,
        arn: `arn:aws:sts::${accountId}:assumed-role/${role.roleName}/${sessionName}`,
        userId: `${role.roleId ?? 'AROALOCAL'}:${sessionName}`,
        sessionToken,
        expiration,
      };
      if (sessionPolicy) principal.sessionPolicy = sessionPolicy;
      if (compiledSessionPolicy) principal.compiledSessionPolicy = compiledSessionPolicy;
      sessions.set(accessKeyId, { secretAccessKey, principal });
      return { accessKeyId, secretAccessKey, sessionToken, expiration };
    },

    lookup(accessKeyId) {
      if (accessKeyId === ROOT_CREDENTIALS.accessKeyId) return root;
      return sessions.get(accessKeyId)?.principal;
    },

    secretOf(accessKeyId) {
      if (accessKeyId === ROOT_CREDENTIALS.accessKeyId) return ROOT_CREDENTIALS.secretAccessKey;
      return sessions.get(accessKeyId)?.secretAccessKey;
    },

    authenticate(accessKeyId, sessionToken) {
      if (!accessKeyId)
        throw new CredentialsError(
          'MissingAuthenticationTokenException',
          'Request is missing Authentication Token',
        );
      if (accessKeyId === ROOT_CREDENTIALS.accessKeyId) {
        if (sessionToken) throw new CredentialsError('UnrecognizedClientException', INVALID_TOKEN_MESSAGE);
        return root;
      }
      const principal = sessions.get(accessKeyId)?.principal;
      if (!principal || principal.sessionToken !== sessionToken)
        throw new CredentialsError('UnrecognizedClientException', INVALID_TOKEN_MESSAGE);
      if (clock.now() >= principal.expiration.getTime())
        throw new CredentialsError('ExpiredTokenException', EXPIRED_TOKEN_MESSAGE);
      return principal;
    },
  };
}

/** The access key id of a SigV4-signed request (Authorization header or presigned query). */
export function accessKeyIdOf(
  headers: Record<string, string | string[] | undefined>,
  url?: string,
): string | undefined {
  const authorization = headers.authorization;
  if (typeof authorization === 'string') {
    const start = authorization.indexOf('Credential=');
    if (start >= 0) {
      const end = authorization.indexOf('/', start);
      if (end > start) return authorization.slice(start + 'Credential='.length, end);
    }
    return undefined;
  }
  if (url?.includes('X-Amz-Credential')) {
    const credential = new URL(url, 'http://local').searchParams.get('X-Amz-Credential');
    return credential?.split('/')[0];
  }
  return undefined;
}
