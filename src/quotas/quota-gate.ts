// The request-quota check: per account, per quota class, a token bucket in this process's memory. With N
// processes (--workers N, or several nodes) each holds its own buckets: the cluster primary hands each worker
// 1/N of every rate; separate nodes must be configured with their share (README, "Request quotas").
import { BucketSet, type BucketRule } from './token-bucket.js'
import { defaultRateOf } from './request-quotas.js'

export interface QuotaSettings {
  /** TRENT_QUOTAS=off turns request quotas off (a deployment that rate-limits in front of Trent). */
  enabled: boolean
  /** Rates per second that replace AWS's defaults, by quota class. */
  rates: Readonly<Record<string, number>>
  /** A full bucket holds this many seconds of its rate (at least one token). */
  burstSeconds: number
  /** This process's share of each rate (1 alone; 1/N for each of N cluster workers). */
  share: number
}

export const QUOTAS_OFF: QuotaSettings = { enabled: false, rates: {}, burstSeconds: 1, share: 1 }

export class QuotaGate {
  private readonly buckets: BucketSet
  private readonly rules = new Map<string, BucketRule>()
  private readonly settings: QuotaSettings

  constructor(settings: QuotaSettings, nowMs: () => number = () => performance.now()) {
    this.settings = settings
    this.buckets = new BucketSet(nowMs)
  }

  get enabled(): boolean {
    return this.settings.enabled
  }

  /** The rule in force for a class: its configured or default rate, times this process's share. */
  ruleOf(quotaClass: string): BucketRule {
    let rule = this.rules.get(quotaClass)
    if (!rule) {
      const configured = Object.hasOwn(this.settings.rates, quotaClass) ? this.settings.rates[quotaClass]! : defaultRateOf(quotaClass)
      const ratePerSecond = configured * this.settings.share
      rule = { ratePerSecond, capacity: Math.max(1, ratePerSecond * this.settings.burstSeconds) }
      this.rules.set(quotaClass, rule)
    }
    return rule
  }

  /**
   * Charges one request to `accountId` in every class of `classes`. Returns the first class with no token left
   * (and charges none), or undefined when the request is within quota (and charged to all of them).
   */
  charge(accountId: string, classes: readonly string[]): string | undefined {
    if (!this.settings.enabled) return undefined
    for (const c of classes) if (!this.buckets.hasToken(`${accountId}\u0000${c}`, this.ruleOf(c))) return c
    for (const c of classes) this.buckets.take(`${accountId}\u0000${c}`, this.ruleOf(c))
    return undefined
  }
}
