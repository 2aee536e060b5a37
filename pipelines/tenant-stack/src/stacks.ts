/**
 * The tenant stack's lifecycle, for the provisioning workflow's Lambda wrappers and the release:
 * create (idempotent), describe, update, delete (tolerant of a missing stack). Only the
 * CloudFormation client: no file system, no builder, so the wrappers' bundles stay small.
 */
import {
  AlreadyExistsException,
  type CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStacksCommand,
  type Parameter,
  type Stack,
  UpdateStackCommand,
} from '@aws-sdk/client-cloudformation';
import { TenantStackStateError } from './errors.js';
import { TEMPLATE_OUTPUTS, TEMPLATE_PARAMETERS, tenantStackName } from './names.js';

export interface TenantStackClients {
  cloudformation: CloudFormationClient;
}

export interface CreateTenantStackInput {
  tenantId: string;
  /** The released template (SSM `/tenantry/<stage>/tenant-stack/template-url`). */
  templateUrl: string;
  artifactBucket: string;
  /** The release folder (SSM `/tenantry/<stage>/tenant-stack/artifact-prefix`). */
  artifactPrefix: string;
  /** Reserved concurrency per function; 0 (default) reserves none. */
  reservedConcurrency?: number;
  /** A CloudFormation service role to create the stack with (on AWS, so the caller needs only iam:PassRole). */
  roleArn?: string;
}

/** A missing stack's status: the stack never existed or its deletion finished. */
export const STACK_NOT_FOUND = 'NOT_FOUND';

export interface TenantStackOutputs {
  ApiUrl: string;
  ApiId: string;
  Stage: string;
  UserPoolId: string;
  UserPoolClientId: string;
  ApiKeyId: string;
  /** Any further outputs (table names, role ARNs). */
  [name: string]: string;
}

export interface TenantStackDescription {
  stackName: string;
  /** CloudFormation's stack status, or {@link STACK_NOT_FOUND}. */
  status: string;
  statusReason?: string;
  /** Present once the stack is complete (CREATE_COMPLETE or UPDATE_COMPLETE). */
  outputs?: TenantStackOutputs;
}

// Named IAM roles need CAPABILITY_NAMED_IAM on AWS.
const CAPABILITIES = ['CAPABILITY_NAMED_IAM'] as const;
const COMPLETE = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE']);
/** States of a stack that was (or is being) created successfully: a create retry returns it. */
const CREATED =
  /^(CREATE_IN_PROGRESS|CREATE_COMPLETE|UPDATE_(IN_PROGRESS|COMPLETE_CLEANUP_IN_PROGRESS|COMPLETE))$/;

const isMissing = (error: unknown) => error instanceof Error && /does not exist/.test(error.message);

