/**
 * IAM roles and policies, recorded with their documents. Locally only DynamoDB calls and STS
 * AssumeRole are evaluated against them; other services' IAM is not (see docs/local-cloud.md).
 * Every document is compiled on creation, so a template with a policy IAM would reject
 * (`MalformedPolicyDocument`) fails to deploy here too.
 */
import { randomBytes } from 'node:crypto';
import type { ProviderMap } from '../types.js';
import { compilePolicy } from './policy.js';

export interface RoleRecord {
  roleName: string;
  arn: string;
  assumeRolePolicy: unknown;
  /** Inline policy documents by policy name. */
  policies: Map<string, unknown>;
  managedPolicyArns: string[];
  /** The role's unique id (`AROA...`), as in `aws:userid` and AssumedRoleId. */
  roleId?: string;
  /** Longest session AssumeRole may grant, in seconds (IAM default 3600). */
  maxSessionDuration?: number;
}

export interface IamStore {
  roles: Map<string, RoleRecord>;
  managedPolicies: Map<string, unknown>;
  roleByArn(arn: string): RoleRecord | undefined;
}

export function createIamStore(): IamStore {
  const roles = new Map<string, RoleRecord>();
  return {
    roles,
    managedPolicies: new Map(),
    roleByArn: (arn) => roles.get(arn.split('/').pop() ?? ''),
  };
}

function roleOf(store: IamStore, nameOrArn: string): RoleRecord {
  const role = store.roles.get(nameOrArn) ?? store.roleByArn(nameOrArn);
  if (!role) throw new Error(`role ${nameOrArn} does not exist`);
  return role;
}

const uniqueId = (prefix: string) => `${prefix}${randomBytes(10).toString('hex').toUpperCase().slice(0, 17)}`;

/** Throws when IAM would refuse the document (the deploy fails, as CloudFormation's would). */
function validate(what: string, document: unknown, resourceBased = false): void {
  try {
    compilePolicy(document, { resourceBased });
  } catch (error) {
    throw new Error(`${what}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

export function iamProviders(store: IamStore): ProviderMap {
  return {
    'AWS::IAM::Role': {
      async create(ctx, logicalId, properties) {
        const roleName =
          (properties.RoleName as string | undefined) ??
          // CloudFormation's generated names: stack and logical id shortened so the whole fits in 64.
          `${`${ctx.stackName}-${logicalId}`.slice(0, 51)}-${uniqueId('').slice(0, 12)}`;
        if (roleName.length > 64) throw new Error(`RoleName ${roleName} is longer than IAM's 64 characters`);
        if (store.roles.has(roleName)) throw new Error(`role ${roleName} already exists`);
        const path = (properties.Path as string | undefined) ?? '/';
        const maxSessionDuration = (properties.MaxSessionDuration as number | undefined) ?? 3600;
        if (!Number.isInteger(maxSessionDuration) || maxSessionDuration < 3600 || maxSessionDuration > 43200)
          throw new Error(`MaxSessionDuration ${maxSessionDuration} must be 3600 to 43200 seconds`);
        validate(`AssumeRolePolicyDocument of ${roleName}`, properties.AssumeRolePolicyDocument, true);
        const arn = `arn:aws:iam::${ctx.accountId}:role${path}${roleName}`;
        const policies = new Map<string, unknown>();
        for (const policy of (properties.Policies as
          | { PolicyName: string; PolicyDocument: unknown }[]
          | undefined) ?? []) {
          validate(`policy ${policy.PolicyName} of ${roleName}`, policy.PolicyDocument);
          policies.set(policy.PolicyName, policy.PolicyDocument);
        }
        const roleId = uniqueId('AROA');
        store.roles.set(roleName, {
          roleName,
          arn,
          assumeRolePolicy: properties.AssumeRolePolicyDocument,
          policies,
          managedPolicyArns: (properties.ManagedPolicyArns as string[] | undefined) ?? [],
          roleId,
          maxSessionDuration,
        });
        return { physicalId: roleName, attributes: { Arn: arn, RoleId: roleId } };
      },
      async delete(_ctx, physicalId) {
        store.roles.delete(physicalId);
      },
    },
    'AWS::IAM::Policy': {
      async create(_ctx, logicalId, properties) {
        const name = properties.PolicyName as string;
        validate(`policy ${name}`, properties.PolicyDocument);
        for (const role of (properties.Roles as string[] | undefined) ?? [])
          roleOf(store, role).policies.set(name, properties.PolicyDocument);
        return { physicalId: `${logicalId}-${uniqueId('').slice(0, 8)}`, attributes: { Id: name } };
      },
      async delete(_ctx, _physicalId, properties) {
        for (const role of (properties.Roles as string[] | undefined) ?? [])
          store.roles.get(role)?.policies.delete(properties.PolicyName as string);
      },
    },
    'AWS::IAM::ManagedPolicy': {
      async create(ctx, logicalId, properties) {
        const name = (properties.ManagedPolicyName as string | undefined) ?? `${ctx.stackName}-${logicalId}`;
        const arn = `arn:aws:iam::${ctx.accountId}:policy${(properties.Path as string | undefined) ?? '/'}${name}`;
        validate(`managed policy ${name}`, properties.PolicyDocument);
        store.managedPolicies.set(arn, properties.PolicyDocument);
        for (const role of (properties.Roles as string[] | undefined) ?? [])
          roleOf(store, role).managedPolicyArns.push(arn);
        return { physicalId: arn, attributes: { PolicyArn: arn } };
      },
      async delete(_ctx, physicalId) {
        store.managedPolicies.delete(physicalId);
        for (const role of store.roles.values())
          role.managedPolicyArns = role.managedPolicyArns.filter((arn) => arn !== physicalId);
      },
    },
  };
}
