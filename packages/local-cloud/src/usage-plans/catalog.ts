/**
 * API keys, usage plans and plan keys with API Gateway's rules (validation, conflicts, patch
 * operations). The management API and the CloudFormation providers both go through here, so a
 * change takes effect in the gateway at once.
 */
import { badRequest, conflict, notFound } from './errors.js';
import { newId, newKeyValue } from './ids.js';
import type {
  ApiKeyRecord,
  ApiStage,
  QuotaPeriod,
  QuotaSettings,
  ThrottleSettings,
  UsagePlanRecord,
} from './model.js';
import { validOffset } from './periods.js';
import type { Store } from './store.js';

export interface PatchOperation {
  op?: string;
  path?: string;
  value?: string;
  from?: string;
}

export interface ApiKeyInput {
  name?: string;
  description?: string;
  value?: string;
  enabled?: boolean;
  customerId?: string;
  stageKeys?: Array<{ restApiId?: string; stageName?: string }>;
  tags?: Record<string, string>;
}

export interface UsagePlanInput {
  name?: string;
  description?: string;
  apiStages?: Array<{ apiId?: string; stage?: string; throttle?: Record<string, Partial<ThrottleSettings>> }>;
  throttle?: Partial<ThrottleSettings>;
  quota?: { limit?: number; period?: string; offset?: number };
  tags?: Record<string, string>;
}

export interface CatalogDeps {
  store: Store;
  /** Epoch ms (the local cloud's clock). */
  now: () => number;
  /** Whether a REST API stage exists (AWS rejects plans naming unknown stages); no check when absent. */
  stageExists?: (restApiId: string, stage: string) => boolean;
}

export type Catalog = ReturnType<typeof createCatalog>;

const MIN_KEY_LENGTH = 20;
const MAX_KEY_LENGTH = 128;

