'use strict';
// Fixture handlers for the Lambda runtime's integration tests.
const { threadId } = require('node:worker_threads');

let invocations = 0;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Counts invocations in module state; reports the environment it runs in. */
exports.counter = async (event) => {
  invocations++;
  if (event?.delayMs) await sleep(event.delayMs);
  if (event?.setEnv) process.env.SET_BY_HANDLER = event.setEnv;
  return { invocations, x: process.env.X, threadId, setByHandler: process.env.SET_BY_HANDLER };
};

exports.context = async (event, context) => ({
  functionName: context.functionName,
  functionVersion: context.functionVersion,
  invokedFunctionArn: context.invokedFunctionArn,
  memoryLimitInMB: context.memoryLimitInMB,
  awsRequestId: context.awsRequestId,
  logGroupName: context.logGroupName,
  logStreamName: context.logStreamName,
  remainingMs: context.getRemainingTimeInMillis(),
  event,
  env: Object.fromEntries(
    [
      'AWS_REGION',
      'AWS_DEFAULT_REGION',
      'AWS_LAMBDA_FUNCTION_NAME',
      'AWS_LAMBDA_FUNCTION_VERSION',
      'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
      'AWS_LAMBDA_LOG_GROUP_NAME',
      '_HANDLER',
      'LAMBDA_TASK_ROOT',
      'TZ',
      'AWS_EXECUTION_ENV',
      'AWS_ENDPOINT_URL_DYNAMODB',
      'AWS_ACCESS_KEY_ID',
      'TABLE_NAME',
    ].map((key) => [key, process.env[key]]),
  ),
});

exports.fail = async () => {
  const err = new Error('price must be positive');
  err.name = 'ValidationError';
  throw err;
};

exports.throwString = async () => {
  throw 'plain string';
};

exports.sleep = async (event) => {
  await sleep(event.ms);
  return 'woke up';
};

exports.callback = (event, _context, callback) => {
  setTimeout(() => callback(null, { via: 'callback', echo: event.value }), 1);
};

exports.callbackError = (_event, _context, callback) => {
  callback(new TypeError('callback failed'));
};

exports.contextSucceed = (_event, context) => {
  setTimeout(() => context.succeed({ via: 'context.succeed' }), 1);
};

exports.exit = async () => {
  process.exit(3);
};

exports.uncaught = async () => {
  setTimeout(() => {
    throw new Error('thrown from a timer');
  }, 1);
  await sleep(1000);
  return 'never';
};

exports.log = async (event) => {
  console.log(`hello ${event.name}`);
  console.error('something on stderr');
  return 'logged';
};

exports.now = async () => ({
  now: Date.now(),
  // biome-ignore lint/complexity/useDateNow: the test needs a Date constructed without arguments
  constructed: new Date().getTime(),
});

exports.unserialisable = async () => ({ keep: 1, drop: () => 1, when: new Date(0) });

exports.circular = async () => {
  const result = { name: 'loop' };
  result.self = result;
  return result;
};

/** What the handler received, described: JSON drops undefined values and turns dates into strings. */
exports.describeEvent = async (event) => ({ keys: Object.keys(event), whenType: typeof event.when });

exports.nested = { handler: async () => 'nested export' };

/** Neither async nor callback-style: Lambda ignores the return value and answers null. */
exports.syncValue = (event) => ({ ignored: event });
