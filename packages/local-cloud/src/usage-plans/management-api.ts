/**
 * The API Gateway management API (restJson, as `@aws-sdk/client-api-gateway` speaks it) for API keys,
 * usage plans, plan keys, usage reports and FlushStageAuthorizersCache. Errors carry
 * `x-amzn-ErrorType` and `{"message"}` so the SDK throws its named exceptions. The account-wide
 * request limits AWS documents for these operations apply (TooManyRequestsException).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson } from '../http.js';
import type { HttpHandler } from '../types.js';
import type { ApiKeyInput, Catalog, PatchOperation, UsagePlanInput } from './catalog.js';
import { ApiGatewayServiceError, badRequest, notFound, tooManyRequests } from './errors.js';
import type { ApiKeyRecord, UsagePlanRecord } from './model.js';
import { TokenBucket } from './token-bucket.js';
import type { UsageMeter } from './usage.js';

const MAX_BODY_BYTES = 1024 * 1024;

/** AWS's fixed control-plane limits (requests per second, bucket) for the operations served here. */
const LIMITS: Record<string, [number, number]> = {
  total: [10, 40],
  CreateApiKey: [5, 5],
  DeleteApiKey: [5, 5],
  UpdateUsagePlan: [1 / 20, 1],
};

export interface ManagementApiDeps {
  catalog: Catalog;
  meter: UsageMeter;
  now: () => number;
  flushAuthorizerCache: (restApiId: string, stage?: string) => void;
  stageExists?: (restApiId: string, stage: string) => boolean;
  /** Called when a key or plan is deleted (its token buckets are dropped). */
  forget: (id: string) => void;
  /** False turns AWS's control-plane request limits off. */
  controlPlaneLimits: boolean;
  onError: (error: unknown) => void;
}

interface Request {
  method: string;
  segments: string[];
  query: URLSearchParams;
  body: () => Promise<Record<string, unknown>>;
}

interface Reply {
  status: number;
  body?: unknown;
}

