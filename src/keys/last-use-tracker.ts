// Last-use tracking for GetKeyLastUsage without a store write per request: the pipeline notes each successful
// cryptographic use here, in memory (one entry per key, the latest wins), and a timer flushes every key's
// latest use in one batched store write, as does a graceful shutdown. Precision: docs/key-last-usage.md.
import type { Clock } from '../config/clock.js'
import type { Logger } from '../logging/logger.js'
import type { KeyUsageStore } from '../store/key-usage-store.js'
import type { Store } from '../store/store.js'
import { wireModel } from '../wire/model.generated.js'
import type { KeyRecord } from './key.js'
import { laterUse, type KeyLastUse, type TrackedOperation } from './last-use.js'

/** How often each process writes its pending uses: the most a kill -9 can lose, and how far other processes lag. */
export const DEFAULT_LAST_USE_FLUSH_MS = 5_000

/** The setting that remembers when this data folder began tracking (the first start of a tracking build). */
export const TRACKING_START_SETTING = 'key_last_usage_tracking_start'

/** The operations that count as a use: the model's KeyLastUsageTrackingOperation enum, never retyped. */
const trackedShape = wireModel.shapes.KeyLastUsageTrackingOperation
const TRACKED: ReadonlySet<string> = new Set(trackedShape?.type === 'string' ? trackedShape.enum ?? [] : [])

export function isTrackedOperation(operation: string): operation is TrackedOperation {
  return TRACKED.has(operation)
}

export interface LastUseTrackerOptions {
  store: KeyUsageStore & Pick<Store, 'getOrInitSetting'>
  clock: Clock
  logger: Logger
  flushMs?: number
}

export class LastUseTracker {
  private readonly store: LastUseTrackerOptions['store']
  private readonly clock: Clock
  private readonly logger: Logger
  private readonly flushMs: number
  private pending = new Map<string, KeyLastUse>()
  private timer: NodeJS.Timeout | undefined
  private flushing: Promise<void> = Promise.resolve()
  private trackingStart: Promise<Date> | undefined

  constructor(options: LastUseTrackerOptions) {
    this.store = options.store
    this.clock = options.clock
    this.logger = options.logger
    this.flushMs = options.flushMs ?? DEFAULT_LAST_USE_FLUSH_MS
  }

  /** Starts the periodic flush (the timer never keeps the process alive) and fixes the tracking start date. */
  start(): this {
    this.trackingStartDate().catch((e: unknown) => this.logger.warn({ err: String(e) }, 'could not record the key-usage tracking start'))
    this.timer = setInterval(() => void this.flush(), this.flushMs)
    this.timer.unref()
    return this
  }

  /**
   * Notes a request's outcome: a successful tracked operation counts as a use of every key it was allowed to
   * use (ReEncrypt: both). Anything else is ignored. Never touches the store.
   */
  noteSuccess(operation: string, keys: readonly KeyRecord[], at: { usedAt: Date; eventId: string; requestId: string }): void {
    if (!isTrackedOperation(operation)) return
    for (const key of keys) {
      const use: KeyLastUse = { keyId: key.keyId, operation, ...at }
      this.pending.set(key.keyId, laterUse(this.pending.get(key.keyId), use)!)
    }
  }

  /** The key's latest use as this process knows it: the stored one, or a newer one not flushed yet. */
  async lastUse(keyId: string): Promise<KeyLastUse | undefined> {
    return laterUse(await this.store.getKeyLastUse(keyId), this.pending.get(keyId))
  }

  /** When this data folder began tracking; set once, by the first process of a tracking build to start. */
  trackingStartDate(): Promise<Date> {
    this.trackingStart ??= this.store
      .getOrInitSetting(TRACKING_START_SETTING, String(this.clock.now().getTime()))
      .then((ms) => new Date(Number(ms)))
    return this.trackingStart
  }

  /** Writes every pending use in one batch. A failed write keeps them for the next flush (never throws). */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.writePending())
    return this.flushing
  }

  /** Stops the timer and flushes what is pending (graceful shutdown, before the store closes). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
    await this.flush()
  }

  private async writePending(): Promise<void> {
    if (this.pending.size === 0) return
    const batch = this.pending
    this.pending = new Map()
    try {
      await this.store.recordKeyLastUses([...batch.values()])
    } catch (e) {
      // Put them back under anything noted meanwhile, so the next flush retries with the latest of each.
      for (const [keyId, use] of batch) this.pending.set(keyId, laterUse(use, this.pending.get(keyId))!)
      this.logger.warn({ err: String(e), keys: batch.size }, 'key last-use flush failed; will retry')
    }
  }
}
