/** What the noisy-neighbour bench hands to each load process, and what a process answers. */

export interface NoisyClientArgs {
  /** `GET` this URL (the pooled app API) with `Authorization: Bearer <idToken>`. */
  url: string;
  idToken: string;
  /** Paced: one request every 1000/rps ms on a fixed schedule, whatever the answers take. */
  rps: number;
  seconds: number;
  /** Paced calls before the measured ones, not counted (warms sockets, caches and functions). */
  warmupSeconds: number;
  /** Pause before anything is sent. */
  delaySeconds: number;
}

export interface NoisyClientResult {
  sent: number;
  /** 200s */
  admitted: number;
  /** 429s */
  throttled: number;
  throttledBodies: string[];
  otherStatuses: Record<string, number>;
  /** Latency of the 200s, ms. */
  p50Ms: number;
  p99Ms: number;
  /** ms from the first request sent to the last one sent: the admitted rate is over this window. */
  sendWindowMs: number;
}
