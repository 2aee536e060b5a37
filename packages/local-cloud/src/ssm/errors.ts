/** An error SSM answers (AWS JSON 1.1 `{__type, message}`, HTTP 400 unless stated). */
export class SsmServiceError extends Error {
  override name = 'SsmServiceError';
  constructor(
    /** The AWS exception name, e.g. `ParameterNotFound`. */
    readonly type: string,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
  }
}
