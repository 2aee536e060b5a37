/**
 * A load process of the noisy-neighbour bench: `tsx scripts/bench/noisy-client.ts '<NoisyClientArgs>'`.
 * Sends paced `GET`s for a bounded time, then prints `RESULT <NoisyClientResult as JSON>`.
 */
import { Agent, request } from 'node:http';
import type { NoisyClientArgs, NoisyClientResult } from './noisy-types.js';
import { percentile, round } from './stats.js';

interface Reply {
  status: number;
  body: string;
  ms: number;
}

function get(url: URL, idToken: string, agent: Agent): Promise<Reply> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers: { authorization: `Bearer ${idToken}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString(),
          ms: performance.now() - started,
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function paced(url: URL, args: NoisyClientArgs, agent: Agent, seconds: number) {
  const interval = 1000 / args.rps;
  const total = Math.round(args.rps * seconds);
  const pending: Promise<Reply>[] = [];
  const started = performance.now();
  for (let i = 0; i < total; i += 1) {
    const wait = started + i * interval - performance.now();
    if (wait > 1) await sleep(wait);
    pending.push(get(url, args.idToken, agent));
  }
  const sendWindowMs = performance.now() - started;
  return { replies: await Promise.all(pending), sendWindowMs };
}

async function main(args: NoisyClientArgs): Promise<NoisyClientResult> {
  const url = new URL(args.url);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  try {
    await sleep(args.delaySeconds * 1000);
    if (args.warmupSeconds > 0) await paced(url, args, agent, args.warmupSeconds);
    const { replies, sendWindowMs } = await paced(url, args, agent, args.seconds);
    const ok = replies.filter((r) => r.status === 200);
    const other: Record<string, number> = {};
    for (const r of replies)
      if (r.status !== 200 && r.status !== 429) other[r.status] = (other[r.status] ?? 0) + 1;
    return {
      sent: replies.length,
      admitted: ok.length,
      throttled: replies.filter((r) => r.status === 429).length,
      throttledBodies: [...new Set(replies.filter((r) => r.status === 429).map((r) => r.body))],
      otherStatuses: other,
      p50Ms: round(
        percentile(
          ok.map((r) => r.ms),
          50,
        ),
      ),
      p99Ms: round(
        percentile(
          ok.map((r) => r.ms),
          99,
        ),
      ),
      sendWindowMs: round(sendWindowMs),
    };
  } finally {
    agent.destroy();
  }
}

main(JSON.parse(process.argv[2] ?? '{}') as NoisyClientArgs).then(
  (result) => {
    process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
    process.exit(0);
  },
  (error: unknown) => {
    process.stderr.write(`noisy client failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
