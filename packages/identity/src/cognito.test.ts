import { describe, expect, it } from 'vitest';
import { cognitoEndpoint, cognitoIssuer, cognitoJwksUri } from './cognito.js';

describe('cognito endpoints', () => {
  it('uses the regional AWS endpoint by default', () => {
    expect(cognitoEndpoint('eu-west-1', {})).toBe('https://cognito-idp.eu-west-1.amazonaws.com');
  });

  it('uses the endpoint override of the local cloud', () => {
    const env = { AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: 'http://127.0.0.1:9229/' };
    expect(cognitoJwksUri(cognitoEndpoint('us-east-1', env), 'local_abc')).toBe(
      'http://127.0.0.1:9229/local_abc/.well-known/jwks.json',
    );
  });

  it('keeps the AWS issuer form whatever the endpoint', () => {
    expect(cognitoIssuer('us-east-1', 'local_abc')).toBe(
      'https://cognito-idp.us-east-1.amazonaws.com/local_abc',
    );
  });
});
