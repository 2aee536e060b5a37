/** The AWS JSON 1.0 protocol of Step Functions: `POST /` with `X-Amz-Target: AWSStepFunctions.<Op>`. */
import { createJsonProtocolHandler } from '../json-protocol.js';
import type { HttpHandler } from '../types.js';
import type { OperationInput, OperationResult } from './operations.js';

export type Call = (operation: string, input: OperationInput) => Promise<OperationResult>;

export function createHttpHandler(call: Call): HttpHandler {
  return createJsonProtocolHandler({
    service: 'Step Functions',
    targetPrefix: 'AWSStepFunctions.',
    version: '1.0',
    maxBodyBytes: 2 * 1024 * 1024,
    internalErrorType: 'InternalServerError',
    call: (operation, input) => call(operation, input as OperationInput),
  });
}
