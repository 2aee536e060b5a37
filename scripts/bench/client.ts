/**
 * The bench's load generator, in its own process so it does not share a CPU queue with the local
 * cloud: `tsx scripts/bench/client.ts '<ClientArgs as JSON>'`. Prints one line `RESULT <ClientResult as JSON>`.
 */
import { getItemCall, handlerCall, routeCall } from './callers.js';
import { interleavedLatency, latency, repeat } from './overhead.js';
import { round } from './stats.js';
import { sequentialThroughput } from './throughput.js';
import type { ClientArgs, ClientResult } from './types.js';

async function main(args: ClientArgs): Promise<ClientResult> {
  const route = routeCall(args);
  const direct = handlerCall(args);
  const getItem = getItemCall(args);
  try {
    const [gatewaySamples, directSamples] = await interleavedLatency(route.call, direct.call, {
      warmup: args.warmup,
      blockSize: args.blockSize,
      blocks: args.overheadBlocks,
    });
    const gateway = latency(gatewaySamples);
    const handler = latency(directSamples);
    await repeat(getItem.call, args.warmup);
    const [routeRps, handlerRps, getItemRps] = await sequentialThroughput(
      [route.call, direct.call, getItem.call],
      args.blockSize,
      args.throughputBlocks,
    );
    return {
      overhead: { gateway, direct: handler, medianDifferenceMs: round(gateway.median - handler.median, 3) },
      throughput: {
        route: routeRps as number,
        handler: handlerRps as number,
        getItem: getItemRps as number,
        callsEach: args.blockSize * args.throughputBlocks,
      },
    };
  } finally {
    route.close();
    direct.close();
    getItem.close();
  }
}

main(JSON.parse(process.argv[2] ?? '{}') as ClientArgs).then(
  (result) => {
    process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
    process.exit(0);
  },
  (error: unknown) => {
    process.stderr.write(`bench client failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