export function createManagementApi(deps: ManagementApiDeps): HttpHandler {
  const { catalog, meter } = deps;
  const buckets = new Map<string, TokenBucket>();

  function admit(operation: string): void {
    if (!deps.controlPlaneLimits) return;
    const now = deps.now();
    const names = LIMITS[operation] ? ['total', operation] : ['total'];
    const needed = names.map((name) => {
      let bucket = buckets.get(name);
      if (!bucket) {
        const [rate, burst] = LIMITS[name] as [number, number];
        bucket = new TokenBucket(rate, burst, now);
        buckets.set(name, bucket);
      }
      return bucket;
    });
    if (needed.some((b) => b.available(now) < 1)) throw tooManyRequests();
    for (const b of needed) b.consume();
  }

  async function route(request: Request): Promise<Reply> {
    const { method, segments: s, query } = request;
    const [root, id, sub, subId, extra] = s;
    if (root === 'apikeys') {
      if (s.length === 1 && method === 'POST') {
        admit('CreateApiKey');
        const body = await request.body();
        return { status: 201, body: apiKeyJson(catalog.createApiKey(apiKeyInputOf(body)), true) };
      }
      if (s.length === 1 && method === 'GET') {
        admit('GetApiKeys');
        const nameQuery = query.get('name');
        const customerId = query.get('customerId');
        const keys = Object.values(catalog.state.apiKeys).filter(
          (k) =>
            (nameQuery === null || (k.name ?? '').startsWith(nameQuery)) &&
            (customerId === null || k.customerId === customerId),
        );
        const includeValues = query.get('includeValues') === 'true';
        return { status: 200, body: page(keys, query, (k) => apiKeyJson(k, includeValues)) };
      }
      if (s.length === 2 && id) {
        if (method === 'GET') {
          admit('GetApiKey');
          return {
            status: 200,
            body: apiKeyJson(catalog.requireKey(id), query.get('includeValue') === 'true'),
          };
        }
        if (method === 'PATCH') {
          admit('UpdateApiKey');
          const key = catalog.updateApiKey(id, patchOperations(await request.body()));
          return { status: 200, body: apiKeyJson(key, false) };
        }
        if (method === 'DELETE') {
          admit('DeleteApiKey');
          catalog.deleteApiKey(id);
          deps.forget(id);
          return { status: 202 };
        }
      }
    }
    if (root === 'usageplans') {
      if (s.length === 1 && method === 'POST') {
        admit('CreateUsagePlan');
        return {
          status: 201,
          body: usagePlanJson(catalog.createUsagePlan(usagePlanInputOf(await request.body()))),
        };
      }
      if (s.length === 1 && method === 'GET') {
        admit('GetUsagePlans');
        const keyId = query.get('keyId');
        const plans = Object.values(catalog.state.usagePlans).filter(
          (p) => keyId === null || p.keyIds.includes(keyId),
        );
        return { status: 200, body: page(plans, query, usagePlanJson) };
      }
      if (s.length === 2 && id) {
        if (method === 'GET') {
          admit('GetUsagePlan');
          return { status: 200, body: usagePlanJson(catalog.requirePlan(id)) };
        }
        if (method === 'PATCH') {
          catalog.requirePlan(id);
          admit('UpdateUsagePlan');
          return {
            status: 200,
            body: usagePlanJson(catalog.updateUsagePlan(id, patchOperations(await request.body()))),
          };
        }
        if (method === 'DELETE') {
          admit('DeleteUsagePlan');
          catalog.deleteUsagePlan(id);
          deps.forget(id);
          return { status: 202 };
        }
      }
      if (id && sub === 'keys') {
        if (s.length === 3 && method === 'POST') {
          admit('CreateUsagePlanKey');
          const body = await request.body();
          const key = catalog.addKey(id, String(body.keyId ?? ''), body.keyType as string | undefined);
          return { status: 201, body: planKeyJson(key) };
        }
        if (s.length === 3 && method === 'GET') {
          admit('GetUsagePlanKeys');
          const plan = catalog.requirePlan(id);
          const nameQuery = query.get('name');
          const keys = plan.keyIds
            .map((k) => catalog.state.apiKeys[k])
            .filter((k): k is ApiKeyRecord => k !== undefined)
            .filter((k) => nameQuery === null || (k.name ?? '').startsWith(nameQuery));
          return { status: 200, body: page(keys, query, planKeyJson) };
        }
        if (s.length === 4 && subId && method === 'GET') {
          admit('GetUsagePlanKey');
          return { status: 200, body: planKeyJson(catalog.planKey(id, subId)) };
        }
        if (s.length === 4 && subId && method === 'DELETE') {
          admit('DeleteUsagePlanKey');
          catalog.removeKey(id, subId);
          return { status: 202 };
        }
      }
      if (id && sub === 'usage' && s.length === 3 && method === 'GET') {
        admit('GetUsage');
        const plan = catalog.requirePlan(id);
        const input: Parameters<UsageMeter['report']>[1] = {};
        for (const name of ['startDate', 'endDate', 'keyId', 'position'] as const) {
          const value = query.get(name);
          if (value !== null) input[name] = value;
        }
        const limit = query.get('limit');
        if (limit !== null) input.limit = parseLimit(limit);
        const report = meter.report(plan, input);
        const { items, ...rest } = report;
        return { status: 200, body: { ...rest, values: items } };
      }
    }
    if (
      root === 'restapis' &&
      s.length === 6 &&
      sub === 'stages' &&
      extra === 'cache' &&
      s[5] === 'authorizers'
    ) {
      if (method === 'DELETE' && id && subId) {
        admit('FlushStageAuthorizersCache');
        if (deps.stageExists && !deps.stageExists(id, subId))
          throw notFound('Invalid stage identifier specified');
        deps.flushAuthorizerCache(id, subId);
        return { status: 202 };
      }
    }
    throw badRequest(
      `the local cloud does not emulate ${method} /${s.join('/')} of the API Gateway management API (it serves API keys, usage plans, usage and FlushStageAuthorizersCache)`,
    );
  }

  return async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://local');
    const segments = url.pathname
      .split('/')
      .filter((part) => part !== '')
      .map((part) => safeDecode(part));
    let bodyRead: Promise<Record<string, unknown>> | undefined;
    const request: Request = {
      method: req.method ?? 'GET',
      segments,
      query: url.searchParams,
      body: () => {
        bodyRead ??= readJson(req);
        return bodyRead;
      },
    };
    try {
      const reply = await route(request);
      if (!bodyRead) req.resume();
      sendJson(res, reply.status, reply.body);
    } catch (error) {
      if (!bodyRead) req.resume();
      if (error instanceof ApiGatewayServiceError) {
        sendJson(res, error.statusCode, { message: error.message }, { 'x-amzn-errortype': error.type });
        return;
      }
      deps.onError(error);
      sendJson(
        res,
        500,
        { message: 'Internal server error' },
        { 'x-amzn-errortype': 'InternalServerErrorException' },
      );
    }
  };
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const body = await readBody(req, MAX_BODY_BYTES);
  if (!body) throw badRequest('Request body too large');
  const text = body.toString('utf8');
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw badRequest('Invalid JSON in request body');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw badRequest('The request body must be a JSON object');
  return parsed as Record<string, unknown>;
}

