/**
 * Errors of the IAM model. {@link MalformedPolicyError} is what IAM answers for a document it
 * cannot accept (`MalformedPolicyDocument`); {@link CredentialsError} carries the AWS error code a
 * service answers for credentials it does not accept, {@link SignatureError} a signature it refuses.
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

/**
 * A SigV4 signature AWS would refuse. `reason` picks each protocol's error code: `mismatch`
 * (SignatureDoesNotMatch / InvalidSignatureException), `skew` (more than 5 minutes from the
 * server's clock), `expired` (a presigned URL past X-Amz-Expires), `scope` (wrong service, region
 * or date in the credential scope), `incomplete` (IncompleteSignature: a part is missing).
 */
export class SignatureError extends Error {
  override name = 'SignatureError';
  constructor(
    readonly reason: 'mismatch' | 'skew' | 'expired' | 'scope' | 'incomplete',
    message: string,
  ) {
    super(message);
  }
}