export function createCatalog(deps: CatalogDeps) {
  const { store } = deps;
  const { state } = store;
  const byValue = new Map<string, string>();
  for (const key of Object.values(state.apiKeys)) byValue.set(key.value, key.id);

  const seconds = () => Math.floor(deps.now() / 1000);

  function requireKey(id: string): ApiKeyRecord {
    const key = state.apiKeys[id];
    if (!key) throw notFound('Invalid API Key identifier specified');
    return key;
  }

  function requirePlan(id: string): UsagePlanRecord {
    const plan = state.usagePlans[id];
    if (!plan) throw notFound('Invalid Usage Plan ID specified');
    return plan;
  }

  function plansOfKey(keyId: string): UsagePlanRecord[] {
    return Object.values(state.usagePlans).filter((plan) => plan.keyIds.includes(keyId));
  }

  const sharesStage = (a: UsagePlanRecord, stages: ApiStage[]) =>
    stages.some((s) => a.apiStages.some((t) => t.apiId === s.apiId && t.stage === s.stage));

  function createApiKey(input: ApiKeyInput): ApiKeyRecord {
    const value = input.value ?? newKeyValue();
    if (value.length < MIN_KEY_LENGTH || value.length > MAX_KEY_LENGTH) {
      throw badRequest(`API Key value should be at least ${MIN_KEY_LENGTH} characters`);
    }
    if (byValue.has(value)) throw conflict('API Key already exists');
    const id = newUniqueId(10, state.apiKeys);
    const now = seconds();
    const key: ApiKeyRecord = {
      id,
      value,
      enabled: input.enabled ?? false,
      stageKeys: stageKeysOf(input),
      createdDate: now,
      lastUpdatedDate: now,
    };
    if (input.name !== undefined) key.name = input.name;
    if (input.description !== undefined) key.description = input.description;
    if (input.customerId !== undefined) key.customerId = input.customerId;
    if (input.tags !== undefined) key.tags = { ...input.tags };
    state.apiKeys[id] = key;
    byValue.set(value, id);
    store.changed();
    return key;
  }

  /** Applies a template's properties to an existing key (id and value stay). */
  function replaceApiKey(id: string, input: ApiKeyInput): ApiKeyRecord {
    const key = requireKey(id);
    const next: ApiKeyRecord = {
      id,
      value: key.value,
      enabled: input.enabled ?? false,
      stageKeys: stageKeysOf(input),
      createdDate: key.createdDate,
      lastUpdatedDate: seconds(),
    };
    if (input.name !== undefined) next.name = input.name;
    if (input.description !== undefined) next.description = input.description;
    if (input.customerId !== undefined) next.customerId = input.customerId;
    if (input.tags !== undefined) next.tags = { ...input.tags };
    state.apiKeys[id] = next;
    store.changed();
    return next;
  }

  /** Puts a key a template replaced back under its old id and value, with the template's new properties. */
  function restoreApiKey(previous: ApiKeyRecord, input: ApiKeyInput): ApiKeyRecord {
    if (byValue.has(previous.value)) throw conflict('API Key already exists');
    state.apiKeys[previous.id] = { ...previous };
    byValue.set(previous.value, previous.id);
    return replaceApiKey(previous.id, input);
  }

  function stageKeysOf(input: ApiKeyInput): string[] {
    return (input.stageKeys ?? []).map((sk) => {
      if (!sk.restApiId || !sk.stageName)
        throw badRequest('Invalid stage key: restApiId and stageName are required');
      checkStage(sk.restApiId, sk.stageName);
      return `${sk.restApiId}/${sk.stageName}`;
    });
  }

  function updateApiKey(id: string, operations: PatchOperation[]): ApiKeyRecord {
    const key = requireKey(id);
    const next = { ...key, stageKeys: [...key.stageKeys] };
    for (const operation of operations) {
      const { op, path, value } = operation;
      if (op === 'replace' && path === '/enabled') {
        if (value !== 'true' && value !== 'false') throw badRequest(`Invalid value for /enabled: ${value}`);
        next.enabled = value === 'true';
      } else if (
        op === 'replace' &&
        (path === '/name' || path === '/description' || path === '/customerId')
      ) {
        const field = path.slice(1) as 'name' | 'description' | 'customerId';
        if (value === undefined || value === '') delete next[field];
        else next[field] = value;
      } else if ((op === 'add' || op === 'remove') && path === '/stages') {
        const [restApiId, stageName] = (value ?? '').split('/');
        if (!restApiId || !stageName) throw badRequest('Invalid stage key: expected restApiId/stageName');
        const entry = `${restApiId}/${stageName}`;
        if (op === 'add') {
          checkStage(restApiId, stageName);
          if (!next.stageKeys.includes(entry)) next.stageKeys.push(entry);
        } else next.stageKeys = next.stageKeys.filter((s) => s !== entry);
      } else {
        throw badRequest(
          `Invalid patch operation specified. Must be one of: [replace /enabled, replace /name, replace /description, replace /customerId, add /stages, remove /stages] (got ${op} ${path})`,
        );
      }
    }
    next.lastUpdatedDate = seconds();
    state.apiKeys[id] = next;
    store.changed();
    return next;
  }

  function deleteApiKey(id: string): void {
    const key = requireKey(id);
    for (const plan of plansOfKey(id)) {
      plan.keyIds = plan.keyIds.filter((k) => k !== id);
      delete state.usage[plan.id]?.[id];
    }
    byValue.delete(key.value);
    delete state.apiKeys[id];
    store.changed();
  }

  function checkStage(apiId: string, stage: string): void {
    if (deps.stageExists && !deps.stageExists(apiId, stage)) {
      throw badRequest(`Invalid API Stage {api: ${apiId}, stage: ${stage}} specified`);
    }
  }

  function parseApiStages(input: UsagePlanInput['apiStages']): ApiStage[] {
    const stages: ApiStage[] = [];
    for (const raw of input ?? []) {
      if (!raw.apiId || !raw.stage) throw badRequest('Invalid API Stage: apiId and stage are required');
      checkStage(raw.apiId, raw.stage);
      if (stages.some((s) => s.apiId === raw.apiId && s.stage === raw.stage)) {
        throw badRequest(`Duplicate API Stage {api: ${raw.apiId}, stage: ${raw.stage}} specified`);
      }
      const stage: ApiStage = { apiId: raw.apiId, stage: raw.stage };
      if (raw.throttle && Object.keys(raw.throttle).length > 0) {
        stage.throttle = {};
        for (const [methodKey, settings] of Object.entries(raw.throttle)) {
          if (!/^\/.*\/[A-Z*]+$/.test(methodKey)) {
            throw badRequest(
              `Invalid method throttle key ${methodKey}: expected {resourcePath}/{httpMethod}`,
            );
          }
          stage.throttle[methodKey] = parseThrottle(settings);
        }
      }
      stages.push(stage);
    }
    return stages;
  }

  function createUsagePlan(input: UsagePlanInput): UsagePlanRecord {
    if (!input.name) throw badRequest('Usage Plan name is required');
    const plan: UsagePlanRecord = {
      id: newUniqueId(6, state.usagePlans),
      name: input.name,
      apiStages: parseApiStages(input.apiStages),
      keyIds: [],
    };
    if (input.description !== undefined) plan.description = input.description;
    if (input.throttle) plan.throttle = parseThrottle(input.throttle);
    if (input.quota) plan.quota = parseQuota(input.quota);
    if (input.tags !== undefined) plan.tags = { ...input.tags };
    state.usagePlans[plan.id] = plan;
    store.changed();
    return plan;
  }

  /** Replaces a plan's settings in place (CloudFormation updates and re-adoption keep id and keys). */
  function replaceUsagePlan(id: string, input: UsagePlanInput): UsagePlanRecord {
    const plan = requirePlan(id);
    const apiStages = parseApiStages(input.apiStages);
    checkKeysMayJoin(plan, apiStages);
    const next: UsagePlanRecord = { id, name: input.name ?? plan.name, apiStages, keyIds: plan.keyIds };
    if (input.description !== undefined) next.description = input.description;
    if (input.throttle) next.throttle = parseThrottle(input.throttle);
    if (input.quota) next.quota = parseQuota(input.quota);
    if (input.tags !== undefined) next.tags = { ...input.tags };
    state.usagePlans[id] = next;
    store.changed();
    return next;
  }

  /** ConflictException when a key of `plan` is already in another plan holding one of `stages`. */
  function checkKeysMayJoin(plan: UsagePlanRecord, stages: ApiStage[]): void {
    for (const keyId of plan.keyIds) {
      const other = plansOfKey(keyId).find((p) => p.id !== plan.id && sharesStage(p, stages));
      if (other) {
        throw conflict(
          `Usage Plan ${plan.id} cannot be updated because API Key ${keyId} cannot reference multiple Usage Plans with the same API Stage (it is in Usage Plan ${other.id})`,
        );
      }
    }
  }

  function updateUsagePlan(id: string, operations: PatchOperation[]): UsagePlanRecord {
    const plan = requirePlan(id);
    const next: UsagePlanRecord = structuredClone(plan);
    for (const { op, path = '', value } of operations) {
      if (op === 'replace' && (path === '/name' || path === '/description')) {
        if (path === '/name') {
          if (!value) throw badRequest('Usage Plan name is required');
          next.name = value;
        } else if (value) next.description = value;
        else delete next.description;
      } else if ((op === 'replace' || op === 'add') && /^\/throttle\/(rateLimit|burstLimit)$/.test(path)) {
        const field = path.slice('/throttle/'.length) as keyof ThrottleSettings;
        next.throttle = parseThrottle({
          rateLimit: 0,
          burstLimit: 0,
          ...next.throttle,
          [field]: Number(value),
        });
      } else if (op === 'remove' && path === '/throttle') {
        delete next.throttle;
      } else if ((op === 'replace' || op === 'add') && /^\/quota\/(limit|period|offset)$/.test(path)) {
        const field = path.slice('/quota/'.length);
        const current: Record<string, unknown> = { limit: 0, period: 'DAY', offset: 0, ...next.quota };
        current[field] = field === 'period' ? value : Number(value);
        next.quota = parseQuota(current as { limit?: number; period?: string; offset?: number });
      } else if (op === 'remove' && path === '/quota') {
        delete next.quota;
      } else if ((op === 'add' || op === 'remove') && path === '/apiStages') {
        const [apiId, stage] = (value ?? '').split(':');
        if (!apiId || !stage) throw badRequest('Invalid API Stage: expected {restApiId}:{stageName}');
        if (op === 'add') {
          if (next.apiStages.some((s) => s.apiId === apiId && s.stage === stage)) {
            throw conflict(`Usage Plan ${id} already contains API Stage {api: ${apiId}, stage: ${stage}}`);
          }
          checkStage(apiId, stage);
          next.apiStages.push({ apiId, stage });
        } else {
          const before = next.apiStages.length;
          next.apiStages = next.apiStages.filter((s) => !(s.apiId === apiId && s.stage === stage));
          if (next.apiStages.length === before) {
            throw notFound(`Usage Plan ${id} does not contain API Stage {api: ${apiId}, stage: ${stage}}`);
          }
        }
      } else {
        throw badRequest(
          `Invalid patch operation specified. The local cloud supports replace /name, /description, /throttle/rateLimit, /throttle/burstLimit, /quota/limit, /quota/period, /quota/offset, remove /throttle, /quota, add/remove /apiStages (got ${op} ${path})`,
        );
      }
    }
    checkKeysMayJoin(next, next.apiStages);
    state.usagePlans[id] = next;
    store.changed();
    return next;
  }

  function deleteUsagePlan(id: string): void {
    requirePlan(id);
    delete state.usagePlans[id];
    delete state.usage[id];
    store.changed();
  }

  function addKey(planId: string, keyId: string, keyType: string | undefined): ApiKeyRecord {
    if (keyType !== 'API_KEY') throw badRequest(`Invalid key type: ${keyType ?? '(none)'}. Must be API_KEY`);
    const plan = requirePlan(planId);
    const key = requireKey(keyId);
    if (plan.keyIds.includes(keyId)) throw conflict(`Usage Plan ${planId} already contains API Key ${keyId}`);
    const other = plansOfKey(keyId).find((p) => sharesStage(p, plan.apiStages));
    if (other) {
      throw conflict(
        `Usage Plan ${planId} cannot be added because API Key ${keyId} cannot reference multiple Usage Plans with the same API Stage (it is in Usage Plan ${other.id})`,
      );
    }
    plan.keyIds.push(keyId);
    store.changed();
    return key;
  }

  /** Adds a key unless a conflicting plan holds it already (used when a template re-creates a plan or key). */
  function addKeyQuietly(planId: string, keyId: string): void {
    try {
      if (!requirePlan(planId).keyIds.includes(keyId)) addKey(planId, keyId, 'API_KEY');
    } catch {
      // A conflicting membership made at run time wins; AWS would not have lost it either.
    }
  }

  function removeKey(planId: string, keyId: string): void {
    const plan = requirePlan(planId);
    if (!plan.keyIds.includes(keyId)) throw notFound('Invalid API Key identifier specified');
    plan.keyIds = plan.keyIds.filter((k) => k !== keyId);
    store.changed();
  }

  function planKey(planId: string, keyId: string): ApiKeyRecord {
    const plan = requirePlan(planId);
    if (!plan.keyIds.includes(keyId)) throw notFound('Invalid API Key identifier specified');
    return requireKey(keyId);
  }

  return {
    state,
    requireKey,
    requirePlan,
    plansOfKey,
    createApiKey,
    replaceApiKey,
    restoreApiKey,
    updateApiKey,
    deleteApiKey,
    createUsagePlan,
    replaceUsagePlan,
    updateUsagePlan,
    deleteUsagePlan,
    addKey,
    addKeyQuietly,
    removeKey,
    planKey,
    /** The key with this value, if any. */
    keyByValue: (value: string): ApiKeyRecord | undefined => {
      const id = byValue.get(value);
      return id === undefined ? undefined : state.apiKeys[id];
    },
    /** The plan through which `keyId` may call this API stage (at most one, AWS makes sure). */
    planFor(keyId: string, apiId: string, stage: string): UsagePlanRecord | undefined {
      return plansOfKey(keyId).find((p) => p.apiStages.some((s) => s.apiId === apiId && s.stage === stage));
    },
  };
}