function apiKeyInputOf(body: Record<string, unknown>): ApiKeyInput {
  for (const field of ['name', 'description', 'value', 'customerId'] as const) {
    if (body[field] !== undefined && typeof body[field] !== 'string')
      throw badRequest(`${field} must be a string`);
  }
  if (body.enabled !== undefined && typeof body.enabled !== 'boolean')
    throw badRequest('enabled must be a boolean');
  if (body.stageKeys !== undefined && !Array.isArray(body.stageKeys))
    throw badRequest('stageKeys must be a list');
  if (body.tags !== undefined && (typeof body.tags !== 'object' || body.tags === null)) {
    throw badRequest('tags must be a map');
  }
  return body as ApiKeyInput;
}

function usagePlanInputOf(body: Record<string, unknown>): UsagePlanInput {
  if (body.name !== undefined && typeof body.name !== 'string') throw badRequest('name must be a string');
  if (body.apiStages !== undefined && !Array.isArray(body.apiStages))
    throw badRequest('apiStages must be a list');
  for (const field of ['throttle', 'quota', 'tags'] as const) {
    const value = body[field];
    if (value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value))) {
      throw badRequest(`${field} must be a map`);
    }
  }
  return body as UsagePlanInput;
}

function patchOperations(body: Record<string, unknown>): PatchOperation[] {
  const ops = body.patchOperations ?? [];
  if (!Array.isArray(ops)) throw badRequest('patchOperations must be a list');
  return ops as PatchOperation[];
}

function parseLimit(raw: string | null): number {
  if (raw === null) return 25;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500)
    throw badRequest('limit must be between 1 and 500');
  return limit;
}

/** `{item, position}` as API Gateway pages: `position` is opaque to callers (here the next offset). */
function page<T>(all: T[], query: URLSearchParams, toJson: (item: T) => unknown): Record<string, unknown> {
  const limit = parseLimit(query.get('limit'));
  const rawPosition = query.get('position');
  const offset = rawPosition === null ? 0 : Number.parseInt(rawPosition, 36);
  if (!Number.isInteger(offset) || offset < 0) throw badRequest('Invalid position');
  const items = all.slice(offset, offset + limit).map(toJson);
  const next = offset + limit < all.length ? (offset + limit).toString(36) : undefined;
  return next === undefined ? { item: items } : { item: items, position: next };
}

function apiKeyJson(key: ApiKeyRecord, includeValue: boolean): Record<string, unknown> {
  const json: Record<string, unknown> = {
    id: key.id,
    enabled: key.enabled,
    createdDate: key.createdDate,
    lastUpdatedDate: key.lastUpdatedDate,
    stageKeys: key.stageKeys,
  };
  if (includeValue) json.value = key.value;
  if (key.name !== undefined) json.name = key.name;
  if (key.description !== undefined) json.description = key.description;
  if (key.customerId !== undefined) json.customerId = key.customerId;
  if (key.tags !== undefined) json.tags = key.tags;
  return json;
}

function usagePlanJson(plan: UsagePlanRecord): Record<string, unknown> {
  const json: Record<string, unknown> = { id: plan.id, name: plan.name, apiStages: plan.apiStages };
  if (plan.description !== undefined) json.description = plan.description;
  if (plan.throttle) json.throttle = plan.throttle;
  if (plan.quota) json.quota = plan.quota;
  if (plan.tags !== undefined) json.tags = plan.tags;
  return json;
}

function planKeyJson(key: ApiKeyRecord): Record<string, unknown> {
  const json: Record<string, unknown> = { id: key.id, type: 'API_KEY', value: key.value };
  if (key.name !== undefined) json.name = key.name;
  return json;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
