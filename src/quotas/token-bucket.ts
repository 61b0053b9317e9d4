// Token buckets, the mechanism behind every rate limit here: a bucket holds up to `capacity` tokens, refills
// at `ratePerSecond`, and a request is admitted only if it can take a whole token.

export interface BucketRule {
  /** Sustained requests per second (may be fractional: AWS's RSA_4096 GenerateDataKeyPair quota is 0.1/s). */
  ratePerSecond: number
  /** Tokens a full bucket holds: the burst admitted after a quiet spell. At least 1. */
  capacity: number
}

interface Bucket {
  tokens: number
  /** When `tokens` was last brought up to date, in the caller's millisecond clock. */
  at: number
}

/**
 * Many buckets by name (an account and a quota class, or a source address), created full on first use. At most
 * `maxBuckets` are kept; past that the least recently used is dropped, which can only hand a returning caller a
 * full bucket (more lenient, never less), so memory stays bounded whoever sends the names.
 */
export class BucketSet {
  private readonly buckets = new Map<string, Bucket>()
  private readonly now: () => number
  private readonly maxBuckets: number

  constructor(now: () => number, maxBuckets = 100_000) {
    this.now = now
    this.maxBuckets = maxBuckets
  }

  /** Whether `name` under `rule` has a whole token now (nothing is taken). */
  hasToken(name: string, rule: BucketRule): boolean {
    return this.refilled(name, rule).tokens >= 1
  }

  /** Takes one token from `name`; the caller has checked hasToken (a bucket may briefly go below one). */
  take(name: string, rule: BucketRule): void {
    this.refilled(name, rule).tokens -= 1
  }

  /** Takes a token if there is one; returns whether it did. */
  tryTake(name: string, rule: BucketRule): boolean {
    const bucket = this.refilled(name, rule)
    if (bucket.tokens < 1) return false
    bucket.tokens -= 1
    return true
  }

  get size(): number {
    return this.buckets.size
  }

  private refilled(name: string, rule: BucketRule): Bucket {
    const now = this.now()
    let bucket = this.buckets.get(name)
    if (bucket) {
      // Re-inserted so the Map's order is least recently used first.
      this.buckets.delete(name)
      const elapsedSeconds = Math.max(0, now - bucket.at) / 1000
      bucket.tokens = Math.min(rule.capacity, bucket.tokens + elapsedSeconds * rule.ratePerSecond)
      bucket.at = now
    } else {
      bucket = { tokens: rule.capacity, at: now }
      if (this.buckets.size >= this.maxBuckets) this.buckets.delete(this.buckets.keys().next().value as string)
    }
    this.buckets.set(name, bucket)
    return bucket
  }
}
