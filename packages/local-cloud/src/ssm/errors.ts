import { AwsServiceError } from '../errors.js';

/** An error SSM answers (AWS JSON 1.1 `{__type, message}`, HTTP 400 unless stated). */
export class SsmServiceError extends AwsServiceError {
  override name = 'SsmServiceError';
}
