/**
 * CloudFormation providers: AWS::ApiGateway::UsagePlan, ApiKey, UsagePlanKey and AWS::WAFv2::WebACL,
 * WebACLAssociation. Plans and keys a template created keep their ids across restarts and across
 * the engine's replace-on-change (AWS updates them in place), so keys added at run time stay in
 * their plans.
 */
import { randomUUID } from 'node:crypto';
import { InvalidPropertyError } from '../errors.js';
import { optionalBoolean, optionalString, type Props, requireString } from '../properties.js';
import type { ProviderContext, ProviderMap, ResourceProvider } from '../types.js';
import type { ApiKeyInput, Catalog, UsagePlanInput } from './catalog.js';
import { ApiGatewayServiceError, UnsupportedWafFeatureError } from './errors.js';
import type { ApiKeyRecord } from './model.js';
import type { Store } from './store.js';
import { parseWebAcl, type WebAcl } from './waf.js';

export interface WafRegistry {
  /** web ACL ARN → ACL */
  acls: Map<string, WebAcl>;
  /** `restApiId/stage` → web ACL ARN */
  associations: Map<string, string>;
}

export interface ProviderDeps {
  catalog: Catalog;
  store: Store;
  waf: WafRegistry;
  /** Called when a key or plan goes away (token buckets are dropped). */
  forget: (id: string) => void;
}

interface RetiredPlan {
  id: string;
  keyIds: string[];
  usage: Store['state']['usage'][string] | undefined;
}

const STAGE_ARN = /^arn:aws[a-z-]*:apigateway:([a-z0-9-]+)::\/restapis\/([^/]+)\/stages\/([^/]+)$/;

