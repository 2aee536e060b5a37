/**
 * The local STS (awsQuery protocol: form-encoded POST, XML answers): AssumeRole and
 * GetCallerIdentity for the credentials the local cloud issued.
 *
 * @example
 * const sts = createSts({ credentials, roles, accountId: '000000000000' });
 * createAwsRouter({ sts: sts.handle });
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { accessKeyIdOf, type CredentialsRegistry } from '../iam/credentials.js';
import { CredentialsError } from '../iam/errors.js';
import type { IamStore } from '../iam/providers.js';
import { createRolePolicies } from '../iam/role-policies.js';
import type { HttpHandler } from '../types.js';
import { assumeRole } from './assume-role.js';
import { StsServiceError } from './errors.js';
import { errorXml, resultXml } from './xml.js';

export { StsServiceError } from './errors.js';

export interface StsOptions {
  credentials: CredentialsRegistry;
  roles: IamStore;
  accountId: string;
}

export interface Sts {
  handle: HttpHandler;
}

const MAX_BODY_BYTES = 64 * 1024;

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > MAX_BODY_BYTES) throw new StsServiceError('ValidationError', 'Request body too large');
  }
  const params = new URLSearchParams(body);
  for (const [name, value] of new URL(req.url ?? '/', 'http://local').searchParams)
    params.append(name, value);
  return params;
}

function send(res: ServerResponse, status: number, xml: string, requestId: string): void {
  res.writeHead(status, {
    'content-type': 'text/xml',
    'content-length': Buffer.byteLength(xml),
    'x-amzn-requestid': requestId,
  });
  res.end(xml);
}

/** STS answers credentials problems with its own codes (awsQuery), not DynamoDB's. */
function stsCredentialsError(error: CredentialsError): StsServiceError {
  if (error.code === 'ExpiredTokenException') return new StsServiceError('ExpiredToken', error.message);
  if (error.code === 'MissingAuthenticationTokenException')
    return new StsServiceError('MissingAuthenticationToken', error.message, { statusCode: 403 });
  return new StsServiceError('InvalidClientTokenId', error.message, { statusCode: 403 });
}

export function createSts(options: StsOptions): Sts {
  const rolePolicies = createRolePolicies(options.roles);
  const deps = { ...options, rolePolicies };
  const handle: HttpHandler = async (req, res) => {
    const requestId = randomUUID();
    try {
      const params = await readForm(req);
      const token = req.headers['x-amz-security-token'];
      let caller: ReturnType<CredentialsRegistry['authenticate']>;
      try {
        caller = options.credentials.authenticate(
          accessKeyIdOf(req.headers, req.url),
          typeof token === 'string' ? token : (params.get('X-Amz-Security-Token') ?? undefined),
        );
      } catch (error) {
        if (error instanceof CredentialsError) throw stsCredentialsError(error);
        throw error;
      }
      const action = params.get('Action') ?? '';
      let result: Record<string, unknown>;
      if (action === 'GetCallerIdentity') {
        result =
          caller.kind === 'root'
            ? { UserId: options.accountId, Account: options.accountId, Arn: caller.arn }
            : { UserId: caller.userId, Account: options.accountId, Arn: caller.arn };
      } else if (action === 'AssumeRole') {
        if (caller.kind === 'root')
          throw new StsServiceError('AccessDenied', 'Roles may not be assumed by root accounts.', {
            statusCode: 403,
          });
        result = assumeRole(deps, caller, params);
      } else {
        throw new StsServiceError(
          'InvalidAction',
          `Could not find operation ${action || '(none)'} for version 2011-06-15 in the local STS`,
        );
      }
      send(res, 200, resultXml(action, result, requestId), requestId);
    } catch (error) {
      if (error instanceof StsServiceError) {
        send(res, error.statusCode, errorXml(error.type, error.message, requestId), requestId);
        return;
      }
      process.stderr.write(
        `local sts: internal error: ${error instanceof Error ? error.stack : String(error)}\n`,
      );
      send(res, 500, errorXml('InternalFailure', 'Internal server error.', requestId), requestId);
    }
  };
  return { handle };
}
