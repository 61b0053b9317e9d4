// Keeps a flood of unauthenticated or malformed requests from one source from costing a durable audit write
// each: every source address has a token bucket of individually audited failures; past it, requests are
// refused with ThrottlingException, counted in /metrics, and summarised in one audit record per source per
// interval (counts by event name and by the error they would have had), so the evidence is kept.
import { randomUUID } from 'node:crypto'
import type { AuditLog } from '../audit/audit-log.js'
import { newEventId } from '../audit/event-id.js'
import type { AuditRecord } from '../audit/record.js'
import type { Clock } from '../config/clock.js'
import type { Logger } from '../logging/logger.js'
import { BucketSet, type BucketRule } from '../quotas/token-bucket.js'

export interface SourceGuardSettings {
  /** Unauthenticated failures per second per source that are still audited one by one; 0 turns the guard off. */
  ratePerSecond: number
  /** How many such failures a quiet source may send at once before the rate applies. */
  burst: number
  /** How often the summaries of refused requests are written. */
  summaryIntervalMs: number
}

export const SOURCE_GUARD_OFF: SourceGuardSettings = { ratePerSecond: 0, burst: 0, summaryIntervalMs: 60_000 }

/** The most sources one interval tracks apart; the rest share one summary (sourceIPAddress "other"). */
const MAX_TRACKED_SOURCES = 10_000

interface Tally {
  count: number
  firstAt: Date
  lastAt: Date
  eventNames: Map<string, number>
  errorCodes: Map<string, number>
}

export interface SourceGuardDeps {
  auditLog: AuditLog
  clock: Clock
  region: string
  logger: Logger
  nowMs?: () => number
}

export const THROTTLE_SUMMARY_EVENT = 'TrentThrottledRequestsSummary'

/**
 * The source a budget belongs to: an IPv4 address (IPv4-mapped IPv6 included) as is, an IPv6 address by its /64
 * (`2001:db8:1:2::/64`), since one host commonly holds a whole /64 and could otherwise take a fresh budget per address.
 */
export function sourceOf(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
  if (mapped) return mapped[1]!
  if (!address.includes(':')) return address
  const bare = address.split('%')[0]!
  const halves = bare.split('::')
  if (halves.length > 2 || bare.includes('.')) return address
  const head = halves[0] ? halves[0].split(':') : []
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : []
  const groups = [...head, ...Array<string>(Math.max(0, 8 - head.length - tail.length)).fill('0'), ...tail]
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return address
  return `${groups.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(':')}::/64`
}

export class SourceGuard {
  private readonly settings: SourceGuardSettings
  private readonly deps: SourceGuardDeps
  private readonly buckets: BucketSet
  private readonly rule: BucketRule
  private tallies = new Map<string, Tally>()
  private timer: ReturnType<typeof setInterval> | undefined

  constructor(settings: SourceGuardSettings, deps: SourceGuardDeps) {
    this.settings = settings
    this.deps = deps
    this.buckets = new BucketSet(deps.nowMs ?? (() => performance.now()))
    this.rule = { ratePerSecond: settings.ratePerSecond, capacity: Math.max(1, settings.burst) }
  }

  get enabled(): boolean {
    return this.settings.ratePerSecond > 0
  }

  /** Starts the interval summaries (unref'd: they never keep the process alive). */
  start(): this {
    if (this.enabled && !this.timer) {
      this.timer = setInterval(() => void this.flush(), this.settings.summaryIntervalMs)
      this.timer.unref()
    }
    return this
  }

  /** Whether an unauthenticated failure from `sourceIp` may have its own audit record (takes one of its tokens). */
  admit(sourceIp: string): boolean {
    return !this.enabled || this.buckets.tryTake(sourceOf(sourceIp), this.rule)
  }

  /** Counts one refused request for the source's next summary. */
  noteRefused(sourceIp: string, eventName: string, errorCode: string): void {
    const source = sourceOf(sourceIp)
    const key = this.tallies.has(source) || this.tallies.size < MAX_TRACKED_SOURCES ? source : 'other'
    const now = this.deps.clock.now()
    let tally = this.tallies.get(key)
    if (!tally) {
      tally = { count: 0, firstAt: now, lastAt: now, eventNames: new Map(), errorCodes: new Map() }
      this.tallies.set(key, tally)
    }
    tally.count++
    tally.lastAt = now
    tally.eventNames.set(eventName, (tally.eventNames.get(eventName) ?? 0) + 1)
    tally.errorCodes.set(errorCode, (tally.errorCodes.get(errorCode) ?? 0) + 1)
  }

  /** Writes one summary record per source seen since the last flush. A failed write keeps the counts for the next. */
  async flush(): Promise<void> {
    if (this.tallies.size === 0) return
    const tallies = this.tallies
    this.tallies = new Map()
    const now = this.deps.clock.now()
    const entries = [...tallies]
    const results = await Promise.allSettled(entries.map(([source, tally]) => this.deps.auditLog.write(this.summaryOf(source, tally, now))))
    const failed = entries.filter((_, i) => results[i]!.status === 'rejected')
    if (failed.length === 0) return
    this.deps.logger.error({ sources: failed.length }, 'could not write throttled-request summaries; their counts are kept for the next interval')
    for (const [source, tally] of failed) this.merge(source, tally)
  }

  /** Stops the interval and writes what is pending (at shutdown, before the audit log closes). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
    await this.flush()
  }

  private merge(source: string, tally: Tally): void {
    const into = this.tallies.get(source)
    if (!into) return void this.tallies.set(source, tally)
    into.count += tally.count
    into.firstAt = tally.firstAt < into.firstAt ? tally.firstAt : into.firstAt
    for (const [name, n] of tally.eventNames) into.eventNames.set(name, (into.eventNames.get(name) ?? 0) + n)
    for (const [code, n] of tally.errorCodes) into.errorCodes.set(code, (into.errorCodes.get(code) ?? 0) + n)
  }

  private summaryOf(source: string, tally: Tally, now: Date): AuditRecord {
    return {
      eventVersion: '1.08', eventID: newEventId(now), eventTime: now.toISOString(), eventSource: 'kms.amazonaws.com',
      eventName: THROTTLE_SUMMARY_EVENT, eventType: 'AwsServiceEvent', awsRegion: this.deps.region, sourceIPAddress: source,
      requestID: randomUUID(), requestParameters: null, responseElements: null, readOnly: true, managementEvent: true, resources: [],
      recipientAccountId: '',
      serviceEventDetails: {
        throttledRequests: tally.count, firstRequestTime: tally.firstAt.toISOString(), lastRequestTime: tally.lastAt.toISOString(),
        eventNames: Object.fromEntries(tally.eventNames), errorCodes: Object.fromEntries(tally.errorCodes),
      },
    }
  }
}