export function createProviders(deps: ProviderDeps): ProviderMap {
  const { catalog, store, waf } = deps;
  const { state } = store;
  /** What a template's replace-on-change deleted, by owner, so the re-create keeps ids and memberships. */
  const retiredPlans = new Map<string, RetiredPlan>();
  const retiredKeys = new Map<string, { key: ApiKeyRecord; planIds: string[] }>();
  const ownerOf = (ctx: ProviderContext, logicalId: string) => `${ctx.stackName}|${logicalId}`;
  const findOwner = (id: string) => Object.keys(state.owners).find((owner) => state.owners[owner] === id);

  const usagePlan: ResourceProvider = {
    async create(ctx, logicalId, props) {
      const what = `${logicalId} (AWS::ApiGateway::UsagePlan)`;
      const input = usagePlanInput(props, logicalId, what);
      const owner = ownerOf(ctx, logicalId);
      const adopted = state.owners[owner];
      const record = wrap(what, () => {
        if (adopted && state.usagePlans[adopted]) return catalog.replaceUsagePlan(adopted, input);
        const retired = retiredPlans.get(owner);
        retiredPlans.delete(owner);
        const plan = catalog.createUsagePlan(input);
        if (!retired || state.usagePlans[retired.id]) return plan;
        // Re-created after a replace: same id, same keys, same counters.
        delete state.usagePlans[plan.id];
        plan.id = retired.id;
        state.usagePlans[plan.id] = plan;
        if (retired.usage) state.usage[plan.id] = retired.usage;
        for (const keyId of retired.keyIds) {
          if (state.apiKeys[keyId]) catalog.addKeyQuietly(plan.id, keyId);
        }
        return plan;
      });
      state.owners[owner] = record.id;
      store.changed();
      return { physicalId: record.id, attributes: { Id: record.id } };
    },
    async delete(_ctx, physicalId) {
      const plan = state.usagePlans[physicalId];
      if (!plan) return;
      const owner = findOwner(physicalId);
      if (owner) {
        retiredPlans.set(owner, { id: plan.id, keyIds: [...plan.keyIds], usage: state.usage[plan.id] });
        delete state.owners[owner];
      }
      catalog.deleteUsagePlan(physicalId);
      deps.forget(physicalId);
    },
  };

  const apiKey: ResourceProvider = {
    async create(ctx, logicalId, props) {
      const what = `${logicalId} (AWS::ApiGateway::ApiKey)`;
      const input = apiKeyInput(props, what);
      const owner = ownerOf(ctx, logicalId);
      const adopted = state.owners[owner];
      const record = wrap(what, () => {
        const existing = adopted ? state.apiKeys[adopted] : undefined;
        if (existing && (input.value === undefined || input.value === existing.value)) {
          return catalog.replaceApiKey(existing.id, input);
        }
        const retired = retiredKeys.get(owner);
        retiredKeys.delete(owner);
        if (
          retired &&
          (input.value === undefined || input.value === retired.key.value) &&
          !state.apiKeys[retired.key.id]
        ) {
          const key = catalog.restoreApiKey(retired.key, input);
          for (const planId of retired.planIds)
            if (state.usagePlans[planId]) catalog.addKeyQuietly(planId, key.id);
          return key;
        }
        return catalog.createApiKey(input);
      });
      state.owners[owner] = record.id;
      store.changed();
      return { physicalId: record.id, attributes: { APIKeyId: record.id } };
    },
    async delete(_ctx, physicalId) {
      const key = state.apiKeys[physicalId];
      if (!key) return;
      const owner = findOwner(physicalId);
      if (owner) {
        retiredKeys.set(owner, { key: { ...key }, planIds: catalog.plansOfKey(physicalId).map((p) => p.id) });
        delete state.owners[owner];
      }
      catalog.deleteApiKey(physicalId);
      deps.forget(physicalId);
    },
  };

  const usagePlanKey: ResourceProvider = {
    async create(_ctx, logicalId, props) {
      const what = `${logicalId} (AWS::ApiGateway::UsagePlanKey)`;
      const planId = requireString(props, 'UsagePlanId', what);
      const keyId = requireString(props, 'KeyId', what);
      const keyType = requireString(props, 'KeyType', what);
      wrap(what, () => {
        const plan = catalog.requirePlan(planId);
        // Already there after a restart or a replace of the plan or key: nothing to do.
        if (!plan.keyIds.includes(keyId)) catalog.addKey(planId, keyId, keyType);
      });
      return { physicalId: keyId, attributes: { Id: keyId } };
    },
    async delete(_ctx, physicalId, props) {
      const planId = String(props.UsagePlanId ?? '');
      if (state.usagePlans[planId]?.keyIds.includes(physicalId)) catalog.removeKey(planId, physicalId);
    },
  };

  const webAcl: ResourceProvider = {
    async create(ctx, logicalId, props) {
      const what = `${logicalId} (AWS::WAFv2::WebACL)`;
      const id = randomUUID();
      const name = typeof props.Name === 'string' ? props.Name : `${ctx.stackName}-${logicalId}`;
      const arn = `arn:aws:wafv2:${ctx.region}:${ctx.accountId}:regional/webacl/${name}/${id}`;
      const acl = parseWebAcl({ ...props, Name: name }, { id, arn }, what);
      waf.acls.set(arn, acl);
      return {
        physicalId: `${name}|${id}|REGIONAL`,
        attributes: {
          Arn: arn,
          Id: id,
          Capacity: acl.rules.length * 2,
          LabelNamespace: `awswaf:${ctx.accountId}:webacl:${name}:`,
        },
      };
    },
    async delete(_ctx, physicalId) {
      const [, id] = physicalId.split('|');
      for (const [arn, acl] of waf.acls) {
        if (acl.id !== id) continue;
        waf.acls.delete(arn);
        for (const [stage, associated] of waf.associations)
          if (associated === arn) waf.associations.delete(stage);
      }
    },
  };

  const webAclAssociation: ResourceProvider = {
    async create(_ctx, logicalId, props) {
      const what = `${logicalId} (AWS::WAFv2::WebACLAssociation)`;
      const resourceArn = requireString(props, 'ResourceArn', what);
      const webAclArn = requireString(props, 'WebACLArn', what);
      const match = STAGE_ARN.exec(resourceArn);
      if (!match) {
        throw new UnsupportedWafFeatureError(
          `${what}: ResourceArn ${resourceArn} is not an API Gateway REST API stage (arn:aws:apigateway:{region}::/restapis/{id}/stages/{stage}); the local cloud protects nothing else`,
        );
      }
      if (!waf.acls.has(webAclArn))
        throw new InvalidPropertyError(`${what}: web ACL ${webAclArn} does not exist`);
      waf.associations.set(`${match[2]}/${match[3]}`, webAclArn);
      return { physicalId: `${resourceArn}|${webAclArn}` };
    },
    async delete(_ctx, physicalId) {
      const [resourceArn = '', webAclArn] = physicalId.split('|');
      const match = STAGE_ARN.exec(resourceArn);
      if (!match) return;
      const stage = `${match[2]}/${match[3]}`;
      if (waf.associations.get(stage) === webAclArn) waf.associations.delete(stage);
    },
  };

  return {
    'AWS::ApiGateway::UsagePlan': usagePlan,
    'AWS::ApiGateway::ApiKey': apiKey,
    'AWS::ApiGateway::UsagePlanKey': usagePlanKey,
    'AWS::WAFv2::WebACL': webAcl,
    'AWS::WAFv2::WebACLAssociation': webAclAssociation,
  };
}

