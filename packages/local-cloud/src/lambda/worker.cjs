'use strict';
/**
 * The entry of one Lambda execution environment (a worker thread). Plain CommonJS on purpose: a
 * Worker needs a JS file whether the parent runs under node, tsx or vitest.
 *
 * Protocol (parent ⇄ worker messages). The event and the result travel as JSON text, as Lambda's
 * runtime API carries them: the handler sees what JSON gives (no undefined values, dates as strings),
 * and its result is serialised as Lambda serialises it.
 *   worker → parent  { type: 'ready', initMs } | { type: 'init-error', error }
 *   parent → worker  { id, event: JSON, timeoutMs, invokedFunctionArn, clockOffset }
 *   worker → parent  { type: 'result', id, ok: true, payload: JSON } | { type: 'result', id, ok: false, error }
 */
const { parentPort, workerData } = require('node:worker_threads');
const { createRequire } = require('node:module');
const { pathToFileURL } = require('node:url');
const fs = require('node:fs');
const path = require('node:path');

const {
  taskRoot,
  handler: handlerSpec,
  functionName,
  functionVersion,
  memoryLimitInMB,
  logGroupName,
  logStreamName,
} = workerData;

// Workers ignore NODE_OPTIONS; honour the one option bundles commonly set (serverless-esbuild sourcemaps).
if (/(^|\s)--enable-source-maps(\s|$)/.test(process.env.NODE_OPTIONS ?? ''))
  process.setSourceMapsEnabled(true);

const RealDate = Date;
const realNow = RealDate.now.bind(RealDate);

class RuntimeError extends Error {
  constructor(name, message) {
    super(message);
    this.name = name;
  }
}

function toLambdaError(err) {
  if (err !== null && typeof err === 'object' && typeof err.message === 'string') {
    return {
      errorType: typeof err.name === 'string' && err.name ? err.name : 'Error',
      errorMessage: err.message,
      trace: typeof err.stack === 'string' ? err.stack.split('\n') : [],
    };
  }
  if (typeof err === 'string') return { errorType: 'string', errorMessage: err, trace: [] };
  let message;
  try {
    message = JSON.stringify(err);
  } catch {
    message = String(err);
  }
  return { errorType: typeof err, errorMessage: message ?? String(err), trace: [] };
}

/** `src/functions/a/handler.handler` → module `src/functions/a/handler`, export path `['handler']`. */
function splitHandler(spec) {
  if (typeof spec !== 'string') throw new RuntimeError('Runtime.MalformedHandlerName', `Bad handler ${spec}`);
  const slash = spec.lastIndexOf('/');
  const file = spec.slice(slash + 1);
  const dot = file.indexOf('.');
  if (dot <= 0 || dot === file.length - 1) {
    throw new RuntimeError('Runtime.MalformedHandlerName', `Bad handler ${spec}`);
  }
  return {
    modulePath: spec.slice(0, slash + 1) + file.slice(0, dot),
    exportPath: file.slice(dot + 1).split('.'),
  };
}

async function loadModule(modulePath) {
  const base = path.resolve(taskRoot, modulePath);
  const candidates = [`${base}.js`, `${base}.mjs`, `${base}.cjs`];
  const file = candidates.find((candidate) => fs.existsSync(candidate));
  if (!file) {
    throw new RuntimeError(
      'Runtime.ImportModuleError',
      `Error: Cannot find module '${path.basename(modulePath)}' (looked for ${candidates.join(', ')})`,
    );
  }
  try {
    if (file.endsWith('.mjs')) return await import(pathToFileURL(file).href);
    try {
      return createRequire(file)(file);
    } catch (err) {
      if (err && err.code === 'ERR_REQUIRE_ESM') return await import(pathToFileURL(file).href);
      throw err;
    }
  } catch (err) {
    if (err instanceof SyntaxError) throw new RuntimeError('Runtime.UserCodeSyntaxError', String(err));
    throw err;
  }
}

