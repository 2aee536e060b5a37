export { type FunctionTarget, functionArn, parseFunctionTarget } from './arn.js';
export { type CodeStore, createCodeStore } from './code.js';
export {
  InvalidRequestContentError,
  LambdaConfigError,
  LambdaServiceError,
  RequestTooLargeError,
  ResourceConflictError,
  ResourceNotFoundError,
  TooManyRequestsError,
} from './errors.js';
export {
  createLambdaRuntime,
  type FunctionDefinition,
  type FunctionStats,
  type LambdaFunctionError,
  type LambdaRuntime,
  type LambdaRuntimeOptions,
  type PermissionRecord,
} from './runtime.js';
