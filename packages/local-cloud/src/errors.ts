/**
 * Errors shared by the emulators: what an AWS service answers ({@link AwsServiceError}) and what the
 * local cloud refuses before any service sees it (a bad template property, a foreign state file).
 */

/**
 * An error an AWS service answers: its exception name (`__type`, `x-amzn-ErrorType`), message and
 * HTTP status (400 unless stated). Each emulator names a subclass, so `instanceof` stays precise.
 *
 * @example
 * export class SsmServiceError extends AwsServiceError {
 *   override name = 'SsmServiceError';
 * }
 * throw new SsmServiceError('ParameterNotFound', 'Parameter /a not found.');
 */
export class AwsServiceError extends Error {
  override name = 'AwsServiceError';
  readonly statusCode: number;

  constructor(
    /** The AWS exception name, e.g. `ResourceNotFoundException`. */
    readonly type: string,
    message: string,
    options?: { statusCode?: number; cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.statusCode = options?.statusCode ?? 400;
  }
}

/** A CloudFormation property is missing or has a value AWS would reject. */
export class InvalidPropertyError extends Error {
  override name = 'InvalidPropertyError';
}

/** A data file exists but does not hold the emulator's state. */
export class StateFileError extends Error {
  override name = 'StateFileError';
}
