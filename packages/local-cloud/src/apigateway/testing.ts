/**
 * Test support for the API Gateway emulator: a fake Lambda invoker, a tiny template deployer (Ref, Fn::GetAtt,
 * Fn::Join, DependsOn) so tests can use resources exactly as `osls package` writes them, and an HTTP server.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClock } from '../clock.js';
import type {
  HttpHandler,
  InvokeResult,
  LambdaInvoker,
  ProviderContext,
  ProviderMap,
  ResourceResult,
} from '../types.js';

export const REGION = 'us-east-1';
export const ACCOUNT_ID = '000000000000';

export function functionArn(name: string): string {
  return `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:${name}`;
}

/** The integration URI osls writes for a function (`Fn::Join` over `Fn::GetAtt [<Fn>LambdaFunction, Arn]`). */
export function lambdaUri(functionLogicalId: string): unknown {
  return {
    'Fn::Join': [
      '',
      [
        'arn:',
        { Ref: 'AWS::Partition' },
        ':apigateway:',
        { Ref: 'AWS::Region' },
        ':lambda:path/2015-03-31/functions/',
        { 'Fn::GetAtt': [functionLogicalId, 'Arn'] },
        '/invocations',
      ],
    ],
  };
}

export type FakeHandler = (event: Record<string, unknown>) => unknown | Promise<unknown>;

export interface FakeLambda {
  invoker: LambdaInvoker;
  /** Every invocation, in order. */
  calls: Array<{ functionArn: string; event: Record<string, unknown> }>;
  callsTo(name: string): Array<Record<string, unknown>>;
  define(name: string, handler: FakeHandler): void;
}

/** A Lambda runtime stand-in: a thrown Error becomes a function error with its message, as Lambda reports it. */
export function createFakeLambda(): FakeLambda {
  const handlers = new Map<string, FakeHandler>();
  const calls: FakeLambda['calls'] = [];
  return {
    calls,
    callsTo: (name) => calls.filter((c) => c.functionArn === functionArn(name)).map((c) => c.event),
    define(name, handler) {
      handlers.set(functionArn(name), handler);
    },
    invoker: {
      async invoke(arn, payload): Promise<InvokeResult> {
        const event = JSON.parse(JSON.stringify(payload)) as Record<string, unknown>;
        calls.push({ functionArn: arn, event });
        const handler = handlers.get(arn);
        if (!handler) throw new Error(`Function not found: ${arn}`);
        try {
          return { ok: true, payload: JSON.parse(JSON.stringify((await handler(event)) ?? null)) };
        } catch (error) {
          const err = error as Error;
          return { ok: false, error: { errorType: err.name, errorMessage: err.message } };
        }
      },
    },
  };
}

export interface TemplateResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string | string[];
}

export interface DeployedStack {
  results: Record<string, ResourceResult>;
  ref(logicalId: string): string;
  destroy(): Promise<void>;
}

/**
 * Deploys `Resources` with the given providers in dependency order. `externals` resolves Refs/GetAtts to
 * resources owned by other emulators (e.g. `ListLambdaFunction` → `{ Arn }`) or other stacks.
 */
export async function deployTemplate(
  providers: ProviderMap,
  resources: Record<string, TemplateResource>,
  externals: Record<string, { Ref?: string; [attribute: string]: unknown }> = {},
  stackName = 'products-dev',
): Promise<DeployedStack> {
  const clock = createClock();
  const ctx: ProviderContext = {
    stackName,
    stackId: `arn:aws:cloudformation:${REGION}:${ACCOUNT_ID}:stack/${stackName}/1`,
    region: REGION,
    accountId: ACCOUNT_ID,
    cloud: {
      region: REGION,
      accountId: ACCOUNT_ID,
      clock,
      outbox: { send() {}, list: () => [] },
      endpoints: { gateway: '', cognito: '', dynamodb: '', aws: '' },
      lambda: { invoke: async () => ({ ok: true, payload: null }) },
    },
  };
  const results: Record<string, ResourceResult> = {};
  const created: Array<[string, Record<string, unknown>]> = [];
  const pseudo: Record<string, string> = {
    'AWS::Region': REGION,
    'AWS::Partition': 'aws',
    'AWS::AccountId': ACCOUNT_ID,
  };

  const resolve = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(resolve);
    if (typeof value !== 'object' || value === null) return value;
    const obj = value as Record<string, unknown>;
    if (typeof obj.Ref === 'string') {
      const name = obj.Ref;
      const found = pseudo[name] ?? results[name]?.physicalId ?? externals[name]?.Ref;
      if (found === undefined) throw new Error(`unresolved Ref ${name}`);
      return found;
    }
    if (Array.isArray(obj['Fn::GetAtt'])) {
      const [name, attribute] = obj['Fn::GetAtt'] as [string, string];
      const found = results[name]?.attributes?.[attribute] ?? externals[name]?.[attribute];
      if (found === undefined) throw new Error(`unresolved GetAtt ${name}.${attribute}`);
      return found;
    }
    if (Array.isArray(obj['Fn::Join'])) {
      const [separator, parts] = obj['Fn::Join'] as [string, unknown[]];
      return (resolve(parts) as unknown[]).join(separator);
    }
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, resolve(v)]));
  };

  const dependencies = (id: string): string[] => {
    const resource = resources[id] as TemplateResource;
    const found = new Set<string>(
      resource.DependsOn === undefined ? [] : ([] as string[]).concat(resource.DependsOn),
    );
    const walk = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(walk);
      else if (typeof value === 'object' && value !== null) {
        const obj = value as Record<string, unknown>;
        if (typeof obj.Ref === 'string' && resources[obj.Ref]) found.add(obj.Ref);
        const getAtt = obj['Fn::GetAtt'];
        if (Array.isArray(getAtt) && typeof getAtt[0] === 'string' && resources[getAtt[0]])
          found.add(getAtt[0]);
        Object.values(obj).forEach(walk);
      }
    };
    walk(resource.Properties);
    return [...found];
  };

  const pending = new Set(Object.keys(resources));
  while (pending.size > 0) {
    const ready = [...pending].filter((id) => dependencies(id).every((dep) => results[dep]));
    if (ready.length === 0) throw new Error(`dependency cycle among ${[...pending].join(', ')}`);
    for (const id of ready) {
      const resource = resources[id] as TemplateResource;
      const provider = providers[resource.Type];
      if (!provider) throw new Error(`no provider for ${resource.Type}`);
      const properties = resolve(resource.Properties ?? {}) as Record<string, unknown>;
      results[id] = await provider.create(ctx, id, properties);
      created.push([id, properties]);
      pending.delete(id);
    }
  }

  return {
    results,
    ref(logicalId) {
      const result = results[logicalId];
      if (!result) throw new Error(`no resource ${logicalId}`);
      return result.physicalId;
    },
    async destroy() {
      for (const [id, properties] of created.reverse()) {
        const resource = resources[id] as TemplateResource;
        await providers[resource.Type]?.delete(ctx, (results[id] as ResourceResult).physicalId, properties);
      }
    },
  };
}

export interface TestServer {
  baseUrl: string;
  close(): Promise<void>;
}

export async function startServer(handle: HttpHandler): Promise<TestServer> {
  const server = createServer((req, res) => {
    void handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
