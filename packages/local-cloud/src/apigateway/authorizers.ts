/**
 * Lambda (TOKEN / REQUEST) authorizers: identity-source checks, invocation, result caching per stage and
 * authorizer (keyed by the identity-source values, as AWS does) and policy evaluation for every method ARN.
 */
import { performance } from 'node:perf_hooks';
import type { Clock, LambdaInvoker } from '../types.js';
import { buildTokenAuthorizerEvent } from './events.js';
import { type RequestView, resolveValueSource } from './mapping.js';
import type { AuthorizerConfig, GatewayResponseType } from './model.js';
import { evaluatePolicy, type ParsedPolicy, type PolicyDecision, parsePolicy } from './policy.js';
import { withTimeout } from './timeout.js';

export type AuthorizationOutcome =
  | {
      ok: true;
      /** `requestContext.authorizer`: the context values as strings, principalId and integrationLatency. */
      authorizer: Record<string, unknown>;
      usageIdentifierKey?: string;
    }
  | { ok: false; responseType: GatewayResponseType; message?: string | null };

export interface AuthorizationRequest {
  apiId: string;
  stage: string;
  authorizer: AuthorizerConfig;
  methodArn: string;
  view: RequestView;
  /** Builds the REQUEST authorizer event; only called when the authorizer is invoked. */
  requestEvent: () => Record<string, unknown>;
  timeoutMs: number;
}

interface CachedResult {
  expiresAt: number;
  principalId: string;
  policy: ParsedPolicy;
  context: Record<string, string>;
  usageIdentifierKey?: string;
  /** The policy's decision per method ARN, evaluated once per cached result. */
  decisions?: Map<string, PolicyDecision>;
}

export interface AuthorizerRunner {
  /** Synchronous when the answer is known without invoking the authorizer (cached, or no identity). */
  authorize(request: AuthorizationRequest): AuthorizationOutcome | Promise<AuthorizationOutcome>;
  /** Forgets cached results of one API (one stage, or all), like FlushStageAuthorizersCache. */
  flush(apiId: string, stage?: string): void;
  /** Forgets cached results of one authorizer (when it is deleted). */
  forgetAuthorizer(apiId: string, authorizerId: string): void;
}

const UNAUTHORIZED: AuthorizationOutcome = { ok: false, responseType: 'UNAUTHORIZED' };
const CONFIGURATION_ERROR: AuthorizationOutcome = {
  ok: false,
  responseType: 'AUTHORIZER_CONFIGURATION_ERROR',
};
const EXPLICIT_DENY: AuthorizationOutcome = {
  ok: false,
  responseType: 'ACCESS_DENIED',
  message: 'User is not authorized to access this resource with an explicit deny',
};
const NOT_ALLOWED: AuthorizationOutcome = { ok: false, responseType: 'ACCESS_DENIED' };
const MAX_ENTRIES_PER_AUTHORIZER = 10_000;
/** Method ARNs name the path (one per item), so the decisions kept per cached result are capped. */
const MAX_DECISIONS_PER_RESULT = 256;

type Invoked =
  | { outcome: AuthorizationOutcome }
  | { parsed: NonNullable<ReturnType<typeof parseAuthorizerResult>>; latency: number };

