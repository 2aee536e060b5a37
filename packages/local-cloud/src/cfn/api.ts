/**
 * The CloudFormation API (awsQuery: form-encoded requests, XML responses) over the stack engine,
 * for stacks created at run time: CreateStack, UpdateStack, DeleteStack, DescribeStacks,
 * DescribeStackResources and ListStacks. Work runs in the background, as on AWS, so callers poll
 * the stack status (`CREATE_IN_PROGRESS` → `CREATE_COMPLETE` or `ROLLBACK_COMPLETE`).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ObjectStore } from '../s3/store.js';
import type { HttpHandler } from '../types.js';
import { parseQueryForm, toXml } from '../xml.js';
import type { StackEngine, StackRecord, Template } from './stacks.js';

const NAMESPACE = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';
/** CloudFormation's own limit: larger templates must come through TemplateURL. */
const TEMPLATE_BODY_LIMIT = 51_200;

class CloudFormationApiError extends Error {
  override name = 'CloudFormationApiError';
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

interface ApiOptions {
  stacks: StackEngine;
  objects: ObjectStore;
  log?: (line: string) => void;
}

type Params = Record<string, unknown>;

const str = (params: Params, name: string): string | undefined =>
  typeof params[name] === 'string' ? (params[name] as string) : undefined;

function required(params: Params, name: string): string {
  const value = str(params, name);
  if (!value)
    throw new CloudFormationApiError(
      'ValidationError',
      `1 validation error detected: Value null at '${name}' failed to satisfy constraint: Member must not be null`,
    );
  return value;
}

export function createCloudFormationApi(options: ApiOptions): HttpHandler {
  const { stacks, objects } = options;

  const template = (params: Params): Template => {
    const body = str(params, 'TemplateBody');
    const url = str(params, 'TemplateURL');
    if (body && url)
      throw new CloudFormationApiError(
        'ValidationError',
        'Specify either TemplateBody or TemplateURL, not both',
      );
    let text = body;
    if (body && Buffer.byteLength(body) > TEMPLATE_BODY_LIMIT) {
      throw new CloudFormationApiError(
        'ValidationError',
        `Templates with a size greater than ${TEMPLATE_BODY_LIMIT} bytes must be given as TemplateURL`,
      );
    }
    if (url) text = templateFromUrl(objects, url);
    if (!text)
      throw new CloudFormationApiError(
        'ValidationError',
        'Either Template URL or Template Body must be specified.',
      );
    try {
      return JSON.parse(text) as Template;
    } catch {
      throw new CloudFormationApiError(
        'ValidationError',
        'Template format error: the local cloud reads JSON templates only',
      );
    }
  };

  const parameters = (params: Params): Record<string, string> =>
    Object.fromEntries(
      ((params.Parameters as Params[] | undefined) ?? []).map((p) => [
        String(p.ParameterKey),
        String(p.ParameterValue ?? ''),
      ]),
    );

  /** Starts work in the background; failures are recorded on the stack, as on AWS. */
  const background = (work: Promise<unknown>, what: string) => {
    work.catch((error: unknown) =>
      options.log?.(`${what}: ${error instanceof Error ? error.message : String(error)}`),
    );
  };

  const actions: Record<string, (params: Params) => Promise<unknown>> = {
    async CreateStack(params) {
      const stackName = required(params, 'StackName');
      const existing = stacks.describe(stackName);
      if (existing && existing.status !== 'DELETE_COMPLETE')
        throw new CloudFormationApiError('AlreadyExistsException', `Stack [${stackName}] already exists`);
      const input = { stackName, template: template(params), parameters: parameters(params) };
      stacks.validate(input.template, stackName);
      background(stacks.deploy(input), `CreateStack ${stackName}`);
      return { StackId: stacks.describe(stackName)?.stackId };
    },
    async UpdateStack(params) {
      const stackName = required(params, 'StackName');
      const existing = findStack(stacks, stackName);
      if (!['CREATE_COMPLETE', 'UPDATE_COMPLETE'].includes(existing.status)) {
        throw new CloudFormationApiError(
          'ValidationError',
          `Stack:${existing.stackId} is in ${existing.status} state and can not be updated.`,
        );
      }
      const usePrevious = str(params, 'UsePreviousTemplate') === 'true';
      const next = usePrevious ? existing.template : template(params);
      stacks.validate(next, stackName);
      const given = parameters(params);
      for (const p of (params.Parameters as Params[] | undefined) ?? []) {
        if (p.UsePreviousValue === 'true')
          given[String(p.ParameterKey)] = existing.parameters[String(p.ParameterKey)] ?? '';
      }
      const declared = next.Parameters ?? {};
      const unchanged =
        JSON.stringify(next) === JSON.stringify(existing.template) &&
        Object.entries(declared).every(
          ([key, spec]) =>
            (given[key] ?? (spec.Default === undefined ? undefined : String(spec.Default))) ===
            existing.parameters[key],
        );
      if (unchanged) throw new CloudFormationApiError('ValidationError', 'No updates are to be performed.');
      background(
        stacks.deploy({
          stackName: existing.stackName,
          template: next,
          parameters: given,
          artifactDir: existing.artifactDir,
        }),
        `UpdateStack ${existing.stackName}`,
      );
      return { StackId: existing.stackId };
    },
    async DeleteStack(params) {
      const nameOrId = required(params, 'StackName');
      const stack = stacks.describe(nameOrId) ?? stacks.list().find((s) => s.stackId === nameOrId);
      if (stack) background(stacks.delete(stack.stackName), `DeleteStack ${stack.stackName}`);
      return {};
    },
    async DescribeStacks(params) {
      const stackName = str(params, 'StackName');
      const list = stackName ? [findStack(stacks, stackName)] : stacks.list();
      return { Stacks: list.map(describeStack) };
    },
    async DescribeStackResources(params) {
      const stack = findStack(stacks, required(params, 'StackName'));
      return {
        StackResources: Object.entries(stack.resources).map(([logicalId, resource]) => ({
          StackName: stack.stackName,
          StackId: stack.stackId,
          LogicalResourceId: logicalId,
          PhysicalResourceId: resource.physicalId,
          ResourceType: resource.type,
          ResourceStatus: 'CREATE_COMPLETE',
          Timestamp: stack.updatedAt,
        })),
      };
    },
    async ListStacks() {
      return {
        StackSummaries: stacks.list().map((stack) => ({
          StackId: stack.stackId,
          StackName: stack.stackName,
          StackStatus: stack.status,
          CreationTime: stack.createdAt,
          LastUpdatedTime: stack.updatedAt,
        })),
      };
    },
  };

  return async (req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const params = parseQueryForm(body);
    const action = String(params.Action ?? '');
    const requestId = randomUUID();
    try {
      const handler = actions[action];
      if (!handler)
        throw new CloudFormationApiError(
          'InvalidAction',
          `the local cloud does not support CloudFormation ${action || 'requests without an Action'}`,
        );
      const result = await handler(params);
      res.writeHead(200, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
      res.end(
        `<${action}Response xmlns="${NAMESPACE}"><${action}Result>${toXml(result)}</${action}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`,
      );
    } catch (error) {
      const known =
        error instanceof CloudFormationApiError
          ? error
          : new CloudFormationApiError(
              'ValidationError',
              error instanceof Error ? error.message : String(error),
            );
      res.writeHead(known.status, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
      res.end(
        `<ErrorResponse xmlns="${NAMESPACE}">${toXml({ Error: { Type: 'Sender', Code: known.code, Message: known.message } })}<RequestId>${requestId}</RequestId></ErrorResponse>`,
      );
    }
  };
}

function findStack(stacks: StackEngine, nameOrId: string): StackRecord {
  const stack = stacks.describe(nameOrId) ?? stacks.list().find((s) => s.stackId === nameOrId);
  if (!stack) throw new CloudFormationApiError('ValidationError', `Stack with id ${nameOrId} does not exist`);
  return stack;
}

function describeStack(stack: StackRecord) {
  return {
    StackId: stack.stackId,
    StackName: stack.stackName,
    Parameters: Object.entries(stack.parameters).map(([ParameterKey, ParameterValue]) => ({
      ParameterKey,
      ParameterValue: stack.template.Parameters?.[ParameterKey]?.NoEcho ? '****' : ParameterValue,
    })),
    CreationTime: stack.createdAt,
    LastUpdatedTime: stack.updatedAt,
    StackStatus: stack.status,
    StackStatusReason: stack.statusReason,
    Outputs: Object.entries(stack.outputs).map(([OutputKey, output]) => ({
      OutputKey,
      OutputValue: Array.isArray(output.value) ? output.value.join(',') : String(output.value),
      ExportName: output.exportName,
    })),
  };
}

/** Reads a TemplateURL from the local S3: virtual-hosted, path-style or local endpoint URLs. */
function templateFromUrl(objects: ObjectStore, templateUrl: string): string {
  let url: URL;
  try {
    url = new URL(templateUrl);
  } catch {
    throw new CloudFormationApiError('ValidationError', `TemplateURL ${templateUrl} is not a URL`);
  }
  const virtualHosted = /^([^.]+(?:\.[^.]+)*?)\.s3[.-]/.exec(url.hostname);
  const [bucket, ...keyParts] = virtualHosted
    ? [virtualHosted[1] as string, ...url.pathname.slice(1).split('/')]
    : url.pathname.slice(1).split('/');
  const found = bucket ? objects.get(bucket, decodeURIComponent(keyParts.join('/'))) : undefined;
  if (!found)
    throw new CloudFormationApiError(
      'ValidationError',
      `TemplateURL must be a supported URL: nothing is stored at ${templateUrl}`,
    );
  return found.body.toString('utf8');
}
