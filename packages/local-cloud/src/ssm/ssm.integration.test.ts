import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeleteParameterCommand,
  DescribeParametersCommand,
  GetParameterCommand,
  GetParametersByPathCommand,
  GetParametersCommand,
  PutParameterCommand,
  SSMClient,
  SSMServiceException,
} from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsRouter } from '../aws-router.js';
import { createClock } from '../clock.js';
import { ROOT_CREDENTIALS } from '../iam/credentials.js';
import { serve } from '../iam/testing.js';
import { createSsm, type Ssm } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'local-ssm-'));
const dataFile = join(dir, 'ssm.json');
let ssm: Ssm;
let server: Awaited<ReturnType<typeof serve>>;
let client: SSMClient;

const start = async () => {
  ssm = createSsm({ clock: createClock(), region: 'us-east-1', accountId: '000000000000', dataFile });
  server = await serve(createAwsRouter({ ssm: ssm.handle }));
  client = new SSMClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: ROOT_CREDENTIALS,
    maxAttempts: 1,
  });
};
const failure = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SSMServiceException);
  return (error as SSMServiceException).name;
};

beforeAll(start);
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SSM Parameter Store through the SDK', () => {
  it('stores a parameter and reads it back with its version and ARN', async () => {
    const put = await client.send(
      new PutParameterCommand({ Name: '/app/dev/table', Value: 'Items', Type: 'String' }),
    );
    expect(put).toMatchObject({ Version: 1, Tier: 'Standard' });
    const { Parameter } = await client.send(new GetParameterCommand({ Name: '/app/dev/table' }));
    expect(Parameter).toMatchObject({
      Name: '/app/dev/table',
      Type: 'String',
      Value: 'Items',
      Version: 1,
      ARN: 'arn:aws:ssm:us-east-1:000000000000:parameter/app/dev/table',
      DataType: 'text',
    });
    expect(Parameter?.LastModifiedDate).toBeInstanceOf(Date);
  });

  it('refuses to overwrite without Overwrite and increments the version with it', async () => {
    const input = { Name: '/app/dev/flag', Value: 'on', Type: 'String' as const };
    await client.send(new PutParameterCommand(input));
    expect(await failure(client.send(new PutParameterCommand({ ...input, Value: 'off' })))).toBe(
      'ParameterAlreadyExists',
    );
    expect(
      (await client.send(new PutParameterCommand({ ...input, Value: 'off', Overwrite: true }))).Version,
    ).toBe(2);
    expect((await client.send(new GetParameterCommand({ Name: '/app/dev/flag' }))).Parameter?.Value).toBe(
      'off',
    );
    expect((await client.send(new GetParameterCommand({ Name: '/app/dev/flag:1' }))).Parameter?.Value).toBe(
      'on',
    );
  });

  it('hides a SecureString value unless decryption is asked for', async () => {
    await client.send(
      new PutParameterCommand({ Name: '/app/dev/secret', Value: 's3cr3t', Type: 'SecureString' }),
    );
    const hidden = await client.send(new GetParameterCommand({ Name: '/app/dev/secret' }));
    expect(hidden.Parameter?.Value).not.toContain('s3cr3t');
    const shown = await client.send(
      new GetParameterCommand({ Name: '/app/dev/secret', WithDecryption: true }),
    );
    expect(shown.Parameter?.Value).toBe('s3cr3t');
  });

  it('lists unknown names of GetParameters as InvalidParameters', async () => {
    const result = await client.send(
      new GetParametersCommand({ Names: ['/app/dev/table', '/app/dev/missing'] }),
    );
    expect(result.Parameters?.map((p) => p.Name)).toEqual(['/app/dev/table']);
    expect(result.InvalidParameters).toEqual(['/app/dev/missing']);
  });

  it('reads a path one level or recursively, in pages', async () => {
    for (const name of ['/tree/a', '/tree/b', '/tree/c', '/tree/sub/d'])
      await client.send(new PutParameterCommand({ Name: name, Value: 'v', Type: 'String' }));
    const shallow = await client.send(new GetParametersByPathCommand({ Path: '/tree' }));
    expect(shallow.Parameters?.map((p) => p.Name)).toEqual(['/tree/a', '/tree/b', '/tree/c']);
    const names: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await client.send(
        new GetParametersByPathCommand({ Path: '/tree/', Recursive: true, MaxResults: 3, NextToken }),
      );
      expect(page.Parameters?.length).toBeLessThanOrEqual(3);
      names.push(...(page.Parameters ?? []).map((p) => p.Name as string));
      NextToken = page.NextToken;
    } while (NextToken);
    expect(names).toEqual(['/tree/a', '/tree/b', '/tree/c', '/tree/sub/d']);
  });

  it('describes parameters filtered by path', async () => {
    const { Parameters } = await client.send(
      new DescribeParametersCommand({
        ParameterFilters: [{ Key: 'Path', Option: 'OneLevel', Values: ['/tree'] }],
      }),
    );
    expect(Parameters?.map((p) => [p.Name, p.Type, p.Version])).toEqual([
      ['/tree/a', 'String', 1],
      ['/tree/b', 'String', 1],
      ['/tree/c', 'String', 1],
    ]);
  });

  it('rejects reserved and malformed names', async () => {
    expect(
      await failure(client.send(new PutParameterCommand({ Name: '/aws/x', Value: 'v', Type: 'String' }))),
    ).toBe('ValidationException');
    expect(
      await failure(client.send(new PutParameterCommand({ Name: 'a/b', Value: 'v', Type: 'String' }))),
    ).toBe('ValidationException');
    expect(await failure(client.send(new PutParameterCommand({ Name: '/new', Value: 'v' })))).toBe(
      'ValidationException',
    );
  });

  it('deletes a parameter and then reports it not found', async () => {
    await client.send(new DeleteParameterCommand({ Name: '/app/dev/flag' }));
    expect(await failure(client.send(new GetParameterCommand({ Name: '/app/dev/flag' })))).toBe(
      'ParameterNotFound',
    );
    expect(await failure(client.send(new DeleteParameterCommand({ Name: '/app/dev/flag' })))).toBe(
      'ParameterNotFound',
    );
  });

  it('keeps parameters across a restart with a data file', async () => {
    await ssm.flush();
    await server.close();
    await start();
    const { Parameter } = await client.send(new GetParameterCommand({ Name: '/app/dev/table' }));
    expect(Parameter?.Value).toBe('Items');
    expect(await failure(client.send(new GetParameterCommand({ Name: '/app/dev/flag' })))).toBe(
      'ParameterNotFound',
    );
  });
});
