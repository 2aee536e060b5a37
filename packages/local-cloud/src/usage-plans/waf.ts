/**
 * AWS WAFv2 web ACLs as API Gateway stages use them: rules in priority order, rate-based rules
 * counting per client address over a sliding window (optionally scoped down by byte matches), and
 * Block actions with custom responses. Evaluated before routing and authorization, as on AWS.
 */
import type { BeforeAuthorizationContext, BeforeAuthorizationResult } from '../apigateway/index.js';
import { InvalidPropertyError } from '../errors.js';
import { UnsupportedWafFeatureError } from './errors.js';

type Props = Record<string, unknown>;

export interface WafRequest {
  method: string;
  uriPaths: string[];
  query: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  sourceIp: string;
}

type Matcher = (request: WafRequest) => boolean;

interface BlockAction {
  kind: 'block';
  response?: { statusCode: number; body: string; headers: Record<string, string> };
}
type Action = BlockAction | { kind: 'allow' } | { kind: 'count' };

interface RateLimit {
  limit: number;
  windowSec: number;
  /** The aggregation key of a request; undefined when the request is not counted (FORWARDED_IP NO_MATCH). */
  keyOf: (request: WafRequest) => string | undefined;
  scopeDown?: Matcher;
  /** aggregation key → per-second counts over the window */
  windows: Map<string, SlidingWindow>;
}

interface Rule {
  name: string;
  priority: number;
  match?: Matcher;
  rate?: RateLimit;
  action: Action;
}

export interface WebAcl {
  id: string;
  name: string;
  arn: string;
  rules: Rule[];
  defaultAction: Action;
}

const WINDOWS = new Set([60, 120, 300, 600]);
const TRANSFORMS: Record<string, (value: string) => string> = {
  NONE: (v) => v,
  LOWERCASE: (v) => v.toLowerCase(),
  URL_DECODE: (v) => safeDecode(v),
  URL_DECODE_UNI: (v) => safeDecode(v),
  COMPRESS_WHITE_SPACE: (v) => v.replace(/[\s\f\v]+/g, ' '),
  TRIM: (v) => v.trim(),
};
const CONTENT_TYPES: Record<string, string> = {
  TEXT_PLAIN: 'text/plain',
  TEXT_HTML: 'text/html',
  APPLICATION_JSON: 'application/json',
};

/** Counts per second over the last `windowSec` seconds. */
export class SlidingWindow {
  private readonly counts: number[];
  private readonly seconds: number[];

  constructor(private readonly windowSec: number) {
    this.counts = new Array<number>(windowSec).fill(0);
    this.seconds = new Array<number>(windowSec).fill(-1);
  }

  /** Adds one request at `ms` and returns how many fell in the window ending then. */
  add(ms: number): number {
    const second = Math.floor(ms / 1000);
    const slot = second % this.windowSec;
    if (this.seconds[slot] !== second) {
      this.seconds[slot] = second;
      this.counts[slot] = 0;
    }
    this.counts[slot] = (this.counts[slot] ?? 0) + 1;
    return this.total(ms);
  }

  total(ms: number): number {
    const second = Math.floor(ms / 1000);
    let sum = 0;
    for (let i = 0; i < this.windowSec; i++) {
      const at = this.seconds[i] ?? -1;
      if (at > second - this.windowSec && at <= second) sum += this.counts[i] ?? 0;
    }
    return sum;
  }

  /** True when nothing in it counts any more (so it can be dropped). */
  idle(ms: number): boolean {
    return this.total(ms) === 0;
  }
}

/** Parses `AWS::WAFv2::WebACL` properties; throws naming any statement or option it cannot evaluate. */
export function parseWebAcl(props: Props, ids: { id: string; arn: string }, what: string): WebAcl {
  const scope = props.Scope;
  if (scope !== 'REGIONAL') {
    throw new UnsupportedWafFeatureError(
      `${what}: Scope ${String(scope)} cannot protect an API Gateway stage (use REGIONAL)`,
    );
  }
  const bodies = parseBodies(props.CustomResponseBodies, what);
  if (!isRecord(props.DefaultAction)) throw new InvalidPropertyError(`${what}: DefaultAction is required`);
  const defaultAction = parseAction(props.DefaultAction, bodies, `${what}: DefaultAction`);
  if (defaultAction.kind === 'count')
    throw new InvalidPropertyError(`${what}: DefaultAction must be Allow or Block`);
  const rawRules = props.Rules ?? [];
  if (!Array.isArray(rawRules)) throw new InvalidPropertyError(`${what}: Rules must be a list`);
  const rules = rawRules.map((raw, index) => parseRule(raw, bodies, `${what}: Rules[${index}]`));
  const priorities = new Set(rules.map((r) => r.priority));
  if (priorities.size !== rules.length)
    throw new InvalidPropertyError(`${what}: rule priorities must be unique`);
  rules.sort((a, b) => a.priority - b.priority);
  return { ...ids, name: String(props.Name ?? ids.id), rules, defaultAction };
}

