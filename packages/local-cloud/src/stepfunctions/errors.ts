import { AwsServiceError } from '../errors.js';

/**
 * Errors of the Step Functions emulator. A {@link SfnServiceError} is what AWS would answer
 * (HTTP 400 with `__type`), so `@aws-sdk/client-sfn` throws the exception of that name; anything
 * else thrown inside an operation is a bug and is answered as a 500 without details.
 */
export class SfnServiceError extends AwsServiceError {
  override name = 'SfnServiceError';
}

/** A definition that AWS accepts but the local interpreter cannot run (it would otherwise fail later, or lie). */
export class UnsupportedDefinitionError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `the local cloud cannot run this state machine: ${problems.join('; ')}. ` +
        'It runs Task states on Lambda (function ARNs and arn:aws:states:::lambda:invoke) and the ' +
        'Pass, Choice, Wait, Parallel, inline Map, Succeed and Fail states with JSONPath.',
    );
    this.name = 'UnsupportedDefinitionError';
  }
}

/** A definition that AWS would refuse (asl-validator's findings). */
export class InvalidDefinitionError extends Error {
  constructor(detail: string) {
    super(`Invalid State Machine Definition: '${detail}'`);
    this.name = 'InvalidDefinitionError';
  }
}

/**
 * An error raised inside an execution with the name Step Functions gives it (`Error`) and its
 * `Cause`; `retryable`/`catchable` false makes it behave like `States.Runtime`, which neither
 * `Retry` nor `Catch` (not even `States.ALL`) can match.
 */
export class StatesTaskError extends Error {
  readonly isRetryable: boolean;
  readonly isCatchable: boolean;

  constructor(errorName: string, cause: string, options: { terminal?: boolean } = {}) {
    super(cause);
    this.name = errorName;
    this.isRetryable = !options.terminal;
    this.isCatchable = !options.terminal;
  }
}

export const notFound = (type: string, message: string): SfnServiceError =>
  new SfnServiceError(type, message);
export const invalidArn = (message: string): SfnServiceError => new SfnServiceError('InvalidArn', message);
export const validation = (message: string): SfnServiceError =>
  new SfnServiceError('ValidationException', message);
