/**
 * Contracts between the parts of the local cloud. The CloudFormation engine (`cfn/`) deploys
 * templates by calling one {@link ResourceProvider} per resource type; each emulator
 * (`lambda/`, `apigateway/`, `cognito/`, `dynamodb/`) owns the providers of its types.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The local cloud's clock: real time plus an offset that tests can move forward. */
export interface Clock {
  /** Milliseconds since the epoch, as `Date.now()` but with the test offset applied. */
  now(): number;
  /** Moves the clock forward (test-only control). */
  advance(ms: number): void;
  /** The current offset over real time, in milliseconds. */
  offset(): number;
}

/** A message AWS would e-mail (Cognito invitations), kept by the local cloud instead. */
export interface OutboxMessage {
  to: string;
  subject: string;
  body: string;
  temporaryPassword?: string;
  sentAt: string;
}

export interface Outbox {
  send(message: Omit<OutboxMessage, 'sentAt'>): void;
  /** Messages to one address, oldest first. */
  list(to: string): OutboxMessage[];
}

/** What a provider returns for a created resource: `Ref` gives `physicalId`, `Fn::GetAtt` reads `attributes`. */
export interface ResourceResult {
  physicalId: string;
  attributes?: Record<string, unknown>;
}

export interface ProviderContext {
  stackName: string;
  /** e.g. arn:aws:cloudformation:us-east-1:000000000000:stack/name/id */
  stackId: string;
  region: string;
  accountId: string;
  /** The directory holding the packaged service (its `.serverless/` output), for code lookups. */
  artifactDir?: string;
  cloud: LocalCloudServices;
  /**
   * The resource this one replaces (an update, or a stack restored after a restart). Providers of
   * resources AWS updates in place (REST APIs, their resources and authorizers) keep its ids, so
   * URLs and exported ids survive.
   */
  previous?: { physicalId: string; attributes: Record<string, unknown> };
}

/**
 * Creates and deletes one resource type. `properties` arrive with every intrinsic resolved.
 * A provider throws an Error with a clear message when it cannot honour a property it is given.
 */
export interface ResourceProvider {
  create(
    ctx: ProviderContext,
    logicalId: string,
    properties: Record<string, unknown>,
  ): Promise<ResourceResult>;
  delete(ctx: ProviderContext, physicalId: string, properties: Record<string, unknown>): Promise<void>;
  /**
   * Updates a resource in place, as CloudFormation does for properties that need no replacement
   * (a table's indexes, say). Returns undefined when the change needs a replacement instead.
   */
  update?(
    ctx: ProviderContext,
    physicalId: string,
    before: Record<string, unknown>,
    after: Record<string, unknown>,
  ): Promise<ResourceResult | undefined>;
}

export type ProviderMap = Record<string, ResourceProvider>;

/** An HTTP request handler mounted on one of the local cloud's servers. */
export type HttpHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** Result of invoking a function: the handler's value, or the error as Lambda reports it. */
export type InvokeResult =
  | { ok: true; payload: unknown }
  | { ok: false; error: { errorType: string; errorMessage: string } };

/** What the API Gateway emulator needs from the Lambda runtime. */
export interface LambdaInvoker {
  /** Invokes by function name, function ARN (optionally qualified) or API Gateway integration URI. */
  invoke(functionNameOrArn: string, payload: unknown): Promise<InvokeResult>;
}

/** The shared services every provider can reach. */
export interface LocalCloudServices {
  region: string;
  accountId: string;
  clock: Clock;
  outbox: Outbox;
  endpoints: LocalEndpoints;
  lambda: LambdaInvoker;
  /** The local S3, where stacks created at run time find their function code. */
  objects?: import('./s3/store.js').ObjectStore;
}

/** Where the local cloud listens; all on 127.0.0.1. */
export interface LocalEndpoints {
  /** API Gateway execute endpoint and `/_local/*` controls, e.g. http://127.0.0.1:4000 */
  gateway: string;
  /** Cognito user pools (API and JWKS), e.g. http://127.0.0.1:9229 */
  cognito: string;
  /** DynamoDB, e.g. http://127.0.0.1:8000 */
  dynamodb: string;
  /** Other AWS APIs (Lambda Invoke, ...), e.g. http://127.0.0.1:4566 */
  aws: string;
}
