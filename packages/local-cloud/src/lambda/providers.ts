import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { ProviderContext, ProviderMap, ResourceProvider } from '../types.js';
import { parseFunctionTarget } from './arn.js';
import type { CodeStore } from './code.js';
import { LambdaConfigError, ResourceNotFoundError } from './errors.js';
import type { LambdaRuntimeCore } from './runtime.js';

/**
 * CloudFormation providers of the Lambda emulator: `AWS::Lambda::Function`, `AWS::Lambda::Version`,
 * `AWS::Lambda::Permission` and `AWS::Logs::LogGroup` (recorded only: logs go to the dev console).
 */
export function createLambdaProviders(core: LambdaRuntimeCore, code: CodeStore): ProviderMap {
  const fn: ResourceProvider = {
    async create(ctx, logicalId, props) {
      const where = `AWS::Lambda::Function ${logicalId}`;
      const functionName =
        optionalString(props.FunctionName, where, 'FunctionName') ?? physicalName(ctx, logicalId, 64);
      const handler = requiredString(props.Handler, where, 'Handler');
      const codeDir = await resolveCode(ctx, code, props.Code, where);
      const { functionArn } = core.register({
        functionName,
        handler,
        codeDir,
        runtime: optionalString(props.Runtime, where, 'Runtime') ?? 'nodejs22.x',
        environment: environmentVariables(props.Environment, where),
        timeoutSeconds: optionalNumber(props.Timeout, where, 'Timeout'),
        memorySize: optionalNumber(props.MemorySize, where, 'MemorySize'),
        reservedConcurrency: optionalNumber(
          props.ReservedConcurrentExecutions,
          where,
          'ReservedConcurrentExecutions',
        ),
        role: optionalString(props.Role, where, 'Role'),
      });
      return { physicalId: functionName, attributes: { Arn: functionArn } };
    },
    async delete(_ctx, physicalId) {
      ignoreNotFound(() => core.unregister(physicalId));
    },
  };

  const version: ResourceProvider = {
    async create(_ctx, logicalId, props) {
      const name = requiredString(props.FunctionName, `AWS::Lambda::Version ${logicalId}`, 'FunctionName');
      const { version: number, functionArn } = core.publishVersion(name);
      return { physicalId: functionArn, attributes: { Version: number, FunctionArn: functionArn } };
    },
    async delete(_ctx, physicalId) {
      const target = parseFunctionTarget(physicalId);
      if (!target?.qualifier) return;
      const { functionName, qualifier } = target;
      ignoreNotFound(() => core.deleteVersion(functionName, qualifier));
    },
  };

  const permission: ResourceProvider = {
    async create(ctx, logicalId, props) {
      const where = `AWS::Lambda::Permission ${logicalId}`;
      const reference = requiredString(props.FunctionName, where, 'FunctionName');
      const target = parseFunctionTarget(reference);
      if (!target)
        throw new LambdaConfigError(`${where}: FunctionName ${reference} is not a function name or ARN`);
      const id = `${ctx.stackName}-${logicalId}-${randomBytes(6).toString('hex')}`;
      core.addPermission({
        id,
        functionName: target.functionName,
        action: requiredString(props.Action, where, 'Action'),
        principal: requiredString(props.Principal, where, 'Principal'),
        sourceArn: optionalString(props.SourceArn, where, 'SourceArn'),
      });
      return { physicalId: id };
    },
    async delete(_ctx, physicalId) {
      core.removePermission(physicalId);
    },
  };

  const logGroup: ResourceProvider = {
    async create(ctx, logicalId, props) {
      const name =
        optionalString(props.LogGroupName, `AWS::Logs::LogGroup ${logicalId}`, 'LogGroupName') ??
        physicalName(ctx, logicalId, 512);
      return {
        physicalId: name,
        attributes: { Arn: `arn:aws:logs:${ctx.region}:${ctx.accountId}:log-group:${name}:*` },
      };
    },
    async delete() {},
  };

  return {
    'AWS::Lambda::Function': fn,
    'AWS::Lambda::Version': version,
    'AWS::Lambda::Permission': permission,
    'AWS::Logs::LogGroup': logGroup,
  };
}

async function resolveCode(
  ctx: ProviderContext,
  code: CodeStore,
  value: unknown,
  where: string,
): Promise<string> {
  if (!isRecord(value)) throw new LambdaConfigError(`${where}: Code is required`);
  if (typeof value.ZipFile === 'string') return code.fromInlineSource(value.ZipFile);
  if (typeof value.S3Key === 'string') {
    // A packaged service carries its zips beside the template; a stack created at run time
    // (CreateStack) finds them in the local S3, as Lambda does on AWS.
    const zipPath = ctx.artifactDir
      ? path.join(ctx.artifactDir, path.basename(value.S3Key))
      : ctx.cloud.objects?.path(String(value.S3Bucket), value.S3Key);
    if (!zipPath) {
      throw new LambdaConfigError(
        `${where}: Code s3://${String(value.S3Bucket)}/${value.S3Key} does not exist in the local S3`,
      );
    }
    try {
      return await code.fromZipFile(zipPath);
    } catch (err) {
      throw new LambdaConfigError(`${where}: ${(err as Error).message}`, { cause: err });
    }
  }
  if (value.ImageUri !== undefined)
    throw new LambdaConfigError(`${where}: container images are not supported locally`);
  throw new LambdaConfigError(`${where}: Code needs ZipFile or S3Bucket/S3Key`);
}

function environmentVariables(value: unknown, where: string): Record<string, string> {
  if (value === undefined) return {};
  const variables = isRecord(value) ? value.Variables : undefined;
  if (variables === undefined) return {};
  if (!isRecord(variables)) throw new LambdaConfigError(`${where}: Environment.Variables must be a map`);
  const out: Record<string, string> = {};
  for (const [key, raw] of Object.entries(variables)) {
    if (typeof raw === 'string') out[key] = raw;
    else if (typeof raw === 'number' || typeof raw === 'boolean') out[key] = String(raw);
    else
      throw new LambdaConfigError(
        `${where}: Environment.Variables.${key} must be a string, got ${JSON.stringify(raw)}`,
      );
  }
  return out;
}

function requiredString(value: unknown, where: string, property: string): string {
  const text = optionalString(value, where, property);
  if (text === undefined) throw new LambdaConfigError(`${where}: ${property} is required`);
  return text;
}

function optionalString(value: unknown, where: string, property: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new LambdaConfigError(`${where}: ${property} must be a string`);
  return value;
}

function optionalNumber(value: unknown, where: string, property: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number)) {
    throw new LambdaConfigError(`${where}: ${property} must be a number, got ${JSON.stringify(value)}`);
  }
  return number;
}

/** A CloudFormation-style generated name: `<stack>-<logicalId>-<RANDOM>`, within the type's length limit. */
function physicalName(ctx: ProviderContext, logicalId: string, maxLength: number): string {
  const suffix = randomBytes(6).toString('hex').toUpperCase();
  const stem = `${ctx.stackName}-${logicalId}`.slice(0, maxLength - suffix.length - 1);
  return `${stem}-${suffix}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function ignoreNotFound(action: () => void): void {
  try {
    action();
  } catch (err) {
    if (!(err instanceof ResourceNotFoundError)) throw err;
  }
}
