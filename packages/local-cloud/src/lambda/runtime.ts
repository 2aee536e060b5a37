import { randomBytes, randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { Clock, HttpHandler, InvokeResult, LambdaInvoker, ProviderMap } from '../types.js';
import { createInvokeHandler } from './api.js';
import { type FunctionTarget, functionArn, parseFunctionTarget } from './arn.js';
import { createCodeStore } from './code.js';
import {
  LambdaConfigError,
  ResourceConflictError,
  ResourceNotFoundError,
  TooManyRequestsError,
} from './errors.js';
import { createLambdaProviders } from './providers.js';

const WORKER_ENTRY = new URL('./worker.cjs', import.meta.url);
/** Lambda gives a function's init phase up to 10 s before the invocation's own timeout starts. */
const INIT_TIMEOUT_MS = 10_000;
const COLD_START_SAMPLES = 100;
const MAX_PARSED_REFERENCES = 1000;

/** One function as the runtime runs it (what `AWS::Lambda::Function` describes). */
export interface FunctionDefinition {
  functionName: string;
  /** `path/to/module.export`, relative to `codeDir`, e.g. `src/functions/getProduct/handler.handler`. */
  handler: string;
  /** The unpacked code: the function's `LAMBDA_TASK_ROOT`. */
  codeDir: string;
  /** Only Node.js runtimes run locally; default `nodejs22.x`. */
  runtime?: string;
  environment?: Record<string, string>;
  /** Default 3 seconds. */
  timeoutSeconds?: number;
  /** Default 128 MB (reported to the handler; not enforced). */
  memorySize?: number;
  /** Caps concurrent executions of this function; 0 throttles every call. */
  reservedConcurrency?: number;
  role?: string;
}

/** What the runtime counts per function (all versions together). */
export interface FunctionStats {
  /** Execution environments alive (busy or warm). */
  environments: number;
  /** Environments running an invocation now. */
  busy: number;
  coldStarts: number;
  /** Invocations handed to an environment (throttled ones are not counted). */
  invocations: number;
  /** Invocations that ended in a function error (including timeouts and crashes). */
  errors: number;
  timeouts: number;
  throttles: number;
  /** Asynchronous (`Event`) invocations waiting for capacity. */
  queued: number;
  /** Init durations of the latest cold starts (worker start to handler loaded), in ms. */
  coldStartMs: number[];
}

export interface LambdaRuntimeOptions {
  region: string;
  accountId: string;
  clock: Clock;
  /** Endpoints and credentials the local cloud gives a new environment of this function. */
  baseEnvironment: (fn: FunctionDefinition) => Record<string, string>;
  /** Default 10. */
  maxEnvironmentsPerFunction?: number;
  /** Default 5 minutes. */
  idleTimeoutMs?: number;
  /**
   * Idle environments kept across all functions (default 20; each costs ~18 MB): beyond it the
   * least recently used idle one is ended, as Lambda recycles idle sandboxes, so memory stays bounded.
   */
  maxIdleEnvironments?: number;
  /** Where code zips are unpacked (keyed by content hash). */
  codeCacheDir: string;
  /** Receives every console line of every handler; default: the parent's stdout/stderr with a `[functionName]` prefix. */
  log?: (functionName: string, line: string, stream: 'stdout' | 'stderr') => void;
}

export interface PermissionRecord {
  id: string;
  functionName: string;
  action: string;
  principal: string;
  sourceArn: string | undefined;
}

/** A function error as Lambda reports it (`X-Amz-Function-Error: Unhandled`). */
export interface LambdaFunctionError {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

export interface LambdaRuntime extends LambdaInvoker {
  /**
   * Invokes synchronously (`RequestResponse`). Resolves with the handler's value or its error; rejects with a
   * `LambdaServiceError` when Lambda itself refuses: `ResourceNotFoundError` (unknown function or version),
   * `TooManyRequestsError` (beyond the function's concurrency).
   */
  invoke(functionNameOrArn: string, payload: unknown): Promise<InvokeResult>;
  /** Invokes asynchronously (`Event`): queued while the function is at its concurrency; errors are logged. */
  invokeEvent(functionNameOrArn: string, payload: unknown): { requestId: string };
  /** Throws `ResourceConflictError` when a function of that name exists. */
  register(fn: FunctionDefinition): { functionName: string; functionArn: string };
  /** Removes a function and its versions; running invocations finish, then their environments end. */
  unregister(functionNameOrArn: string): void;
  /** Snapshots the function's current definition as the next version number (`AWS::Lambda::Version`). */
  publishVersion(functionNameOrArn: string): { version: string; functionArn: string };
  deleteVersion(functionNameOrArn: string, version: string): void;
  /** The Lambda REST API: `POST /2015-03-31/functions/{FunctionName}/invocations`. */
  handle: HttpHandler;
  /** Throws `ResourceNotFoundError` for an unknown function. */
  stats(functionNameOrArn: string): FunctionStats;
  /** Resource-based policy statements recorded from `AWS::Lambda::Permission`. */
  permissions(functionNameOrArn: string): PermissionRecord[];
  /** Resolves when no invocation is running or queued (for tests of `Event` invocations). */
  whenIdle(): Promise<void>;
  /** Terminates every environment. */
  close(): Promise<void>;
  providers: ProviderMap;
}

/** Internal surface the HTTP API and the providers use. */
export interface LambdaRuntimeCore {
  region: string;
  accountId: string;
  invokeDetailed(reference: string, payload: unknown): Promise<DetailedResult>;
  /** Throws `ResourceNotFoundError` when the reference names no function or version. */
  assertExists(reference: string): void;
  invokeEvent(reference: string, payload: unknown): { requestId: string };
  register(fn: FunctionDefinition): { functionName: string; functionArn: string };
  unregister(reference: string): void;
  publishVersion(reference: string): { version: string; functionArn: string };
  deleteVersion(reference: string, version: string): void;
  addPermission(record: PermissionRecord): void;
  removePermission(id: string): void;
}

export interface DetailedResult {
  requestId: string;
  executedVersion: string;
  result: { ok: true; payload: unknown } | { ok: false; error: LambdaFunctionError };
}

interface ResolvedDefinition {
  functionName: string;
  handler: string;
  codeDir: string;
  environment: Record<string, string>;
  timeoutMs: number;
  timeoutSeconds: number;
  memorySize: number;
  reservedConcurrency: number | undefined;
  role: string | undefined;
}

interface Invocation {
  requestId: string;
  /** The event as JSON text, fixed when the call is made (as Lambda receives it). */
  event: string;
  invokedFunctionArn: string;
  settle(result: DetailedResult['result']): void;
  settled: boolean;
  timer: NodeJS.Timeout | undefined;
}

interface Environment {
  worker: Worker;
  fn: FunctionRecord;
  version: VersionRecord;
  ready: boolean;
  dead: boolean;
  current: Invocation | undefined;
  lastUsedAt: number;
  startedAt: number;
  crash: unknown;
}

interface VersionRecord {
  key: string;
  def: ResolvedDefinition;
  /** Warm environments, most recently used last. */
  idle: Environment[];
  deleted: boolean;
}

interface FunctionRecord {
  name: string;
  arn: string;
  latest: VersionRecord;
  versions: Map<string, VersionRecord>;
  nextVersion: number;
  environments: Set<Environment>;
  queue: Array<{ version: VersionRecord; invocation: Invocation }>;
  removed: boolean;
  stats: Omit<FunctionStats, 'environments' | 'busy' | 'queued'>;
}

/**
 * Runs Lambda functions locally, each execution environment a worker thread with its own module instance
 * and environment variables; one invocation per environment at a time, warm environments reused.
 *
 * @example
 * const lambda = createLambdaRuntime({ region: 'us-east-1', accountId: '000000000000', clock: createClock(),
 *   baseEnvironment: () => ({}), codeCacheDir: '.local/lambda' });
 * lambda.register({ functionName: 'hello', handler: 'index.handler', codeDir: '/path/to/code' });
 * const result = await lambda.invoke('hello', { name: 'Ada' });
 */
export function createLambdaRuntime(options: LambdaRuntimeOptions): LambdaRuntime {
  const { region, accountId, clock } = options;
  const maxEnvironments = options.maxEnvironmentsPerFunction ?? 10;
  const idleTimeoutMs = options.idleTimeoutMs ?? 5 * 60_000;
  const maxIdleEnvironments = options.maxIdleEnvironments ?? 20;
  const log = options.log ?? defaultLog;
  const functions = new Map<string, FunctionRecord>();
  const permissionsById = new Map<string, PermissionRecord>();
  const idleWaiters: Array<() => void> = [];
  /** Idle environments across all functions and versions (the length of every `idle` list together). */
  let idleCount = 0;
  let closed = false;

  const sweepTimer = setInterval(sweepIdle, Math.min(10_000, Math.max(10, Math.floor(idleTimeoutMs / 4))));
  sweepTimer.unref();

  /** Parsed references: the same few ARNs are invoked on every request. */
  const targets = new Map<string, FunctionTarget>();
  function parseTarget(reference: string): FunctionTarget | undefined {
    let target = targets.get(reference);
    if (target === undefined) {
      target = parseFunctionTarget(reference);
      if (target === undefined) return undefined;
      if (targets.size >= MAX_PARSED_REFERENCES) targets.clear();
      targets.set(reference, target);
    }
    return target;
  }

  function lookup(reference: string): { fn: FunctionRecord; version: VersionRecord; invokedArn: string } {
    const target = parseTarget(reference);
    const fn = target && functions.get(target.functionName);
    if (!target || !fn) {
      throw new ResourceNotFoundError(
        `Function not found: ${target ? functionArn(region, accountId, target.functionName) : reference}`,
      );
    }
    if (target.qualifier === undefined || target.qualifier === '$LATEST') {
      return { fn, version: fn.latest, invokedArn: target.qualifier ? `${fn.arn}:$LATEST` : fn.arn };
    }
    const version = fn.versions.get(target.qualifier);
    if (!version) throw new ResourceNotFoundError(`Function not found: ${fn.arn}:${target.qualifier}`);
    return { fn, version, invokedArn: `${fn.arn}:${target.qualifier}` };
  }

  function capOf(fn: FunctionRecord): number {
    return fn.latest.def.reservedConcurrency ?? maxEnvironments;
  }

  function busyCount(fn: FunctionRecord): number {
    let busy = 0;
    for (const env of fn.environments) if (env.current) busy++;
    return busy;
  }

  /** A warm environment of that version, or a new one when the function has room; undefined at its cap. */
  function acquire(fn: FunctionRecord, version: VersionRecord): Environment | undefined {
    for (let warm = version.idle.pop(); warm; warm = version.idle.pop()) {
      idleCount--;
      if (clock.now() - warm.lastUsedAt < idleTimeoutMs) return warm;
      retire(warm);
    }
    const cap = capOf(fn);
    if (busyCount(fn) >= cap) return undefined;
    if (fn.environments.size >= cap) {
      // Room is held by warm environments of another version: recycle the least recently used.
      let oldest: Environment | undefined;
      for (const other of fn.versions.values()) {
        const candidate = other.idle[0];
        if (candidate && (!oldest || candidate.lastUsedAt < oldest.lastUsedAt)) oldest = candidate;
      }
      const latestCandidate = fn.latest.idle[0];
      if (latestCandidate && (!oldest || latestCandidate.lastUsedAt < oldest.lastUsedAt))
        oldest = latestCandidate;
      if (!oldest) return undefined;
      retire(oldest);
    }
    return spawn(fn, version);
  }

  function spawn(fn: FunctionRecord, version: VersionRecord): Environment {
    const def = version.def;
    const logStreamName = `${new Date(clock.now()).toISOString().slice(0, 10).replaceAll('-', '/')}/[${version.key}]${randomBytes(16).toString('hex')}`;
    const logGroupName = `/aws/lambda/${def.functionName}`;
    const worker = new Worker(WORKER_ENTRY, {
      env: {
        ...def.environment,
        ...options.baseEnvironment(def),
        ...runtimeVariables(region, def, version.key, logGroupName, logStreamName),
      },
      workerData: {
        taskRoot: def.codeDir,
        handler: def.handler,
        functionName: def.functionName,
        functionVersion: version.key,
        memoryLimitInMB: def.memorySize,
        logGroupName,
        logStreamName,
      },
      // Handlers run as plain Node.js, not under the parent's loaders (tsx, vitest).
      execArgv: [],
      stdout: true,
      stderr: true,
    });
    const env: Environment = {
      worker,
      fn,
      version,
      ready: false,
      dead: false,
      current: undefined,
      lastUsedAt: clock.now(),
      startedAt: performance.now(),
      crash: undefined,
    };
    fn.environments.add(env);
    fn.stats.coldStarts++;
    forwardLines(worker.stdout, (line) => log(def.functionName, line, 'stdout'));
    forwardLines(worker.stderr, (line) => log(def.functionName, line, 'stderr'));
    worker.on('message', (message: WorkerMessage) => onMessage(env, message));
    worker.on('error', (err) => {
      env.crash = err;
    });
    worker.on('exit', (code) => onExit(env, code));
    return env;
  }

  function onMessage(env: Environment, message: WorkerMessage): void {
    if (message.type === 'result') {
      const invocation = env.current;
      if (!invocation || invocation.requestId !== message.id) return;
      clearTimeout(invocation.timer);
      env.current = undefined;
      env.lastUsedAt = clock.now();
      if (env.fn.removed || env.version.deleted || closed) retire(env);
      else {
        env.worker.unref();
        env.version.idle.push(env);
        idleCount++;
        if (idleCount > maxIdleEnvironments) retireBeyondIdleCap();
      }
      finish(
        env.fn,
        invocation,
        message.ok ? { ok: true, payload: JSON.parse(message.payload) } : { ok: false, error: message.error },
      );
      drain(env.fn);
    } else if (message.type === 'ready') {
      env.ready = true;
      env.fn.stats.coldStartMs.push(performance.now() - env.startedAt);
      if (env.fn.stats.coldStartMs.length > COLD_START_SAMPLES) env.fn.stats.coldStartMs.shift();
      if (env.current) startTimer(env, env.current);
    } else if (message.type === 'init-error') {
      const invocation = env.current;
      env.current = undefined;
      retire(env);
      if (invocation) {
        clearTimeout(invocation.timer);
        finish(env.fn, invocation, { ok: false, error: message.error });
      }
    }
  }

  function onExit(env: Environment, code: number): void {
    env.dead = true;
    env.fn.environments.delete(env);
    const idleAt = env.version.idle.indexOf(env);
    if (idleAt >= 0) {
      env.version.idle.splice(idleAt, 1);
      idleCount--;
    }
    const invocation = env.current;
    env.current = undefined;
    if (invocation && !invocation.settled) {
      clearTimeout(invocation.timer);
      const crash = env.crash instanceof Error ? ` ${env.crash.name}: ${env.crash.message}` : '';
      finish(env.fn, invocation, {
        ok: false,
        error: {
          errorType: 'Runtime.ExitError',
          errorMessage: closed
            ? `RequestId: ${invocation.requestId} Error: the local Lambda runtime was closed`
            : `RequestId: ${invocation.requestId} Error: Runtime exited with error: exit status ${code}${crash}`,
          trace: [],
        },
      });
    } else if (env.crash instanceof Error) {
      log(env.fn.name, `environment crashed: ${env.crash.stack ?? env.crash.message}`, 'stderr');
    }
    drain(env.fn);
  }

  /** Ends the least recently used idle environments while more than `maxIdleEnvironments` are idle. */
  function retireBeyondIdleCap(): void {
    const idle: Environment[] = [];
    for (const fn of functions.values()) {
      for (const version of [fn.latest, ...fn.versions.values()]) idle.push(...version.idle);
    }
    if (idle.length <= maxIdleEnvironments) return;
    idle.sort((a, b) => a.lastUsedAt - b.lastUsedAt);
    for (const env of idle.slice(0, idle.length - maxIdleEnvironments)) retire(env);
  }

  function retire(env: Environment): void {
    if (env.dead) return;
    env.dead = true;
    env.fn.environments.delete(env);
    const idleAt = env.version.idle.indexOf(env);
    if (idleAt >= 0) {
      env.version.idle.splice(idleAt, 1);
      idleCount--;
    }
    void env.worker.terminate();
  }

  function startTimer(env: Environment, invocation: Invocation): void {
    clearTimeout(invocation.timer);
    const { timeoutMs, timeoutSeconds } = env.version.def;
    invocation.timer = setTimeout(() => {
      if (invocation.settled) return;
      env.fn.stats.timeouts++;
      env.current = undefined;
      retire(env);
      finish(env.fn, invocation, {
        ok: false,
        error: {
          errorType: 'Sandbox.Timedout',
          errorMessage: `${new Date(clock.now()).toISOString()} ${invocation.requestId} Task timed out after ${timeoutSeconds.toFixed(2)} seconds`,
          trace: [],
        },
      });
    }, timeoutMs);
  }

  function run(env: Environment, invocation: Invocation): void {
    env.current = invocation;
    env.fn.stats.invocations++;
    env.worker.ref();
    env.worker.postMessage({
      id: invocation.requestId,
      event: invocation.event,
      timeoutMs: env.version.def.timeoutMs,
      invokedFunctionArn: invocation.invokedFunctionArn,
      clockOffset: clock.offset(),
    });
    if (env.ready) startTimer(env, invocation);
    else {
      // The init phase has its own limit; the function timeout starts once the handler is loaded.
      invocation.timer = setTimeout(() => {
        if (!env.ready) startTimer(env, invocation);
      }, INIT_TIMEOUT_MS);
    }
  }

  function finish(fn: FunctionRecord, invocation: Invocation, result: DetailedResult['result']): void {
    if (invocation.settled) return;
    invocation.settled = true;
    if (!result.ok) fn.stats.errors++;
    invocation.settle(result);
    if (idleWaiters.length > 0) queueMicrotask(notifyIdle);
  }

  function drain(fn: FunctionRecord): void {
    while (fn.queue.length > 0 && !closed) {
      const next = fn.queue[0];
      if (!next) break;
      if (next.version.deleted || fn.removed) {
        fn.queue.shift();
        continue;
      }
      const env = acquire(fn, next.version);
      if (!env) break;
      fn.queue.shift();
      run(env, next.invocation);
    }
    if (idleWaiters.length > 0) queueMicrotask(notifyIdle);
  }

  function isIdle(): boolean {
    for (const fn of functions.values()) {
      if (fn.queue.length > 0) return false;
      for (const env of fn.environments) if (env.current) return false;
    }
    return true;
  }

  function notifyIdle(): void {
    if (!isIdle()) return;
    for (const waiter of idleWaiters.splice(0)) waiter();
  }

  function sweepIdle(): void {
    const now = clock.now();
    for (const fn of functions.values()) {
      for (const version of [fn.latest, ...fn.versions.values()]) {
        for (const env of [...version.idle]) if (now - env.lastUsedAt >= idleTimeoutMs) retire(env);
      }
    }
  }

  function newInvocation(
    invokedFunctionArn: string,
    event: unknown,
    settle: Invocation['settle'],
  ): Invocation {
    return {
      requestId: randomUUID(),
      event: JSON.stringify(event ?? null),
      invokedFunctionArn,
      settle,
      settled: false,
      timer: undefined,
    };
  }

  async function invokeDetailed(reference: string, payload: unknown): Promise<DetailedResult> {
    if (closed) throw new LambdaConfigError('the local Lambda runtime is closed');
    const { fn, version, invokedArn } = lookup(reference);
    const env = fn.queue.length === 0 ? acquire(fn, version) : undefined;
    if (!env && fn.latest.def.reservedConcurrency !== undefined && busyCount(fn) >= capOf(fn)) {
      fn.stats.throttles++;
      throw new TooManyRequestsError('ReservedFunctionConcurrentInvocationLimitExceeded');
    }
    return new Promise<DetailedResult>((resolve) => {
      const invocation = newInvocation(invokedArn, payload, (result) =>
        resolve({ requestId: invocation.requestId, executedVersion: version.key, result }),
      );
      if (env) run(env, invocation);
      // The local cap on environments stands in for the account's concurrency (1,000 on AWS, far
      // above what runs here): a call beyond it waits for a free environment instead of failing.
      else fn.queue.push({ version, invocation });
    });
  }

  function invokeEvent(reference: string, payload: unknown): { requestId: string } {
    if (closed) throw new LambdaConfigError('the local Lambda runtime is closed');
    const { fn, version, invokedArn } = lookup(reference);
    const invocation = newInvocation(invokedArn, payload, (result) => {
      if (!result.ok) {
        log(
          fn.name,
          `asynchronous invocation ${invocation.requestId} failed: ${result.error.errorType}: ${result.error.errorMessage}`,
          'stderr',
        );
      }
    });
    if (capOf(fn) === 0) {
      fn.stats.throttles++;
      log(
        fn.name,
        `asynchronous invocation ${invocation.requestId} dropped: reserved concurrency is 0`,
        'stderr',
      );
      return { requestId: invocation.requestId };
    }
    const env = fn.queue.length === 0 ? acquire(fn, version) : undefined;
    if (env) run(env, invocation);
    else fn.queue.push({ version, invocation });
    return { requestId: invocation.requestId };
  }

  function register(definition: FunctionDefinition): { functionName: string; functionArn: string } {
    const def = resolveDefinition(definition);
    if (functions.has(def.functionName)) {
      throw new ResourceConflictError(`Function already exist: ${def.functionName}`);
    }
    const arn = functionArn(region, accountId, def.functionName);
    functions.set(def.functionName, {
      name: def.functionName,
      arn,
      latest: { key: '$LATEST', def, idle: [], deleted: false },
      versions: new Map(),
      nextVersion: 1,
      environments: new Set(),
      queue: [],
      removed: false,
      stats: { coldStarts: 0, invocations: 0, errors: 0, timeouts: 0, throttles: 0, coldStartMs: [] },
    });
    return { functionName: def.functionName, functionArn: arn };
  }

  function unregister(reference: string): void {
    const { fn } = lookup(reference);
    fn.removed = true;
    functions.delete(fn.name);
    fn.queue.length = 0;
    for (const env of [...fn.environments]) if (!env.current) retire(env);
    for (const [id, permission] of permissionsById)
      if (permission.functionName === fn.name) permissionsById.delete(id);
    if (idleWaiters.length > 0) queueMicrotask(notifyIdle);
  }

  function publishVersion(reference: string): { version: string; functionArn: string } {
    const { fn } = lookup(reference);
    const key = String(fn.nextVersion++);
    fn.versions.set(key, { key, def: fn.latest.def, idle: [], deleted: false });
    return { version: key, functionArn: `${fn.arn}:${key}` };
  }

  function deleteVersion(reference: string, key: string): void {
    const { fn } = lookup(reference);
    const version = fn.versions.get(key);
    if (!version) throw new ResourceNotFoundError(`Function not found: ${fn.arn}:${key}`);
    version.deleted = true;
    fn.versions.delete(key);
    for (const env of [...version.idle]) retire(env);
  }

  const core: LambdaRuntimeCore = {
    region,
    accountId,
    invokeDetailed,
    assertExists: (reference) => void lookup(reference),
    invokeEvent,
    register,
    unregister,
    publishVersion,
    deleteVersion,
    addPermission: (record) => permissionsById.set(record.id, record),
    removePermission: (id) => permissionsById.delete(id),
  };

  return {
    invoke: (reference, payload) => invokeDetailed(reference, payload).then(({ result }) => result),
    invokeEvent,
    register,
    unregister,
    publishVersion,
    deleteVersion,
    handle: createInvokeHandler(core),
    stats(reference) {
      const { fn } = lookup(reference);
      return {
        ...fn.stats,
        coldStartMs: [...fn.stats.coldStartMs],
        environments: fn.environments.size,
        busy: busyCount(fn),
        queued: fn.queue.length,
      };
    },
    permissions(reference) {
      const { fn } = lookup(reference);
      return [...permissionsById.values()].filter((permission) => permission.functionName === fn.name);
    },
    whenIdle() {
      if (isIdle()) return Promise.resolve();
      return new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
    async close() {
      closed = true;
      clearInterval(sweepTimer);
      const exits: Promise<unknown>[] = [];
      for (const fn of functions.values()) {
        fn.queue.length = 0;
        for (const env of fn.environments) {
          exits.push(new Promise((resolve) => env.worker.once('exit', resolve)));
          env.dead = true;
          void env.worker.terminate();
        }
      }
      await Promise.all(exits);
      functions.clear();
      notifyIdle();
    },
    providers: createLambdaProviders(core, createCodeStore(options.codeCacheDir)),
  };
}

type WorkerMessage =
  | { type: 'ready'; initMs: number }
  | { type: 'init-error'; error: LambdaFunctionError }
  | { type: 'result'; id: string; ok: true; payload: string }
  | { type: 'result'; id: string; ok: false; error: LambdaFunctionError };

function resolveDefinition(fn: FunctionDefinition): ResolvedDefinition {
  const runtime = fn.runtime ?? 'nodejs22.x';
  if (!runtime.startsWith('nodejs')) {
    throw new LambdaConfigError(
      `${fn.functionName}: runtime ${runtime} is not supported locally (only nodejs*.x)`,
    );
  }
  if (!parseFunctionTarget(fn.functionName) || fn.functionName.includes(':')) {
    throw new LambdaConfigError(`invalid function name: ${JSON.stringify(fn.functionName)}`);
  }
  const timeoutSeconds = fn.timeoutSeconds ?? 3;
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0 || timeoutSeconds > 900) {
    throw new LambdaConfigError(
      `${fn.functionName}: Timeout must be between 1 and 900 seconds, got ${timeoutSeconds}`,
    );
  }
  const reserved = fn.reservedConcurrency;
  if (reserved !== undefined && (!Number.isInteger(reserved) || reserved < 0)) {
    throw new LambdaConfigError(
      `${fn.functionName}: ReservedConcurrentExecutions must be a whole number ≥ 0`,
    );
  }
  return {
    functionName: fn.functionName,
    handler: fn.handler,
    codeDir: fn.codeDir,
    environment: { ...fn.environment },
    timeoutSeconds,
    timeoutMs: Math.round(timeoutSeconds * 1000),
    memorySize: fn.memorySize ?? 128,
    reservedConcurrency: reserved,
    role: fn.role,
  };
}

/** The variables Lambda sets in every execution environment (they override the function's own). */
function runtimeVariables(
  region: string,
  def: ResolvedDefinition,
  version: string,
  logGroupName: string,
  logStreamName: string,
): Record<string, string> {
  return {
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_LAMBDA_FUNCTION_NAME: def.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: version,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(def.memorySize),
    AWS_LAMBDA_LOG_GROUP_NAME: logGroupName,
    AWS_LAMBDA_LOG_STREAM_NAME: logStreamName,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    _HANDLER: def.handler,
    LAMBDA_TASK_ROOT: def.codeDir,
    LAMBDA_RUNTIME_DIR: def.codeDir,
    TZ: ':UTC',
    LANG: 'en_US.UTF-8',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
  };
}

function forwardLines(stream: NodeJS.ReadableStream, emit: (line: string) => void): void {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    pending += chunk;
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      emit(pending.slice(0, newline));
      pending = pending.slice(newline + 1);
      newline = pending.indexOf('\n');
    }
  });
  stream.on('end', () => {
    if (pending) emit(pending);
    pending = '';
  });
}

function defaultLog(functionName: string, line: string, stream: 'stdout' | 'stderr'): void {
  (stream === 'stderr' ? process.stderr : process.stdout).write(`[${functionName}] ${line}\n`);
}
