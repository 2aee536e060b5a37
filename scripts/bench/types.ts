/** What the bench's main process hands to the client process, and what the client answers. */

/** Everything the client needs to call the route, the bundled handler and DynamoDB itself. */
export interface ClientArgs {
  /** `GET` this URL through the local gateway (`{pooledAppUrl}/products/{id}`). */
  routeUrl: string;
  idToken: string;
  /** The packaged function's zip and its handler (`src/functions/getProduct/handler.handler`). */
  zipFile: string;
  handler: string;
  /** The variables the local cloud gives the function (endpoints, credentials, its own environment). */
  environment: Record<string, string>;
  /** The authorizer context the platform authorizer produces for this user. */
  authorizer: { tenantId: string; userId: string; role: string; tier: string };
  productId: string;
  dynamodb: { endpoint: string; region: string; tableName: string; key: { pk: string; sk: string } };
  /** Calls of each kind before measuring. */
  warmup: number;
  /** Calls per block; blocks of each kind alternate so drift hits both alike. */
  blockSize: number;
  /** Blocks of each kind for the latency comparison. */
  overheadBlocks: number;
  /** Blocks of each kind for the throughput comparison. */
  throughputBlocks: number;
}

/** Latency percentiles of one kind of call, in milliseconds. */
export interface Latency {
  calls: number;
  median: number;
  p90: number;
  p99: number;
  mean: number;
}

export interface ClientResult {
  overhead: { gateway: Latency; direct: Latency; medianDifferenceMs: number };
  /** Sequential requests per second. */
  throughput: { route: number; handler: number; getItem: number; callsEach: number };
}
