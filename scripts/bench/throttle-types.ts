/** What the throttling bench hands to its client process, and what the client answers. */

export interface ThrottleArgs {
  /** `GET` this method (ApiKeyRequired) on the local gateway. */
  url: string;
  /** Sent as `x-api-key`. */
  apiKey: string;
  /** Pause before the burst, so the key's bucket is full. */
  idleMs: number;
  /** Requests fired at once. */
  burstRequests: number;
  /** Paced flood right after the burst: requests per second, for this long. */
  floodRps: number;
  floodSeconds: number;
}

export interface PhaseTally {
  sent: number;
  /** 200s */
  admitted: number;
  /** 429s */
  throttled: number;
  /** Every distinct body of a 429. */
  throttledBodies: string[];
  /** Count per status other than 200 and 429. */
  otherStatuses: Record<string, number>;
}

export interface ThrottleClientResult {
  /** `windowMs`: from the first request sent to the last answer received. */
  burst: PhaseTally & { windowMs: number };
  /** `perSecond`: by the second (since the flood started) the request was sent in. */
  flood: PhaseTally & { lastSentMs: number; perSecond: { sent: number; admitted: number }[] };
}