/** Runs a catalog operation, turning its service errors into provider errors that name the resource. */
function wrap<T>(what: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof ApiGatewayServiceError) {
      throw new InvalidPropertyError(`${what}: ${error.type}: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

function usagePlanInput(props: Props, logicalId: string, what: string): UsagePlanInput {
  const input: UsagePlanInput = { name: optionalString(props, 'UsagePlanName', what) ?? logicalId };
  const description = optionalString(props, 'Description', what);
  if (description !== undefined) input.description = description;
  if (props.Throttle !== undefined) input.throttle = throttleInput(props.Throttle, `${what}: Throttle`);
  if (props.Quota !== undefined) {
    const quota = requireRecord(props.Quota, `${what}: Quota`);
    input.quota = {
      limit: Number(quota.Limit),
      period: String(quota.Period),
      offset: quota.Offset === undefined ? 0 : Number(quota.Offset),
    };
  }
  if (props.ApiStages !== undefined) {
    if (!Array.isArray(props.ApiStages)) throw new InvalidPropertyError(`${what}: ApiStages must be a list`);
    input.apiStages = props.ApiStages.map((raw, i) => {
      const stage = requireRecord(raw, `${what}: ApiStages[${i}]`);
      const entry: NonNullable<UsagePlanInput['apiStages']>[number] = {
        apiId: requireString(stage, 'ApiId', `${what}: ApiStages[${i}]`),
        stage: requireString(stage, 'Stage', `${what}: ApiStages[${i}]`),
      };
      if (stage.Throttle !== undefined) {
        const methods = requireRecord(stage.Throttle, `${what}: ApiStages[${i}].Throttle`);
        entry.throttle = Object.fromEntries(
          Object.entries(methods).map(([key, value]) => [
            key,
            throttleInput(value, `${what}: ApiStages[${i}].Throttle.${key}`),
          ]),
        );
      }
      return entry;
    });
  }
  const tags = tagsOf(props.Tags, what);
  if (tags) input.tags = tags;
  return input;
}

function apiKeyInput(props: Props, what: string): ApiKeyInput {
  const input: ApiKeyInput = { enabled: optionalBoolean(props, 'Enabled', what) ?? false };
  for (const [prop, field] of [
    ['Name', 'name'],
    ['Description', 'description'],
    ['Value', 'value'],
    ['CustomerId', 'customerId'],
  ] as const) {
    const value = optionalString(props, prop, what);
    if (value !== undefined) input[field] = value;
  }
  if (props.StageKeys !== undefined) {
    if (!Array.isArray(props.StageKeys)) throw new InvalidPropertyError(`${what}: StageKeys must be a list`);
    input.stageKeys = props.StageKeys.map((raw, i) => {
      const entry = requireRecord(raw, `${what}: StageKeys[${i}]`);
      return {
        restApiId: requireString(entry, 'RestApiId', `${what}: StageKeys[${i}]`),
        stageName: requireString(entry, 'StageName', `${what}: StageKeys[${i}]`),
      };
    });
  }
  const tags = tagsOf(props.Tags, what);
  if (tags) input.tags = tags;
  return input;
}

function throttleInput(raw: unknown, what: string): { rateLimit?: number; burstLimit?: number } {
  const throttle = requireRecord(raw, what);
  const out: { rateLimit?: number; burstLimit?: number } = {};
  if (throttle.RateLimit !== undefined) out.rateLimit = Number(throttle.RateLimit);
  if (throttle.BurstLimit !== undefined) out.burstLimit = Number(throttle.BurstLimit);
  return out;
}

function tagsOf(raw: unknown, what: string): Record<string, string> | undefined {
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw)) throw new InvalidPropertyError(`${what}: Tags must be a list of {Key, Value}`);
  return Object.fromEntries(
    raw.map((tag, i) => {
      const entry = requireRecord(tag, `${what}: Tags[${i}]`);
      return [String(entry.Key), String(entry.Value ?? '')];
    }),
  );
}

function requireRecord(value: unknown, what: string): Props {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidPropertyError(`${what} must be a map`);
  }
  return value as Props;
}
