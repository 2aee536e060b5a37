import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import { assertTenantId } from '@tenantry/data';
import { buildTenantSessionPolicy } from './session-policy.js';

/** Temporary credentials of one tenant's data session. */
export interface TenantCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

/** Vends the credentials of a tenant's data session (see {@link buildTenantCredentials}). */
export type TenantCredentialsProvider = (tenantId: string) => Promise<TenantCredentials>;

export interface TenantCredentialsOptions {
  sts: Pick<STSClient, 'send'>;
  /** The tenant-data role: it allows the item actions on the tables; the session narrows it. */
  roleArn: string;
  tableArns: readonly string[];
  indexArns?: readonly string[];
  /** Milliseconds since the epoch; defaults to `Date.now`. */
  now?: () => number;
  /** Credentials are renewed this long before they expire; defaults to 60 s. */
  refreshBeforeMs?: number;
  /** Lifetime asked of STS; defaults to 900 s (the minimum). */
  durationSeconds?: number;
  /** Tenants whose credentials are kept at once (oldest dropped first); defaults to 500. */
  maxTenants?: number;
}

/**
 * Token vending: credentials for one tenant from STS `AssumeRole` of the tenant-data role with
 * the tenant's session policy ({@link buildTenantSessionPolicy}), cached per tenant until shortly
 * before they expire; concurrent calls for a tenant share one AssumeRole.
 *
 * @example
 * ```ts
 * const credentialsFor = buildTenantCredentials({ sts: new STSClient({}), roleArn, tableArns: [tableArn] });
 * const client = new DynamoDBClient({ credentials: () => credentialsFor(tenant.tenantId) });
 * ```
 */
export function buildTenantCredentials(options: TenantCredentialsOptions): TenantCredentialsProvider {
  const now = options.now ?? Date.now;
  const refreshBeforeMs = options.refreshBeforeMs ?? 60_000;
  const durationSeconds = options.durationSeconds ?? 900;
  const maxTenants = options.maxTenants ?? 500;
  const cache = new Map<string, Promise<TenantCredentials>>();
  const settled = new Map<string, TenantCredentials>();

  const assume = async (tenantId: string): Promise<TenantCredentials> => {
    const policy = buildTenantSessionPolicy({
      tenantId,
      tableArns: options.tableArns,
      ...(options.indexArns ? { indexArns: options.indexArns } : {}),
    });
    const { Credentials: issued } = await options.sts.send(
      new AssumeRoleCommand({
        RoleArn: options.roleArn,
        RoleSessionName: `tenant-${tenantId}`.slice(0, 64),
        DurationSeconds: durationSeconds,
        Policy: JSON.stringify(policy),
      }),
    );
    if (!issued?.AccessKeyId || !issued.SecretAccessKey || !issued.SessionToken || !issued.Expiration)
      throw new Error('STS AssumeRole returned no credentials');
    return {
      accessKeyId: issued.AccessKeyId,
      secretAccessKey: issued.SecretAccessKey,
      sessionToken: issued.SessionToken,
      expiration: issued.Expiration,
    };
  };

  return (tenantId) => {
    assertTenantId(tenantId);
    const known = settled.get(tenantId);
    const fresh = known && known.expiration.getTime() - refreshBeforeMs > now();
    const pending = cache.get(tenantId);
    if (pending && (fresh || !known)) return pending;
    if (cache.size >= maxTenants && !cache.has(tenantId)) {
      const oldest = cache.keys().next().value as string;
      cache.delete(oldest);
      settled.delete(oldest);
    }
    const request = assume(tenantId).then(
      (credentials) => {
        settled.set(tenantId, credentials);
        return credentials;
      },
      (error: unknown) => {
        if (cache.get(tenantId) === request) cache.delete(tenantId);
        settled.delete(tenantId);
        throw error;
      },
    );
    settled.delete(tenantId);
    cache.delete(tenantId);
    cache.set(tenantId, request);
    return request;
  };
}
