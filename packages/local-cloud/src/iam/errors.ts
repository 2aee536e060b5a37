/**
 * Errors of the IAM model. {@link MalformedPolicyError} is what IAM answers for a document it
 * cannot accept (`MalformedPolicyDocument`); {@link CredentialsError} carries the AWS error code a
 * service answers for credentials it does not accept.
 */

/** A policy document IAM would reject (bad JSON, unknown Effect, unknown condition operator). */
export class MalformedPolicyError extends Error {
  override name = 'MalformedPolicyError';
}

/** A valid IAM construct the local evaluator does not implement (e.g. `IpAddress`); it refuses
 * the policy rather than guess. */
export class UnsupportedPolicyError extends Error {
  override name = 'UnsupportedPolicyError';
}

/** Credentials a service refuses, with the AWS error code DynamoDB (JSON) services answer. */
export class CredentialsError extends Error {
  override name = 'CredentialsError';
  constructor(
    readonly code:
      | 'UnrecognizedClientException'
      | 'ExpiredTokenException'
      | 'MissingAuthenticationTokenException',
    message: string,
  ) {
    super(message);
  }
}

/** A role the local cloud cannot issue credentials for (missing, or its trust policy refuses). */
export class RoleAssumptionError extends Error {
  override name = 'RoleAssumptionError';
}

/** A request the local cloud cannot build IAM's request context for; it refuses the call. */
export class RequestContextError extends Error {
  override name = 'RequestContextError';
}
