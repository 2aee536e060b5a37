/**
 * The local cloud's single endpoint for AWS APIs other than DynamoDB and Cognito. Every SDK
 * request is signed with SigV4, whose credential scope names the service
 * (`Credential=AKID/20261129/us-east-1/<service>/aws4_request`): that name picks the emulator,
 * so one `AWS_ENDPOINT_URL` serves Lambda, API Gateway, Step Functions, CloudFormation, STS,
 * SSM and S3 alike. The router only reads the scope: each emulator's handler is wrapped in
 * `requireSignature` (iam/request-auth.ts), which verifies the signature itself.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpHandler } from './types.js';

/** The SigV4 signing name of a request, or undefined when it is not signed. */
export function signingService(req: IncomingMessage): string | undefined {
  const authorization = req.headers.authorization;
  if (typeof authorization === 'string') {
    const scope = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(authorization);
    if (scope) return scope[1];
  }
  const credential = new URL(req.url ?? '/', 'http://local').searchParams.get('X-Amz-Credential');
  return credential?.split('/')[3];
}

/** Routes each request to the emulator of its signing service; unknown services get a clear 400. */
export function createAwsRouter(services: Record<string, HttpHandler>): HttpHandler {
  return (req: IncomingMessage, res: ServerResponse) => {
    const service = signingService(req);
    const handler = service ? services[service] : undefined;
    if (handler) return handler(req, res);
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        __type: 'UnknownServiceException',
        message: service
          ? `the local cloud does not emulate the AWS service "${service}" (it has: ${Object.keys(services).join(', ')})`
          : 'the request is not signed with SigV4, so the local cloud cannot tell which AWS service it is for',
      }),
    );
  };
}
