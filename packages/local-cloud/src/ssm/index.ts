/**
 * The local SSM Parameter Store (AWS JSON 1.1, `X-Amz-Target: AmazonSSM.<Operation>`):
 * GetParameter(s), GetParametersByPath, PutParameter, DeleteParameter(s), DescribeParameters,
 * and the AWS::SSM::Parameter provider. SSM calls are not IAM-checked locally.
 *
 * @example
 * const ssm = createSsm({ clock, region: 'us-east-1', accountId: '000000000000', dataFile: '.local/ssm.json' });
 * createAwsRouter({ ssm: ssm.handle });
 */
import { createJsonProtocolHandler } from '../json-protocol.js';
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
  const handle = createJsonProtocolHandler({
    service: 'SSM',
    targetPrefix: 'AmazonSSM.',
    version: '1.1',
    maxBodyBytes: 1024 * 1024,
    internalErrorType: 'InternalServerError',
    call,
  });
  return { handle, providers: ssmProviders(deps), call, flush: () => store.flush() };
}