function parseRule(
  raw: unknown,
  bodies: Map<string, { contentType: string; content: string }>,
  what: string,
): Rule {
  if (!isRecord(raw)) throw new InvalidPropertyError(`${what} must be a map`);
  const name = typeof raw.Name === 'string' ? raw.Name : what;
  const where = `${what} (${name})`;
  const priority = Number(raw.Priority);
  if (!Number.isInteger(priority) || priority < 0)
    throw new InvalidPropertyError(`${where}: Priority must be an integer >= 0`);
  if (raw.OverrideAction !== undefined) {
    throw new UnsupportedWafFeatureError(
      `${where}: OverrideAction (rule groups) is not supported by the local cloud`,
    );
  }
  if (raw.RuleLabels !== undefined) {
    throw new UnsupportedWafFeatureError(`${where}: RuleLabels are not supported by the local cloud`);
  }
  if (!isRecord(raw.Action)) throw new InvalidPropertyError(`${where}: Action is required`);
  const action = parseAction(raw.Action, bodies, `${where}: Action`);
  if (!isRecord(raw.Statement)) throw new InvalidPropertyError(`${where}: Statement is required`);
  const statement = raw.Statement;
  const rateStatement = statement.RateBasedStatement;
  if (isRecord(rateStatement))
    return { name, priority, action, rate: parseRate(rateStatement, `${where}: RateBasedStatement`) };
  return { name, priority, action, match: parseMatch(statement, `${where}: Statement`) };
}