function newUniqueId(length: number, taken: Record<string, unknown>): string {
  let id = newId(length);
  while (taken[id]) id = newId(length);
  return id;
}

export function parseThrottle(raw: Partial<ThrottleSettings>): ThrottleSettings {
  const rateLimit = Number(raw.rateLimit ?? 0);
  const burstLimit = Number(raw.burstLimit ?? 0);
  if (!Number.isFinite(rateLimit) || rateLimit < 0)
    throw badRequest('Invalid throttle: rateLimit must be >= 0');
  if (!Number.isInteger(burstLimit) || burstLimit < 0) {
    throw badRequest('Invalid throttle: burstLimit must be an integer >= 0');
  }
  return { rateLimit, burstLimit };
}

export function parseQuota(raw: { limit?: number; period?: string; offset?: number }): QuotaSettings {
  const limit = Number(raw.limit);
  const period = raw.period as QuotaPeriod;
  const offset = Number(raw.offset ?? 0);
  if (!Number.isInteger(limit) || limit < 0) throw badRequest('Invalid quota: limit must be an integer >= 0');
  if (period !== 'DAY' && period !== 'WEEK' && period !== 'MONTH') {
    throw badRequest(`Invalid quota period: ${String(raw.period)}. Must be one of DAY, WEEK, MONTH`);
  }
  if (!validOffset(period, offset)) {
    throw badRequest(
      `Invalid quota offset ${offset} for period ${period}: DAY allows 0, WEEK 0-6, MONTH 0-27`,
    );
  }
  return { limit, period, offset };
}
