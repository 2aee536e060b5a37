/**
 * STS AssumeRole: validation as the API does it, the target role's trust policy, and (when the
 * trust policy only trusts the account) the caller's own permission for `sts:AssumeRole`.
 */
import type { CredentialsRegistry, RoleSessionPrincipal } from '../iam/credentials.js';
import { MalformedPolicyError } from '../iam/errors.js';
import { authorize, evaluatePolicies } from '../iam/evaluate.js';
import { compilePolicy, type RequestContext } from '../iam/policy.js';
import type { IamStore } from '../iam/providers.js';
import type { RolePolicies } from '../iam/role-policies.js';
import { evaluateTrust } from '../iam/trust.js';
import { StsServiceError } from './errors.js';

export interface AssumeRoleDeps {
  credentials: CredentialsRegistry;
  roles: IamStore;
  rolePolicies: RolePolicies;
  accountId: string;
}

const validation = (value: string, member: string, constraint: string) =>
  new StsServiceError(
    'ValidationError',
    `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${constraint}`,
  );

function validate(params: URLSearchParams): {
  roleArn: string;
  sessionName: string;
  duration: number;
  policy?: string;
} {
  const roleArn = params.get('RoleArn');
  const sessionName = params.get('RoleSessionName');
  if (roleArn === null) throw validation('null', 'roleArn', 'Member must not be null');
  if (sessionName === null) throw validation('null', 'roleSessionName', 'Member must not be null');
  if (roleArn.length < 20 || roleArn.length > 2048)
    throw validation(roleArn, 'roleArn', 'Member must have length greater than or equal to 20');
  if (sessionName.length < 2)
    throw validation(sessionName, 'roleSessionName', 'Member must have length greater than or equal to 2');
  if (sessionName.length > 64)
    throw validation(sessionName, 'roleSessionName', 'Member must have length less than or equal to 64');
  if (!/^[\w+=,.@-]*$/.test(sessionName))
    throw validation(
      sessionName,
      'roleSessionName',
      'Member must satisfy regular expression pattern: [\\w+=,.@-]*',
    );
  const durationText = params.get('DurationSeconds');
  const duration = durationText === null ? 3600 : Number(durationText);
  if (!Number.isInteger(duration))
    throw new StsServiceError('ValidationError', 'DurationSeconds must be an integer');
  if (duration < 900)
    throw validation(
      String(duration),
      'durationSeconds',
      'Member must have value greater than or equal to 900',
    );
  if (duration > 43200)
    throw validation(
      String(duration),
      'durationSeconds',
      'Member must have value less than or equal to 43200',
    );
  if (params.has('PolicyArns.member.1.arn'))
    throw new StsServiceError(
      'ValidationError',
      'the local cloud does not support managed session policies (PolicyArns)',
    );
  const policy = params.get('Policy') ?? undefined;
  if (policy !== undefined) {
    if (policy.length > 2048)
      throw validation(policy, 'policy', 'Member must have length less than or equal to 2048');
    try {
      compilePolicy(policy);
    } catch (error) {
      if (error instanceof MalformedPolicyError)
        throw new StsServiceError('MalformedPolicyDocument', error.message);
      throw error;
    }
  }
  return policy === undefined
    ? { roleArn, sessionName, duration }
    : { roleArn, sessionName, duration, policy };
}

/** AssumeRole for a role-session caller; returns the `AssumeRoleResult` members. */
export function assumeRole(
  deps: AssumeRoleDeps,
  caller: RoleSessionPrincipal,
  params: URLSearchParams,
): Record<string, unknown> {
  const { roleArn, sessionName, duration, policy } = validate(params);
  const denied = new StsServiceError(
    'AccessDenied',
    `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
    { statusCode: 403 },
  );
  const role = deps.roles.roleByArn(roleArn);
  if (!role || role.arn !== roleArn) throw denied;

  const keys: RequestContext['keys'] = {
    'aws:principalarn': [caller.roleArn],
    'aws:principalaccount': [deps.accountId],
    'aws:principaltype': ['AssumedRole'],
    'aws:userid': [caller.userId],
    'sts:rolesessionname': [sessionName],
    ...(params.get('ExternalId') ? { 'sts:externalid': [params.get('ExternalId') as string] } : {}),
  };
  const trust = evaluateTrust(
    role.assumeRolePolicy,
    { kind: 'role', roleArn: caller.roleArn, sessionArn: caller.arn, accountId: deps.accountId },
    { resource: roleArn, keys },
  );
  if (!trust.trusted) throw denied;

  const callerRole = deps.roles.roleByArn(caller.roleArn);
  const identity = callerRole && callerRole.arn === caller.roleArn ? deps.rolePolicies(callerRole) : [];
  const session = caller.compiledSessionPolicy ? [caller.compiledSessionPolicy] : undefined;
  const ctx: RequestContext = { action: 'sts:AssumeRole', resource: roleArn, keys };
  if (trust.via === 'account') {
    // The trust policy delegates to the account: the caller's own policies must allow it.
    if (!authorize(session ? { identity, session } : { identity }, ctx).allowed) throw denied;
  } else {
    // Trusted by name: only an explicit deny stops it, and a session policy limits grants made to
    // the role ARN (not to this very session).
    if (evaluatePolicies(identity, ctx) === 'explicit-deny') throw denied;
    if (session) {
      const decision = evaluatePolicies(session, ctx);
      if (decision === 'explicit-deny' || (trust.via === 'principal' && decision !== 'allow')) throw denied;
    }
  }

  const maxSession = role.maxSessionDuration ?? 3600;
  if (duration > maxSession)
    throw new StsServiceError(
      'ValidationError',
      `The requested DurationSeconds exceeds the MaxSessionDuration set for this role.`,
    );
  const issued = deps.credentials.credentialsForRole(roleArn, {
    sessionName,
    durationSeconds: duration,
    ...(policy !== undefined ? { sessionPolicy: policy } : {}),
  });
  const principal = deps.credentials.lookup(issued.accessKeyId) as RoleSessionPrincipal;
  return {
    Credentials: {
      AccessKeyId: issued.accessKeyId,
      SecretAccessKey: issued.secretAccessKey,
      SessionToken: issued.sessionToken,
      Expiration: issued.expiration.toISOString().replace('.000Z', 'Z'),
    },
    AssumedRoleUser: { AssumedRoleId: principal.userId, Arn: principal.arn },
    PackedPolicySize:
      policy === undefined
        ? undefined
        : Math.max(1, Math.ceil((JSON.stringify(JSON.parse(policy)).length / 2048) * 100)),
  };
}
