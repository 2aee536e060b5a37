/**
 * A token bucket as API Gateway throttles with it: `burst` tokens at most, refilled continuously at
 * `rate` tokens per second; a request takes one token and is throttled when none is left.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly rate: number,
    readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.last = now;
  }

  /** Tokens available at `now` (refilled since the last look; time never runs backwards here). */
  available(now: number): number {
    if (now > this.last) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.rate) / 1000);
      this.last = now;
    }
    return this.tokens;
  }

  /** Takes one token when there is one; false means throttled. */
  take(now: number): boolean {
    if (this.available(now) < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Takes one token without checking (after {@link available} said there is one). */
  consume(): void {
    this.tokens -= 1;
  }

  /** True when the bucket has these settings (a plan change replaces the bucket). */
  matches(rate: number, burst: number): boolean {
    return this.rate === rate && this.burst === burst;
  }
}
