// The store-level change feed: reads what any process committed to a cached table (store/change-store.ts)
// and tells the caches, in commit order. One invalidation path for every writer: a write through the
// caching store polls at once before it resolves; writes by other processes arrive with the background
// poll (every `pollMs`) or an explicit pollNow().
import type { Logger } from '../logging/logger.js'
import type { ChangeRow, ChangeStore } from '../store/change-store.js'

/** The interface other parts use (the cluster work calls pollNow when told another worker wrote). */
export interface ChangeFeed {
  /** Reads changes committed by any process since the last poll and invalidates caches; safe to call at any time. */
  pollNow(): Promise<void>
  /** Called after this process committed a write that others must see. Returns the unsubscribe function. */
  onLocalWrite(listener: () => void): () => void
  close(): void
}

/** What a cache registers: each change in order, or a reset when changes may have been missed. */
export interface ChangeSubscriber {
  onChange(change: ChangeRow): void | Promise<void>
  /** Drop everything: the feed fell behind the prune horizon, or could not be read. */
  onReset(): void | Promise<void>
}

/** Taken before a load; `fresh()` is false once any invalidation ran since, so the load's result must not be cached. */
export interface LoadGuard {
  /** The feed's seq when the load began (what the cached entry carries). */
  readonly at: number
  fresh(): boolean
}

export interface ChangeFeedOptions {
  /** Background poll period (the cross-process staleness bound). Default 50 ms. */
  pollMs?: number
  /** Changes are kept this long (default 10 minutes); a reader that falls further behind drops all caches. */
  retentionMs?: number
  /** How often this process prunes (default every minute). */
  pruneEveryMs?: number
  /** Changes read per query. */
  batchSize?: number
  logger?: Logger
}

export const DEFAULT_CACHE_POLL_MS = 50

export class StoreChangeFeed implements ChangeFeed {
  private readonly store: ChangeStore
  private readonly subscribers = new Set<ChangeSubscriber>()
  private readonly listeners = new Set<() => void>()
  private readonly options: Required<Omit<ChangeFeedOptions, 'logger'>> & { logger?: Logger }
  private timers: NodeJS.Timeout[] = []
  private unwatch: (() => void) | undefined
  private tail: Promise<void> = Promise.resolve()
  private queued = 0
  private closed = false
  /** Last seq applied; -1 until the first poll has read where the feed starts. */
  private seq = -1
  /** Bumped on every invalidation: a load that saw another value must not cache its result. */
  private generation = 0
  /** The last poll failed (its error was logged; later failures are not, until one succeeds). */
  private failing = false
  /** Resets because the feed fell behind or could not be read, for the metrics. */
  resets = 0

  constructor(store: ChangeStore, options: ChangeFeedOptions = {}) {
    this.store = store
    // An option passed as undefined keeps its default (spread alone would make pollMs undefined: a 1 ms interval).
    const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as ChangeFeedOptions
    this.options = { pollMs: DEFAULT_CACHE_POLL_MS, retentionMs: 10 * 60_000, pruneEveryMs: 60_000, batchSize: 1000, ...given }
    void this.pollNow()
  }

  /** Starts the background poll and prune timers (unref'ed: they never keep the process alive). */
  start(): this {
    if (this.closed || this.timers.length > 0) return this
    const poll = setInterval(() => { if (this.queued === 0) void this.pollNow() }, this.options.pollMs)
    // A store that announces commits (PostgreSQL NOTIFY) wakes the feed early; one poll queued behind a running
    // one is enough to read whatever the announcement was about.
    const unwatch = this.store.watchChanges?.(() => { if (this.queued < 2) void this.pollNow() })
    if (unwatch) this.unwatch = unwatch
    const prune = setInterval(() => void this.prune(), this.options.pruneEveryMs)
    poll.unref()
    prune.unref()
    this.timers = [poll, prune]
    return this
  }

  subscribe(subscriber: ChangeSubscriber): () => void {
    this.subscribers.add(subscriber)
    return () => this.subscribers.delete(subscriber)
  }

  guard(): LoadGuard {
    const generation = this.generation
    const at = this.seq
    return { at, fresh: () => at >= 0 && !this.closed && this.generation === generation }
  }

  /** The last change seq applied (-1 before the first poll). */
  get position(): number {
    return this.seq
  }

  pollNow(): Promise<void> {
    this.queued++
    // A rejected poll must not poison the chain: every later poll would reject unread and caches go stale for good.
    const run = this.tail.catch(() => undefined).then(() => this.pollOnce()).finally(() => { this.queued-- })
    this.tail = run
    return run
  }

  /** After a write by this process: invalidate from the feed at once, then tell the listeners (other workers). */
  async afterLocalWrite(): Promise<void> {
    await this.pollNow()
    for (const listener of [...this.listeners]) {
      try {
        listener()
      } catch (e) {
        this.options.logger?.error({ err: String(e) }, 'change listener failed')
      }
    }
  }

  onLocalWrite(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  close(): void {
    this.closed = true
    for (const t of this.timers) clearInterval(t)
    this.timers = []
    this.unwatch?.()
    this.unwatch = undefined
    this.generation++
  }

  /**
   * Closes the feed and resets every subscriber, so that what they hold (rows, secrets, signing keys,
   * unwrapped material) is dropped and zeroed at shutdown rather than left to the garbage collector.
   */
  async release(): Promise<void> {
    this.close()
    await this.reset()
  }

  /** Deletes changes older than the retention; any process may run it (idempotent). */
  async prune(now = new Date()): Promise<number> {
    if (this.closed) return 0
    try {
      return await this.store.pruneChanges(new Date(now.getTime() - this.options.retentionMs))
    } catch (e) {
      this.options.logger?.warn({ err: String(e) }, 'change feed pruning failed')
      return 0
    }
  }

  private async pollOnce(): Promise<void> {
    if (this.closed) return
    try {
      if (this.seq < 0) {
        // Nothing is cached before the start is known (guards are not fresh), so nothing can be stale.
        this.seq = await this.store.latestChangeSeq()
        this.generation++
        return
      }
      await this.drain()
      if (this.failing) this.options.logger?.info({}, 'change feed poll recovered')
      this.failing = false
    } catch (e) {
      // Unknown what was missed: forget everything (always correct) and read the same changes next time.
      if (this.closed) return
      // Logged once per outage, not every poll period (20 lines a second while a database is down).
      if (!this.failing) this.options.logger?.error({ err: String(e) }, 'change feed poll failed; caches dropped until it recovers')
      this.failing = true
      await this.reset()
    }
  }

  private async drain(): Promise<void> {
    for (;;) {
      const batch = await this.store.readChanges(this.seq, this.options.batchSize)
      if (batch.prunedThrough > this.seq) {
        // Rows this reader never saw were pruned: it cannot tell what changed, so everything goes.
        await this.reset()
        this.seq = Math.max(batch.prunedThrough, batch.changes.at(-1)?.seq ?? 0)
      } else if (batch.changes.length > 0) {
        this.generation++
        for (const change of batch.changes) {
          for (const s of this.subscribers) await s.onChange(change)
        }
        this.seq = batch.changes.at(-1)!.seq
      }
      if (batch.changes.length < this.options.batchSize) return
    }
  }

  private async reset(): Promise<void> {
    this.resets++
    this.generation++
    // Each subscriber on its own: one that throws (a keyring whose workers are gone) must not leave the
    // others holding what may be stale, nor make the poll reject (a committed write would then fail).
    for (const s of this.subscribers) {
      try {
        await s.onReset()
      } catch (e) {
        this.options.logger?.error({ err: String(e) }, 'change subscriber reset failed')
      }
    }
  }
}
