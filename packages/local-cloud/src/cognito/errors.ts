import { AwsServiceError } from '../errors.js';

/**
 * Errors of the Cognito emulator. A {@link CognitoServiceError} is what AWS would answer
 * (HTTP 400, `x-amzn-ErrorType` = `type`); anything else thrown inside an operation is a bug and
 * is answered as a 500 `InternalErrorException` without details.
 */
export class CognitoServiceError extends AwsServiceError {
  override name = 'CognitoServiceError';
}

/** A CloudFormation property the emulator cannot honour (it would change behaviour silently). */
export class UnsupportedPropertyError extends Error {
  constructor(
    readonly resourceType: string,
    readonly property: string,
    detail: string,
  ) {
    super(`${resourceType}: the local cloud does not support ${property} (${detail})`);
    this.name = 'UnsupportedPropertyError';
  }
}

export const notAuthorized = (message: string): CognitoServiceError =>
  new CognitoServiceError('NotAuthorizedException', message);

export const invalidParameter = (message: string): CognitoServiceError =>
  new CognitoServiceError('InvalidParameterException', message);

export const invalidPassword = (message: string): CognitoServiceError =>
  new CognitoServiceError('InvalidPasswordException', message);

export const userNotFound = (): CognitoServiceError =>
  new CognitoServiceError('UserNotFoundException', 'User does not exist.');

export const resourceNotFound = (message: string): CognitoServiceError =>
  new CognitoServiceError('ResourceNotFoundException', message);

/** AWS's wording for a request field that fails its model constraint. */
export const validationError = (field: string, value: unknown, constraint: string): CognitoServiceError =>
  invalidParameter(
    `1 validation error detected: Value ${value === undefined || value === null ? 'null' : `'${String(value)}'`} at '${field}' failed to satisfy constraint: ${constraint}`,
  );

/** A setting or flow that AWS supports and this emulator does not (refused rather than ignored). */
export class UnsupportedFeatureError extends CognitoServiceError {
  constructor(
    readonly feature: string,
    detail?: string,
  ) {
    super(
      'InvalidParameterException',
      `The local Cognito emulator does not support ${feature}${detail ? ` (${detail})` : ''}`,
    );
    this.name = 'UnsupportedFeatureError';
  }
}