async function findStack(clients: TenantStackClients, stackName: string): Promise<Stack | undefined> {
  try {
    const { Stacks } = await clients.cloudformation.send(new DescribeStacksCommand({ StackName: stackName }));
    const stack = Stacks?.[0];
    return stack && stack.StackStatus !== 'DELETE_COMPLETE' ? stack : undefined;
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

function outputsOf(stack: Stack): TenantStackOutputs | undefined {
  const outputs: Record<string, string> = {};
  for (const output of stack.Outputs ?? [])
    if (output.OutputKey && output.OutputValue !== undefined) outputs[output.OutputKey] = output.OutputValue;
  const complete = Object.values(TEMPLATE_OUTPUTS).every((name) => typeof outputs[name] === 'string');
  return complete ? (outputs as TenantStackOutputs) : undefined;
}

/**
 * Creates the tenant's stack from the released template. Idempotent: a stack of that name that was
 * created (or is being created) is returned as it is; one that failed (e.g. `ROLLBACK_COMPLETE`)
 * throws {@link TenantStackStateError}: the workflow's compensation deletes it.
 *
 * @example
 * ```ts
 * const { stackName } = await createTenantStack({ cloudformation }, {
 *   tenantId, templateUrl, artifactBucket, artifactPrefix,
 * });
 * ```
 */
export async function createTenantStack(
  clients: TenantStackClients,
  input: CreateTenantStackInput,
): Promise<{ stackName: string; stackId?: string }> {
  const stackName = tenantStackName(input.tenantId);
  const existing = async () => {
    const stack = await findStack(clients, stackName);
    if (!stack) return undefined;
    const status = stack.StackStatus ?? 'UNKNOWN';
    if (!CREATED.test(status))
      throw new TenantStackStateError(`tenant stack ${stackName} is ${status}`, stackName, status);
    return { stackName, stackId: stack.StackId };
  };
  const found = await existing();
  if (found) return found;
  const parameters: Parameter[] = [
    { ParameterKey: TEMPLATE_PARAMETERS.tenantId, ParameterValue: input.tenantId },
    { ParameterKey: TEMPLATE_PARAMETERS.artifactBucket, ParameterValue: input.artifactBucket },
    { ParameterKey: TEMPLATE_PARAMETERS.artifactPrefix, ParameterValue: input.artifactPrefix },
    {
      ParameterKey: TEMPLATE_PARAMETERS.reservedConcurrency,
      ParameterValue: String(input.reservedConcurrency ?? 0),
    },
  ];
  try {
    const { StackId } = await clients.cloudformation.send(
      new CreateStackCommand({
        StackName: stackName,
        TemplateURL: input.templateUrl,
        Parameters: parameters,
        Capabilities: [...CAPABILITIES],
        Tags: [{ Key: 'tenantry:tenantId', Value: input.tenantId }],
        ...(input.roleArn ? { RoleARN: input.roleArn } : {}),
      }),
    );
    return { stackName, stackId: StackId };
  } catch (error) {
    // A concurrent retry created it between our look and our create.
    if (
      error instanceof AlreadyExistsException ||
      (error instanceof Error && error.name === 'AlreadyExistsException')
    ) {
      const raced = await existing();
      if (raced) return raced;
    }
    throw error;
  }
}

/**
 * The tenant stack's status and, once complete, its outputs. A missing stack is
 * `{status: 'NOT_FOUND'}` rather than an error, so a workflow can branch on it.
 */
export async function describeTenantStack(
  clients: TenantStackClients,
  input: { tenantId: string },
): Promise<TenantStackDescription> {
  const stackName = tenantStackName(input.tenantId);
  const stack = await findStack(clients, stackName);
  if (!stack) return { stackName, status: STACK_NOT_FOUND };
  const status = stack.StackStatus ?? 'UNKNOWN';
  const outputs = COMPLETE.has(status) ? outputsOf(stack) : undefined;
  return {
    stackName,
    status,
    ...(stack.StackStatusReason ? { statusReason: stack.StackStatusReason } : {}),
    ...(outputs ? { outputs } : {}),
  };
}

/** Starts deleting the tenant stack; a missing stack is fine. Poll {@link describeTenantStack} for `NOT_FOUND`. */
export async function deleteTenantStack(
  clients: TenantStackClients,
  input: { tenantId: string },
): Promise<{ stackName: string; existed: boolean }> {
  const stackName = tenantStackName(input.tenantId);
  const stack = await findStack(clients, stackName);
  if (!stack) return { stackName, existed: false };
  try {
    await clients.cloudformation.send(new DeleteStackCommand({ StackName: stackName }));
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
  return { stackName, existed: true };
}

/**
 * Points an existing tenant stack at a new release, keeping its tenant id and reserved concurrency.
 * Answers false when CloudFormation finds nothing to update.
 */
export async function updateTenantStack(
  clients: TenantStackClients,
  input: { stackName: string; templateUrl: string; artifactBucket: string; artifactPrefix: string },
): Promise<boolean> {
  try {
    await clients.cloudformation.send(
      new UpdateStackCommand({
        StackName: input.stackName,
        TemplateURL: input.templateUrl,
        Parameters: [
          { ParameterKey: TEMPLATE_PARAMETERS.tenantId, UsePreviousValue: true },
          { ParameterKey: TEMPLATE_PARAMETERS.artifactBucket, ParameterValue: input.artifactBucket },
          { ParameterKey: TEMPLATE_PARAMETERS.artifactPrefix, ParameterValue: input.artifactPrefix },
          { ParameterKey: TEMPLATE_PARAMETERS.reservedConcurrency, UsePreviousValue: true },
        ],
        Capabilities: [...CAPABILITIES],
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof Error && /No updates are to be performed/.test(error.message)) return false;
    throw error;
  }
}

export interface WaitOptions {
  /** Defaults to 5 s (CloudFormation's own waiters use 5–30 s). */
  intervalMs?: number;
  /** Defaults to 30 minutes. */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Polls a stack until its status is no longer `*_IN_PROGRESS` and answers that status
 * ({@link STACK_NOT_FOUND} once a deleted stack is gone).
 */
export async function waitForStack(
  clients: TenantStackClients,
  stackName: string,
  options: WaitOptions = {},
): Promise<{ status: string; statusReason?: string }> {
  const interval = options.intervalMs ?? 5_000;
  const deadline = Date.now() + (options.timeoutMs ?? 30 * 60_000);
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (;;) {
    const stack = await findStack(clients, stackName);
    const status = stack?.StackStatus ?? STACK_NOT_FOUND;
    if (!status.endsWith('_IN_PROGRESS'))
      return { status, ...(stack?.StackStatusReason ? { statusReason: stack.StackStatusReason } : {}) };
    if (Date.now() > deadline)
      throw new TenantStackStateError(`tenant stack ${stackName} is still ${status}`, stackName, status);
    await sleep(interval);
  }
}

/**
 * The tenant's API base URL. On AWS it is the stack's `ApiUrl` output; where API Gateway is served
 * from another endpoint (the local cloud's gateway, `{gateway}/restapis/{id}/{stage}/_user_request_`)
 * the caller passes that endpoint and the URL is built from `ApiId` and `Stage`.
 *
 * @example
 * ```ts
 * tenantApiUrl(outputs); // 'https://abc123.execute-api.us-east-1.amazonaws.com/dev'
 * tenantApiUrl(outputs, 'http://127.0.0.1:4000'); // 'http://127.0.0.1:4000/restapis/abc123/dev/_user_request_'
 * ```
 */
export function tenantApiUrl(
  outputs: Pick<TenantStackOutputs, 'ApiUrl' | 'ApiId' | 'Stage'>,
  executeApiEndpoint?: string,
): string {
  if (!executeApiEndpoint) return outputs.ApiUrl;
  return `${executeApiEndpoint.replace(/\/+$/, '')}/restapis/${outputs.ApiId}/${outputs.Stage}/_user_request_`;
}