function parseRate(raw: Props, what: string): RateLimit {
  const limit = Number(raw.Limit);
  if (!Number.isInteger(limit) || limit < 10 || limit > 2_000_000_000) {
    throw new InvalidPropertyError(`${what}: Limit must be an integer from 10 to 2,000,000,000`);
  }
  const windowSec = raw.EvaluationWindowSec === undefined ? 300 : Number(raw.EvaluationWindowSec);
  if (!WINDOWS.has(windowSec))
    throw new InvalidPropertyError(`${what}: EvaluationWindowSec must be 60, 120, 300 or 600`);
  const aggregate = raw.AggregateKeyType ?? 'IP';
  let keyOf: RateLimit['keyOf'];
  if (aggregate === 'IP') keyOf = (request) => request.sourceIp;
  else if (aggregate === 'CONSTANT') keyOf = () => '*';
  else if (aggregate === 'FORWARDED_IP') {
    const config = raw.ForwardedIPConfig;
    if (!isRecord(config) || typeof config.HeaderName !== 'string') {
      throw new InvalidPropertyError(`${what}: FORWARDED_IP needs ForwardedIPConfig.HeaderName`);
    }
    const header = config.HeaderName.toLowerCase();
    const fallback = config.FallbackBehavior;
    keyOf = (request) => {
      const value = request.headers[header];
      const first = (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim();
      if (first && /^[0-9a-fA-F.:]+$/.test(first)) return first;
      return fallback === 'MATCH' ? '(no forwarded ip)' : undefined;
    };
  } else {
    throw new UnsupportedWafFeatureError(
      `${what}: AggregateKeyType ${String(aggregate)} is not supported by the local cloud (use IP, FORWARDED_IP or CONSTANT)`,
    );
  }
  const rate: RateLimit = { limit, windowSec, keyOf, windows: new Map() };
  if (raw.ScopeDownStatement !== undefined) {
    if (!isRecord(raw.ScopeDownStatement))
      throw new InvalidPropertyError(`${what}: ScopeDownStatement must be a map`);
    rate.scopeDown = parseMatch(raw.ScopeDownStatement, `${what}: ScopeDownStatement`);
  }
  return rate;
}

/** ByteMatchStatement, and AND/OR/NOT over them; anything else is named in the error. */
function parseMatch(statement: Props, what: string): Matcher {
  const kinds = Object.keys(statement);
  if (kinds.length !== 1)
    throw new InvalidPropertyError(
      `${what}: a statement has exactly one kind (got ${kinds.join(', ') || 'none'})`,
    );
  const kind = kinds[0] as string;
  const body = statement[kind];
  if (!isRecord(body)) throw new InvalidPropertyError(`${what}: ${kind} must be a map`);
  if (kind === 'ByteMatchStatement') return parseByteMatch(body, `${what}: ByteMatchStatement`);
  if (kind === 'AndStatement' || kind === 'OrStatement') {
    const list = body.Statements;
    if (!Array.isArray(list) || list.length < 2)
      throw new InvalidPropertyError(`${what}: ${kind} needs two or more Statements`);
    const parts = list.map((s, i) => {
      if (!isRecord(s)) throw new InvalidPropertyError(`${what}: ${kind}.Statements[${i}] must be a map`);
      return parseMatch(s, `${what}: ${kind}.Statements[${i}]`);
    });
    return kind === 'AndStatement' ? (r) => parts.every((p) => p(r)) : (r) => parts.some((p) => p(r));
  }
  if (kind === 'NotStatement') {
    if (!isRecord(body.Statement)) throw new InvalidPropertyError(`${what}: NotStatement needs a Statement`);
    const inner = parseMatch(body.Statement, `${what}: NotStatement.Statement`);
    return (r) => !inner(r);
  }
  throw new UnsupportedWafFeatureError(
    `${what}: ${kind} is not supported by the local cloud (it evaluates RateBasedStatement, ByteMatchStatement, AndStatement, OrStatement, NotStatement)`,
  );
}

function parseByteMatch(raw: Props, what: string): Matcher {
  let search: string;
  if (typeof raw.SearchString === 'string') search = raw.SearchString;
  else if (typeof raw.SearchStringBase64 === 'string')
    search = Buffer.from(raw.SearchStringBase64, 'base64').toString('utf8');
  else throw new InvalidPropertyError(`${what}: SearchString or SearchStringBase64 is required`);
  const field = raw.FieldToMatch;
  if (!isRecord(field) || Object.keys(field).length !== 1)
    throw new InvalidPropertyError(`${what}: FieldToMatch needs exactly one field`);
  const fieldKind = Object.keys(field)[0] as string;
  let read: (request: WafRequest) => string[];
  if (fieldKind === 'UriPath') read = (r) => r.uriPaths;
  else if (fieldKind === 'Method') read = (r) => [r.method];
  else if (fieldKind === 'QueryString') read = (r) => [r.query];
  else if (fieldKind === 'SingleHeader') {
    const header = (field.SingleHeader as Props | undefined)?.Name;
    if (typeof header !== 'string') throw new InvalidPropertyError(`${what}: SingleHeader needs a Name`);
    const name = header.toLowerCase();
    read = (r) => {
      const value = r.headers[name];
      return value === undefined ? [] : [Array.isArray(value) ? value.join(',') : value];
    };
  } else {
    throw new UnsupportedWafFeatureError(
      `${what}: FieldToMatch ${fieldKind} is not supported by the local cloud (use UriPath, Method, QueryString or SingleHeader)`,
    );
  }
  const rawTransforms = raw.TextTransformations;
  if (!Array.isArray(rawTransforms) || rawTransforms.length === 0) {
    throw new InvalidPropertyError(
      `${what}: TextTransformations needs at least one entry (Type NONE for none)`,
    );
  }
  const transforms = [...rawTransforms]
    .map((t, i) => {
      if (!isRecord(t)) throw new InvalidPropertyError(`${what}: TextTransformations[${i}] must be a map`);
      const fn = TRANSFORMS[String(t.Type)];
      if (!fn)
        throw new UnsupportedWafFeatureError(
          `${what}: TextTransformation ${String(t.Type)} is not supported by the local cloud (use ${Object.keys(TRANSFORMS).join(', ')})`,
        );
      return { priority: Number(t.Priority ?? i), fn };
    })
    .sort((a, b) => a.priority - b.priority)
    .map((t) => t.fn);
  const constraint = raw.PositionalConstraint;
  const test: (value: string) => boolean =
    constraint === 'EXACTLY'
      ? (v) => v === search
      : constraint === 'STARTS_WITH'
        ? (v) => v.startsWith(search)
        : constraint === 'ENDS_WITH'
          ? (v) => v.endsWith(search)
          : constraint === 'CONTAINS'
            ? (v) => v.includes(search)
            : (() => {
                throw new UnsupportedWafFeatureError(
                  `${what}: PositionalConstraint ${String(constraint)} is not supported by the local cloud (use EXACTLY, STARTS_WITH, ENDS_WITH or CONTAINS)`,
                );
              })();
  return (request) => read(request).some((value) => test(transforms.reduce((v, fn) => fn(v), value)));
}

function parseAction(
  raw: Props,
  bodies: Map<string, { contentType: string; content: string }>,
  what: string,
): Action {
  const kinds = Object.keys(raw);
  if (kinds.length !== 1) throw new InvalidPropertyError(`${what}: exactly one of Allow, Block, Count`);
  const kind = kinds[0];
  if (kind === 'Allow') return { kind: 'allow' };
  if (kind === 'Count') return { kind: 'count' };
  if (kind !== 'Block')
    throw new UnsupportedWafFeatureError(
      `${what}: ${kind} is not supported by the local cloud (use Allow, Block or Count)`,
    );
  const block = raw.Block;
  const custom = isRecord(block) ? block.CustomResponse : undefined;
  if (custom === undefined) return { kind: 'block' };
  if (!isRecord(custom)) throw new InvalidPropertyError(`${what}: Block.CustomResponse must be a map`);
  const statusCode = Number(custom.ResponseCode);
  if (!Number.isInteger(statusCode) || statusCode < 200 || statusCode > 599) {
    throw new InvalidPropertyError(`${what}: CustomResponse.ResponseCode must be 200-599`);
  }
  const headers: Record<string, string> = {};
  let body = '';
  const bodyKey = custom.CustomResponseBodyKey;
  if (bodyKey !== undefined) {
    const found = bodies.get(String(bodyKey));
    if (!found)
      throw new InvalidPropertyError(
        `${what}: CustomResponseBodyKey ${String(bodyKey)} is not in CustomResponseBodies`,
      );
    headers['Content-Type'] = found.contentType;
    body = found.content;
  }
  const extra = custom.ResponseHeaders ?? [];
  if (!Array.isArray(extra))
    throw new InvalidPropertyError(`${what}: CustomResponse.ResponseHeaders must be a list`);
  for (const header of extra) {
    if (!isRecord(header) || typeof header.Name !== 'string' || typeof header.Value !== 'string') {
      throw new InvalidPropertyError(`${what}: every ResponseHeaders entry needs Name and Value`);
    }
    // WAF prefixes custom response headers.
    headers[`x-amzn-waf-${header.Name}`] = header.Value;
  }
  return { kind: 'block', response: { statusCode, body, headers } };
}

function parseBodies(raw: unknown, what: string): Map<string, { contentType: string; content: string }> {
  const bodies = new Map<string, { contentType: string; content: string }>();
  if (raw === undefined) return bodies;
  if (!isRecord(raw)) throw new InvalidPropertyError(`${what}: CustomResponseBodies must be a map`);
  for (const [key, value] of Object.entries(raw)) {
    if (!isRecord(value) || typeof value.Content !== 'string') {
      throw new InvalidPropertyError(`${what}: CustomResponseBodies.${key} needs Content and ContentType`);
    }
    const contentType = CONTENT_TYPES[String(value.ContentType)];
    if (!contentType)
      throw new InvalidPropertyError(
        `${what}: CustomResponseBodies.${key}.ContentType must be TEXT_PLAIN, TEXT_HTML or APPLICATION_JSON`,
      );
    bodies.set(key, { contentType, content: value.Content });
  }
  return bodies;
}

/** Runs one request through a web ACL; counts rate-based rules as it goes. */
export function evaluateWebAcl(acl: WebAcl, request: WafRequest, nowMs: number): Action {
  for (const rule of acl.rules) {
    let matched: boolean;
    if (rule.rate) {
      const rate = rule.rate;
      if (rate.scopeDown && !rate.scopeDown(request)) continue;
      const key = rate.keyOf(request);
      if (key === undefined) continue;
      let window = rate.windows.get(key);
      if (!window) {
        window = new SlidingWindow(rate.windowSec);
        rate.windows.set(key, window);
        if (rate.windows.size % 1024 === 0) prune(rate.windows, nowMs);
      }
      matched = window.add(nowMs) > rate.limit;
    } else matched = rule.match?.(request) ?? false;
    if (!matched || rule.action.kind === 'count') continue;
    return rule.action;
  }
  return acl.defaultAction;
}

function prune(windows: Map<string, SlidingWindow>, nowMs: number): void {
  for (const [key, window] of windows) if (window.idle(nowMs)) windows.delete(key);
}

/** What the gateway answers for an action: nothing (let through), WAF_FILTERED 403, or the custom response. */
export function verdictOf(action: Action): BeforeAuthorizationResult {
  if (action.kind !== 'block') return undefined;
  if (!action.response) return { responseType: 'WAF_FILTERED' };
  return {
    statusCode: action.response.statusCode,
    body: action.response.body,
    headers: { ...action.response.headers },
  };
}

export function wafRequestOf(ctx: BeforeAuthorizationContext): WafRequest {
  return {
    method: ctx.httpMethod,
    uriPaths: ctx.uriPaths,
    query: ctx.query,
    headers: ctx.headers,
    sourceIp: ctx.sourceIp,
  };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function isRecord(value: unknown): value is Props {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
