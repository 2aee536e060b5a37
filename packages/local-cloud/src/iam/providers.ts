/**
 * IAM roles and policies, recorded with their documents. Locally only DynamoDB calls are
 * evaluated against them; other services' IAM is not (see docs/local-cloud.md).
 */
import { randomBytes } from 'node:crypto';
import type { ProviderMap } from '../types.js';

export interface RoleRecord {
  roleName: string;
  arn: string;
  assumeRolePolicy: unknown;
  /** Inline policy documents by policy name. */
  policies: Map<string, unknown>;
  managedPolicyArns: string[];
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

export function iamProviders(store: IamStore): ProviderMap {
  return {
    'AWS::IAM::Role': {
      async create(ctx, logicalId, properties) {
        const roleName =
          (properties.RoleName as string | undefined) ??
          `${ctx.stackName}-${logicalId}-${uniqueId('').slice(0, 12)}`;
        if (roleName.length > 64) throw new Error(`RoleName ${roleName} is longer than IAM's 64 characters`);
        if (store.roles.has(roleName)) throw new Error(`role ${roleName} already exists`);
        const path = (properties.Path as string | undefined) ?? '/';
        const arn = `arn:aws:iam::${ctx.accountId}:role${path}${roleName}`;
        const policies = new Map<string, unknown>();
        for (const policy of (properties.Policies as
          | { PolicyName: string; PolicyDocument: unknown }[]
          | undefined) ?? []) {
          policies.set(policy.PolicyName, policy.PolicyDocument);
        }
        store.roles.set(roleName, {
          roleName,
          arn,
          assumeRolePolicy: properties.AssumeRolePolicyDocument,
          policies,
          managedPolicyArns: (properties.ManagedPolicyArns as string[] | undefined) ?? [],
        });
        return { physicalId: roleName, attributes: { Arn: arn, RoleId: uniqueId('AROA') } };
      },
      async delete(_ctx, physicalId) {
        store.roles.delete(physicalId);
      },
    },
    'AWS::IAM::Policy': {
      async create(_ctx, logicalId, properties) {
        const name = properties.PolicyName as string;
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
