/** Environment variable through which the SDK (and this package) find a non-AWS Cognito. */
export const COGNITO_ENDPOINT_ENV = 'AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER';

/**
 * The Cognito endpoint to fetch JWKS from: `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER` when set
 * (the local cloud), otherwise the regional AWS endpoint.
 *
 * @example
 * ```ts
 * cognitoEndpoint('eu-west-1', {}); // 'https://cognito-idp.eu-west-1.amazonaws.com'
 * ```
 */
export function cognitoEndpoint(
  region: string,
  env: Record<string, string | undefined> = process.env,
): string {
  const override = env[COGNITO_ENDPOINT_ENV];
  return (override && override.length > 0 ? override : `https://cognito-idp.${region}.amazonaws.com`).replace(
    /\/+$/,
    '',
  );
}

/** The `iss` claim of a user pool's tokens: always the AWS form, also locally. */
export const cognitoIssuer = (region: string, userPoolId: string): string =>
  `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`;

/** Where a user pool publishes its signing keys, relative to `endpoint`. */
export const cognitoJwksUri = (endpoint: string, userPoolId: string): string =>
  `${endpoint}/${userPoolId}/.well-known/jwks.json`;
