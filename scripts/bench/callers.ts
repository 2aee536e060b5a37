/**
 * The three calls the client compares, each a `() => Promise<void>` that throws on a wrong answer:
 * the route through the local gateway, the same bundled handler called in this process, and a raw
 * DynamoDB GetItem of the same item.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { ROOT_CREDENTIALS } from '@tenantry/local-cloud';
import { apiGatewayEvent, lambdaContext } from '@tenantry/testing';
import { unzipSync } from 'fflate';
import type { ClientArgs } from './types.js';

export type Call = () => Promise<void>;

/** `GET` over one kept-alive connection, as a browser or SDK would reuse it. */
export function routeCall(args: ClientArgs): { call: Call; close(): void } {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const url = new URL(args.routeUrl);
  const headers = { authorization: `Bearer ${args.idToken}` };
  const call = () =>
    new Promise<void>((resolve, reject) => {
      const req = request(url, { agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString();
          if (res.statusCode === 200 && body.includes(args.productId)) resolve();
          else reject(new Error(`GET ${url.pathname} answered ${res.statusCode}: ${body.slice(0, 200)}`));
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
  return { call, close: () => agent.destroy() };
}

interface LambdaResult {
  statusCode: number;
  body: string;
}

/** Unpacks the function's zip and loads its handler here, with the environment the local cloud gives it. */
export function handlerCall(args: ClientArgs): { call: Call; close(): void } {
  const codeDir = mkdtempSync(join(tmpdir(), 'tenantry-bench-'));
  for (const [name, content] of Object.entries(unzipSync(readFileSync(args.zipFile)))) {
    if (name.endsWith('/')) continue;
    mkdirSync(dirname(join(codeDir, name)), { recursive: true });
    writeFileSync(join(codeDir, name), content);
  }
  Object.assign(process.env, args.environment);
  const dot = args.handler.lastIndexOf('.');
  const module = createRequire(import.meta.url)(join(codeDir, `${args.handler.slice(0, dot)}.js`));
  const handler = module[args.handler.slice(dot + 1)] as (
    event: unknown,
    context: unknown,
  ) => Promise<LambdaResult>;
  const call = async () => {
    const event = apiGatewayEvent({
      method: 'GET',
      resource: '/products/{productId}',
      pathParameters: { productId: args.productId },
      headers: { authorization: `Bearer ${args.idToken}` },
      authorizer: args.authorizer,
    });
    const result = await handler(event, lambdaContext({ awsRequestId: randomUUID() }));
    if (result.statusCode !== 200 || !result.body.includes(args.productId))
      throw new Error(`the handler answered ${result.statusCode}: ${result.body.slice(0, 200)}`);
  };
  return { call, close: () => rmSync(codeDir, { recursive: true, force: true }) };
}

/** GetItem of the same item with the SDK's default (kept-alive) HTTP handler. */
export function getItemCall(args: ClientArgs): { call: Call; close(): void } {
  const { endpoint, region, tableName, key } = args.dynamodb;
  const client = new DynamoDBClient({
    endpoint,
    region,
    credentials: ROOT_CREDENTIALS,
  });
  const input = { TableName: tableName, Key: { pk: { S: key.pk }, sk: { S: key.sk } } };
  const call = async () => {
    const answer = await client.send(new GetItemCommand(input));
    if (!answer.Item) throw new Error(`GetItem found no item ${key.pk} ${key.sk} in ${tableName}`);
  };
  return { call, close: () => client.destroy() };
}