async function init() {
  const { modulePath, exportPath } = splitHandler(handlerSpec);
  const loaded = await loadModule(modulePath);
  let fn = loaded;
  for (const key of exportPath) fn = fn == null ? undefined : fn[key];
  // An ESM namespace or a CJS module transpiled from ESM may only expose the handler under `default`.
  if (typeof fn !== 'function' && loaded && loaded.default) {
    fn = loaded.default;
    for (const key of exportPath) fn = fn == null ? undefined : fn[key];
  }
  if (typeof fn !== 'function') {
    throw new RuntimeError('Runtime.HandlerNotFound', `${handlerSpec} is undefined or not exported`);
  }
  return fn;
}

// The local cloud's clock can run ahead of real time; handlers see the same time as the emulators.
let clockOffset = 0;
let datePatched = false;
function setClockOffset(offset) {
  clockOffset = offset;
  if (offset === 0 || datePatched) return;
  datePatched = true;
  RealDate.now = () => realNow() + clockOffset;
  globalThis.Date = new Proxy(RealDate, {
    construct(target, args, newTarget) {
      return Reflect.construct(target, args.length > 0 ? args : [realNow() + clockOffset], newTarget);
    },
    apply() {
      return new RealDate(realNow() + clockOffset).toString();
    },
  });
}

/** The result as JSON text; a result JSON cannot serialise fails the invocation, as Lambda's runtime does. */
function serialise(result) {
  try {
    return { ok: true, payload: JSON.stringify(result === undefined ? null : result) ?? 'null' };
  } catch {
    return { ok: false, error: toLambdaError(new Error('Unable to stringify response body')) };
  }
}

function invoke(handler, message) {
  const { id, event, timeoutMs, invokedFunctionArn } = message;
  if (message.clockOffset !== clockOffset) setClockOffset(message.clockOffset);
  const deadline = realNow() + timeoutMs;
  let settled = false;
  const finish = (err, result) => {
    if (settled) return;
    settled = true;
    const outcome =
      err !== undefined && err !== null ? { ok: false, error: toLambdaError(err) } : serialise(result);
    parentPort.postMessage({ type: 'result', id, ...outcome });
  };
  const callback = (err, result) => finish(err, result);
  const context = {
    functionName,
    functionVersion,
    invokedFunctionArn,
    memoryLimitInMB: String(memoryLimitInMB),
    awsRequestId: id,
    logGroupName,
    logStreamName,
    identity: undefined,
    clientContext: undefined,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - realNow()),
    done: callback,
    succeed: (result) => finish(null, result),
    fail: (err) => finish(err ?? 'handled', undefined),
  };
  try {
    const returned = handler(JSON.parse(event), context, callback);
    if (returned !== null && typeof returned === 'object' && typeof returned.then === 'function') {
      returned.then(
        (value) => finish(null, value),
        (err) => finish(err ?? new Error('the handler rejected with no reason'), undefined),
      );
    } else if (handler.length < 3) {
      // Neither a promise nor a callback: Lambda answers null once the event loop is empty, unless the
      // handler settles first through context.done/succeed/fail.
      const check = () => {
        if (settled) return;
        const pending = process.getActiveResourcesInfo().filter((resource) => resource !== 'MessagePort');
        if (pending.length === 0) finish(null, null);
        else setTimeout(check, 1).unref();
      };
      setImmediate(check);
    }
  } catch (err) {
    finish(err, undefined);
  }
}

const startedAt = performance.now();
let handlerFn;
const waiting = [];
parentPort.on('message', (message) => {
  if (handlerFn) invoke(handlerFn, message);
  else waiting.push(message);
});

init().then(
  (fn) => {
    handlerFn = fn;
    parentPort.postMessage({ type: 'ready', initMs: performance.now() - startedAt });
    for (const message of waiting.splice(0)) invoke(fn, message);
  },
  (err) => {
    parentPort.postMessage({ type: 'init-error', error: toLambdaError(err) });
  },
);
