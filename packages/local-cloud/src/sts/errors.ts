import { AwsServiceError } from '../errors.js';

/** An error STS answers (awsQuery `ErrorResponse`, HTTP 400 unless stated). */
export class StsServiceError extends AwsServiceError {
  override name = 'StsServiceError';
}
