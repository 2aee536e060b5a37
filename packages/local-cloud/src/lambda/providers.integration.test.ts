import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClock } from '../clock.js';
import type { LocalCloudServices, ProviderContext } from '../types.js';
import { createLambdaRuntime, type LambdaRuntime } from './runtime.js';

const HANDLER_SOURCE = `"use strict";
let calls = 0;
exports.handler = async (event) => ({ calls: ++calls, table: process.env.TABLE_NAME,
  memory: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE, echo: event.value });
`;

let root: string;
let artifactDir: string;
let runtime: LambdaRuntime;
let ctx: ProviderContext;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'lambda-providers-'));
  artifactDir = path.join(root, 'services', 'products', '.serverless');
  await mkdir(artifactDir, { recursive: true });
  await writeFile(
    path.join(artifactDir, 'getProduct.zip'),
    zipSync({ 'src/functions/getProduct/handler.js': strToU8(HANDLER_SOURCE) }),
  );
  runtime = createLambdaRuntime({
    region: 'us-east-1',
    accountId: '000000000000',
    clock: createClock(),
    baseEnvironment: () => ({}),
    codeCacheDir: path.join(root, 'code-cache'),
    log: () => {},
  });
  ctx = {
    stackName: 'products-dev',
    stackId: 'arn:aws:cloudformation:us-east-1:000000000000:stack/products-dev/1',
    region: 'us-east-1',
    accountId: '000000000000',
    artifactDir,
    cloud: { lambda: runtime } as unknown as LocalCloudServices,
  };
});

afterEach(async () => {
  await runtime.close();
  await rm(root, { recursive: true, force: true });
});

const functionProps = (overrides: Record<string, unknown> = {}) => ({
  FunctionName: 'products-dev-getProduct',
  Handler: 'src/functions/getProduct/handler.handler',
  Runtime: 'nodejs22.x',
  Role: 'arn:aws:iam::000000000000:role/products-dev-lambdaRole',
  Code: {
    S3Bucket: 'products-dev-serverlessdeploymentbucket',
    S3Key: 'serverless/products/dev/1700000000000-2024-01-01T00:00:00.000Z/getProduct.zip',
  },
  Environment: { Variables: { TABLE_NAME: 'products-dev', STAGE: 'dev' } },
  MemorySize: 1024,
  Timeout: 6,
  ...overrides,
});

describe('AWS::Lambda::Function', () => {
  it('deploys the packaged zip from the artifact directory and invokes it', async () => {
    const provider = runtime.providers['AWS::Lambda::Function'];
    const created = await provider?.create(ctx, 'GetProductLambdaFunction', functionProps());
    expect(created).toEqual({
      physicalId: 'products-dev-getProduct',
      attributes: { Arn: 'arn:aws:lambda:us-east-1:000000000000:function:products-dev-getProduct' },
    });
    expect(await runtime.invoke('products-dev-getProduct', { value: 'x' })).toEqual({
      ok: true,
      payload: { calls: 1, table: 'products-dev', memory: '1024', echo: 'x' },
    });
  });

  it('fails with a message naming the missing zip', async () => {
    const provider = runtime.providers['AWS::Lambda::Function'];
    const props = functionProps({ Code: { S3Bucket: 'b', S3Key: 'serverless/products/dev/1/products.zip' } });
    await expect(provider?.create(ctx, 'GetProductLambdaFunction', props)).rejects.toThrow(
      path.join(artifactDir, 'products.zip'),
    );
  });

  it('runs inline ZipFile code as index.js', async () => {
    const provider = runtime.providers['AWS::Lambda::Function'];
    await provider?.create(ctx, 'Inline', {
      FunctionName: 'inline',
      Handler: 'index.handler',
      Runtime: 'nodejs22.x',
      Code: { ZipFile: 'exports.handler = async () => "inline code";' },
    });
    expect(await runtime.invoke('inline', {})).toEqual({ ok: true, payload: 'inline code' });
  });

  it('generates a name when FunctionName is absent', async () => {
    const provider = runtime.providers['AWS::Lambda::Function'];
    const created = await provider?.create(
      ctx,
      'GetProductLambdaFunction',
      functionProps({ FunctionName: undefined }),
    );
    expect(created?.physicalId).toMatch(/^products-dev-GetProductLambdaFunction-[0-9A-F]{12}$/);
  });

  it('honours ReservedConcurrentExecutions', async () => {
    const provider = runtime.providers['AWS::Lambda::Function'];
    await provider?.create(ctx, 'Off', functionProps({ ReservedConcurrentExecutions: 0 }));
    await expect(runtime.invoke('products-dev-getProduct', {})).rejects.toMatchObject({
      code: 'TooManyRequestsException',
    });
  });

  it('refuses a runtime other than Node.js', async () => {
    const provider = runtime.providers['AWS::Lambda::Function'];
    await expect(provider?.create(ctx, 'Py', functionProps({ Runtime: 'python3.12' }))).rejects.toThrow(
      /python3\.12/,
    );
  });

  it('refuses an environment variable that is not a string', async () => {
    const provider = runtime.providers['AWS::Lambda::Function'];
    const props = functionProps({ Environment: { Variables: { TABLE: { Ref: 'ProductsTable' } } } });
    await expect(provider?.create(ctx, 'Bad', props)).rejects.toThrow(/Environment\.Variables\.TABLE/);
  });

  it('removes the function on delete', async () => {
    const provider = runtime.providers['AWS::Lambda::Function'];
    await provider?.create(ctx, 'GetProductLambdaFunction', functionProps());
    await provider?.delete(ctx, 'products-dev-getProduct', functionProps());
    await expect(runtime.invoke('products-dev-getProduct', {})).rejects.toMatchObject({
      code: 'ResourceNotFoundException',
    });
  });
});