export function createAuthorizerRunner(deps: { lambda: LambdaInvoker; clock: Clock }): AuthorizerRunner {
  /** apiId → stage → authorizerId → identity key → result */
  const caches = new Map<string, Map<string, Map<string, Map<string, CachedResult>>>>();
  const inFlight = new Map<string, Promise<Invoked>>();

  function cacheFor(apiId: string, stage: string, authorizerId: string): Map<string, CachedResult> {
    const byStage = getOrCreate(
      caches,
      apiId,
      () => new Map<string, Map<string, Map<string, CachedResult>>>(),
    );
    const byAuthorizer = getOrCreate(byStage, stage, () => new Map<string, Map<string, CachedResult>>());
    return getOrCreate(byAuthorizer, authorizerId, () => new Map<string, CachedResult>());
  }

  function authorize(request: AuthorizationRequest): AuthorizationOutcome | Promise<AuthorizationOutcome> {
    const { authorizer } = request;
    const values: string[] = [];
    for (const source of authorizer.identitySources) {
      const value = resolveValueSource(source, request.view);
      if (value === undefined || value === '') return UNAUTHORIZED;
      values.push(value);
    }
    const token = values[0] ?? '';
    if (authorizer.type === 'TOKEN' && authorizer.validation && !authorizer.validation.test(token))
      return UNAUTHORIZED;

    const caching = authorizer.ttlSeconds > 0;
    const key = values.length === 1 ? token : values.join('\u0000');
    const entries = caching ? cacheFor(request.apiId, request.stage, authorizer.id) : undefined;
    const cached = entries?.get(key);
    if (cached && cached.expiresAt > deps.clock.now()) return decide(cached, request.methodArn, 0);
    return invokeAuthorizer(request, token, key, entries);
  }

  async function invokeAuthorizer(
    request: AuthorizationRequest,
    token: string,
    key: string,
    entries: Map<string, CachedResult> | undefined,
  ): Promise<AuthorizationOutcome> {
    const { authorizer } = request;

    const invoke = async (): Promise<Invoked> => {
      const event =
        authorizer.type === 'TOKEN'
          ? buildTokenAuthorizerEvent(token, request.methodArn)
          : request.requestEvent();
      const started = performance.now();
      let result: Awaited<ReturnType<LambdaInvoker['invoke']>>;
      try {
        result = await withTimeout(deps.lambda.invoke(authorizer.functionArn, event), request.timeoutMs);
      } catch {
        return { outcome: CONFIGURATION_ERROR };
      }
      const latency = Math.round(performance.now() - started);
      if (!result.ok)
        return { outcome: result.error.errorMessage === 'Unauthorized' ? UNAUTHORIZED : CONFIGURATION_ERROR };
      const parsed = parseAuthorizerResult(result.payload);
      if (!parsed) return { outcome: CONFIGURATION_ERROR };
      if (entries) {
        if (entries.size >= MAX_ENTRIES_PER_AUTHORIZER) prune(entries, deps.clock.now());
        entries.set(key, { ...parsed, expiresAt: deps.clock.now() + authorizer.ttlSeconds * 1000 });
      }
      return { parsed, latency };
    };
    // Requests that miss the cache with the same identity at the same moment share one authorizer
    // call: its result is what the cache would give them a moment later anyway.
    let invoked: Promise<Invoked>;
    if (entries) {
      const flightKey = `${request.apiId}\u0000${request.stage}\u0000${authorizer.id}\u0000${key}`;
      const existing = inFlight.get(flightKey);
      invoked = existing ?? invoke().finally(() => inFlight.delete(flightKey));
      if (!existing) inFlight.set(flightKey, invoked);
    } else invoked = invoke();
    const outcome = await invoked;
    if ('outcome' in outcome) return outcome.outcome;
    return decide({ ...outcome.parsed, expiresAt: 0 }, request.methodArn, outcome.latency);
  }

  return {
    authorize,
    flush(apiId, stage) {
      if (stage === undefined) caches.delete(apiId);
      else caches.get(apiId)?.delete(stage);
    },
    forgetAuthorizer(apiId, authorizerId) {
      for (const byAuthorizer of caches.get(apiId)?.values() ?? []) byAuthorizer.delete(authorizerId);
    },
  };
}

function decide(result: CachedResult, methodArn: string, latency: number): AuthorizationOutcome {
  result.decisions ??= new Map();
  let decision = result.decisions.get(methodArn);
  if (decision === undefined) {
    decision = evaluatePolicy(result.policy, methodArn);
    if (result.decisions.size >= MAX_DECISIONS_PER_RESULT) result.decisions.clear();
    result.decisions.set(methodArn, decision);
  }
  if (decision === 'deny') return EXPLICIT_DENY;
  if (decision === 'none') return NOT_ALLOWED;
  const authorizer: Record<string, unknown> = { ...result.context };
  authorizer.principalId = result.principalId;
  authorizer.integrationLatency = latency;
  return result.usageIdentifierKey === undefined
    ? { ok: true, authorizer }
    : { ok: true, authorizer, usageIdentifierKey: result.usageIdentifierKey };
}

/** Validates an authorizer's answer; undefined when AWS would answer 500 (AuthorizerConfigurationException). */
export function parseAuthorizerResult(payload: unknown): Omit<CachedResult, 'expiresAt'> | undefined {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return undefined;
  const result = payload as Record<string, unknown>;
  const principalId = result.principalId;
  if (typeof principalId !== 'string' && typeof principalId !== 'number') return undefined;
  const policy = parsePolicy(result.policyDocument);
  if (!policy) return undefined;
  const context: Record<string, string> = {};
  const rawContext = result.context;
  if (rawContext !== undefined && rawContext !== null) {
    if (typeof rawContext !== 'object' || Array.isArray(rawContext)) return undefined;
    for (const [name, value] of Object.entries(rawContext as Record<string, unknown>)) {
      if (value === null || value === undefined) continue;
      // Only strings, numbers and booleans are allowed; AWS rejects nested objects and arrays.
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
        return undefined;
      context[name] = String(value);
    }
  }
  const usageIdentifierKey = result.usageIdentifierKey;
  if (
    usageIdentifierKey !== undefined &&
    usageIdentifierKey !== null &&
    typeof usageIdentifierKey !== 'string'
  ) {
    return undefined;
  }
  const parsed: Omit<CachedResult, 'expiresAt'> = { principalId: String(principalId), policy, context };
  if (typeof usageIdentifierKey === 'string') parsed.usageIdentifierKey = usageIdentifierKey;
  return parsed;
}

function prune(entries: Map<string, CachedResult>, now: number): void {
  for (const [key, entry] of entries) if (entry.expiresAt <= now) entries.delete(key);
  if (entries.size >= MAX_ENTRIES_PER_AUTHORIZER) entries.clear();
}

function getOrCreate<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}
