/**
 * The throttling bench's load generator, in its own process so that sending does not wait on the
 * gateway's event loop: `tsx scripts/bench/throttle-client.ts '<ThrottleArgs as JSON>'`. After an
 * idle pause it fires a burst of concurrent requests, then a paced flood, and prints one line
 * `RESULT <ThrottleClientResult as JSON>`. Both loads are bounded and stop by themselves.
 */
import { Agent, request } from 'node:http';
import type { ThrottleArgs, ThrottleClientResult } from './throttle-types.js';

interface Reply {
  status: number;
  body: string;
  /** ms since the phase started: when the request was sent. */
  sentAt: number;
}

function get(url: URL, apiKey: string, agent: Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers: { 'x-api-key': apiKey } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function tally(replies: Reply[]) {
  const throttledBodies = [...new Set(replies.filter((r) => r.status === 429).map((r) => r.body))];
  const other: Record<string, number> = {};
  for (const reply of replies)
    if (reply.status !== 200 && reply.status !== 429) other[reply.status] = (other[reply.status] ?? 0) + 1;
  return {
    sent: replies.length,
    admitted: replies.filter((r) => r.status === 200).length,
    throttled: replies.filter((r) => r.status === 429).length,
    throttledBodies,
    otherStatuses: other,
  };
}

async function burst(args: ThrottleArgs, url: URL): Promise<ThrottleClientResult['burst']> {
  const agent = new Agent({ keepAlive: true, maxSockets: args.burstRequests });
  try {
    const started = performance.now();
    const replies = await Promise.all(
      Array.from({ length: args.burstRequests }, async (): Promise<Reply> => {
        const reply = await get(url, args.apiKey, agent);
        return { ...reply, sentAt: 0 };
      }),
    );
    return { ...tally(replies), windowMs: performance.now() - started };
  } finally {
    agent.destroy();
  }
}

/** One request every 1000/rate ms on a fixed schedule (no drift), whatever the answers take. */
async function flood(args: ThrottleArgs, url: URL): Promise<ThrottleClientResult['flood']> {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const interval = 1000 / args.floodRps;
  const total = Math.round(args.floodRps * args.floodSeconds);
  const pending: Promise<Reply>[] = [];
  try {
    const started = performance.now();
    for (let i = 0; i < total; i += 1) {
      const due = started + i * interval;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      const sentAt = performance.now() - started;
      pending.push(get(url, args.apiKey, agent).then((reply) => ({ ...reply, sentAt })));
    }
    const lastSentMs = performance.now() - started;
    const replies = await Promise.all(pending);
    const perSecond = Array.from({ length: Math.ceil(args.floodSeconds) }, () => ({ sent: 0, admitted: 0 }));
    for (const reply of replies) {
      const second = perSecond[Math.min(perSecond.length - 1, Math.floor(reply.sentAt / 1000))];
      if (!second) continue;
      second.sent += 1;
      if (reply.status === 200) second.admitted += 1;
    }
    return { ...tally(replies), lastSentMs, perSecond };
  } finally {
    agent.destroy();
  }
}

async function main(args: ThrottleArgs): Promise<ThrottleClientResult> {
  const url = new URL(args.url);
  const key = await get(url, 'not-a-key', new Agent());
  if (key.status !== 403) throw new Error(`a wrong API key got ${key.status} instead of 403: ${key.body}`);
  await sleep(args.idleMs);
  const burstResult = await burst(args, url);
  const floodResult = await flood(args, url);
  return { burst: burstResult, flood: floodResult };
}

main(JSON.parse(process.argv[2] ?? '{}') as ThrottleArgs).then(
  (result) => {
    process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
    process.exit(0);
  },
  (error: unknown) => {
    process.stderr.write(`throttle client failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