describe('AWS::Lambda::Version', () => {
  it('publishes an invocable version and refers to it by its ARN', async () => {
    await runtime.providers['AWS::Lambda::Function']?.create(
      ctx,
      'GetProductLambdaFunction',
      functionProps(),
    );
    const version = await runtime.providers['AWS::Lambda::Version']?.create(
      ctx,
      'GetProductLambdaVersionAbc',
      {
        FunctionName: 'products-dev-getProduct',
        CodeSha256: 'abc',
      },
    );
    expect(version).toMatchObject({
      physicalId: 'arn:aws:lambda:us-east-1:000000000000:function:products-dev-getProduct:1',
      attributes: { Version: '1' },
    });
    expect(await runtime.invoke(version?.physicalId ?? '', { value: 1 })).toMatchObject({ ok: true });
    await runtime.providers['AWS::Lambda::Version']?.delete(ctx, version?.physicalId ?? '', {});
    await expect(runtime.invoke(version?.physicalId ?? '', {})).rejects.toMatchObject({
      code: 'ResourceNotFoundException',
    });
  });
});

describe('AWS::Lambda::Permission and AWS::Logs::LogGroup', () => {
  it('records a permission until it is deleted', async () => {
    await runtime.providers['AWS::Lambda::Function']?.create(
      ctx,
      'GetProductLambdaFunction',
      functionProps(),
    );
    const provider = runtime.providers['AWS::Lambda::Permission'];
    const created = await provider?.create(ctx, 'GetProductLambdaPermissionApiGateway', {
      FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:products-dev-getProduct',
      Action: 'lambda:InvokeFunction',
      Principal: 'apigateway.amazonaws.com',
      SourceArn: 'arn:aws:execute-api:us-east-1:000000000000:abc123/*/*',
    });
    expect(runtime.permissions('products-dev-getProduct')).toEqual([
      {
        id: created?.physicalId,
        functionName: 'products-dev-getProduct',
        action: 'lambda:InvokeFunction',
        principal: 'apigateway.amazonaws.com',
        sourceArn: 'arn:aws:execute-api:us-east-1:000000000000:abc123/*/*',
      },
    ]);
    await provider?.delete(ctx, created?.physicalId ?? '', {});
    expect(runtime.permissions('products-dev-getProduct')).toEqual([]);
  });

  it('gives a log group its name as Ref and an ARN', async () => {
    const created = await runtime.providers['AWS::Logs::LogGroup']?.create(ctx, 'GetProductLogGroup', {
      LogGroupName: '/aws/lambda/products-dev-getProduct',
    });
    expect(created).toEqual({
      physicalId: '/aws/lambda/products-dev-getProduct',
      attributes: {
        Arn: 'arn:aws:logs:us-east-1:000000000000:log-group:/aws/lambda/products-dev-getProduct:*',
      },
    });
  });
});
