/**
 * The local SSM Parameter Store (AWS JSON 1.1, `X-Amz-Target: AmazonSSM.<Operation>`):
 * GetParameter(s), GetParametersByPath, PutParameter, DeleteParameter(s), DescribeParameters,
 * and the AWS::SSM::Parameter provider. SSM calls are not IAM-checked locally.
 *
 * @example
 * const ssm = createSsm({ clock, region: 'us-east-1', accountId: '000000000000', dataFile: '.local/ssm.json' });
 * createAwsRouter({ ssm: ssm.handle });
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock, HttpHandler, ProviderMap } from '../types.js';
import { SsmServiceError } from './errors.js';
import { operations, type SsmDeps } from './operations.js';
import { ssmProviders } from './providers.js';
import { createSsmStore } from './store.js';

export { SsmServiceError } from './errors.js';

export interface SsmOptions {
  clock: Clock;
  region: string;
  accountId: string;
  /** JSON persistence path; undefined keeps parameters in memory. */
  dataFile?: string;
}

export interface Ssm {
  handle: HttpHandler;
  providers: ProviderMap;
  /** Runs an operation in-process with the API's shapes; throws {@link SsmServiceError}. */
  call(operation: string, input: Record<string, unknown>): Record<string, unknown>;
  /** Saves now (no-op in memory). */
  flush(): Promise<void>;
}

const TARGET_PREFIX = 'AmazonSSM.';
const MAX_BODY_BYTES = 1024 * 1024;

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(json),
    'x-amzn-requestid': randomUUID(),
    ...headers,
  });
  res.end(json);
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > MAX_BODY_BYTES)
      throw new SsmServiceError('SerializationException', 'Request body too large');
  }
  return body;
}

export function createSsm(options: SsmOptions): Ssm {
  const store = createSsmStore(options.dataFile);
  const deps: SsmDeps = { clock: options.clock, region: options.region, accountId: options.accountId, store };
  const call = (operation: string, input: Record<string, unknown>) => {
    const run = Object.hasOwn(operations, operation) ? operations[operation] : undefined;
    if (!run)
      throw new SsmServiceError(
        'UnknownOperationException',
        `The local SSM does not support the ${operation} operation`,
      );
    return run(deps, input);
  };
  const handle: HttpHandler = async (req, res) => {
    try {
      const target = String(req.headers['x-amz-target'] ?? '');
      const text = await readBody(req);
      if (req.method !== 'POST' || !target.startsWith(TARGET_PREFIX))
        throw new SsmServiceError('UnknownOperationException', `Unknown X-Amz-Target: ${target || '(none)'}`);
      let input: unknown;
      try {
        input = text.trim() === '' ? {} : JSON.parse(text);
      } catch {
        throw new SsmServiceError('SerializationException', 'The request body is not valid JSON');
      }
      if (typeof input !== 'object' || input === null || Array.isArray(input))
        throw new SsmServiceError('SerializationException', 'The request body must be a JSON object');
      send(res, 200, call(target.slice(TARGET_PREFIX.length), input as Record<string, unknown>));
    } catch (error) {
      if (error instanceof SsmServiceError) {
        send(
          res,
          error.statusCode,
          { __type: error.type, message: error.message },
          { 'x-amzn-errortype': error.type },
        );
        return;
      }
      process.stderr.write(
        `local ssm: internal error: ${error instanceof Error ? error.stack : String(error)}\n`,
      );
      send(res, 500, { __type: 'InternalServerError', message: 'Internal server error.' });
    }
  };
  return { handle, providers: ssmProviders(deps), call, flush: () => store.flush() };
}
