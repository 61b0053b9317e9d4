// Prometheus metrics on a registry of their own (one per services instance, so tests never collide):
// requests by operation and outcome, latency, throttles, keys by state, audit batches, key cache use.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { Store } from '../store/store.js'

/** Every KMS key state, so each appears in the gauge even at zero. */
const KEY_STATES = ['Creating', 'Enabled', 'Disabled', 'PendingDeletion', 'PendingImport', 'PendingReplicaDeletion', 'Unavailable', 'Updating']

export interface MetricSources {
  store: Store
  keyringStats: { hits: number; misses: number }
  /** Hit and miss counts of each request-path cache, by name (docs/caching.md). */
  cacheStats?: () => Record<string, { hits: number; misses: number }>
}

export interface Metrics {
  readonly registry: Registry
  /** One finished request: `outcome` is 'success' or the AWS exception name. */
  observeRequest(operation: string, outcome: string, seconds: number): void
  /** A request refused because `quota` (a request-quota class) had no token left for its account. */
  observeQuotaThrottle(quota: string): void
  /** An unauthenticated or malformed request from a flooding source, refused without its own audit record. */
  observeSourceThrottle(): void
  /** One committed audit batch and how long its oldest record waited. */
  observeAuditBatch(size: number, lagSeconds: number): void
  /** Values that are read at scrape time (keys by state, key cache counters). */
  watch(sources: MetricSources): void
}

/** A counter that mirrors a monotonically growing number read at scrape time. */
function mirroredCounter(registry: Registry, name: string, help: string, read: () => number | undefined): void {
  let reported = 0
  new Counter({
    name, help, registers: [registry],
    collect() {
      const now = read() ?? reported
      if (now > reported) this.inc(now - reported)
      reported = now
    },
  })
}

/** A counter per cache mirroring one of its monotonically growing stats, read at scrape time. */
function cacheCounter(
  registry: Registry, name: string, help: string, pick: (s: { hits: number; misses: number }) => number,
  read: () => Record<string, { hits: number; misses: number }> | undefined,
): void {
  const reported = new Map<string, number>()
  new Counter({
    name, help, labelNames: ['cache'], registers: [registry],
    collect() {
      for (const [cache, stats] of Object.entries(read() ?? {})) {
        const now = pick(stats)
        const before = reported.get(cache) ?? 0
        if (now > before) this.inc({ cache }, now - before)
        reported.set(cache, now)
      }
    },
  })
}

export function createMetrics(options: { processMetrics?: boolean } = {}): Metrics {
  const registry = new Registry()
  if (options.processMetrics) collectDefaultMetrics({ register: registry })
  const requests = new Counter({ name: 'trent_requests_total', help: 'Requests by operation and outcome (success or the exception name).', labelNames: ['operation', 'outcome'], registers: [registry] })
  const latency = new Histogram({
    name: 'trent_request_duration_seconds', help: 'Request latency from body read to reply, audit write included.', labelNames: ['operation'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers: [registry],
  })
  const throttled = new Counter({ name: 'trent_throttled_requests_total', help: 'Requests refused with ThrottlingException, whatever the cause (request quota, source flood, full asymmetric crypto queue).', registers: [registry] })
  const quotaThrottled = new Counter({ name: 'trent_quota_throttled_total', help: 'Requests refused because their account had no token left in a request quota, by quota class.', labelNames: ['quota'], registers: [registry] })
  const sourceThrottled = new Counter({
    name: 'trent_source_throttled_total', help: 'Unauthenticated or malformed requests from a flooding source, refused and summarised in the audit log instead of audited one by one.', registers: [registry],
  })
  const batchSize = new Histogram({ name: 'trent_audit_batch_size', help: 'Audit records committed per group-commit batch.', buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512], registers: [registry] })
  const batchLag = new Histogram({
    name: 'trent_audit_commit_lag_seconds', help: 'Time from a batch\'s oldest record being queued to the batch being durable.',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1], registers: [registry],
  })
  let sources: MetricSources | undefined
  new Gauge({
    name: 'trent_keys', help: 'Keys by key state, counted at scrape time.', labelNames: ['state'], registers: [registry],
    async collect() {
      if (!sources) return
      const counts = await sources.store.countKeysByState()
      for (const state of new Set([...KEY_STATES, ...Object.keys(counts)])) this.set({ state }, counts[state] ?? 0)
    },
  })
  mirroredCounter(registry, 'trent_key_cache_hits_total', 'Key material served from the in-memory cache.', () => sources?.keyringStats.hits)
  mirroredCounter(registry, 'trent_key_cache_misses_total', 'Key material that had to be unwrapped under the root key.', () => sources?.keyringStats.misses)
  cacheCounter(registry, 'trent_cache_hits_total', 'Request-path reads served from memory, by cache.', (s) => s.hits, () => sources?.cacheStats?.())
  cacheCounter(registry, 'trent_cache_misses_total', 'Request-path reads that went to the store, by cache.', (s) => s.misses, () => sources?.cacheStats?.())
  return {
    registry,
    observeRequest(operation, outcome, seconds) {
      requests.inc({ operation, outcome })
      latency.observe({ operation }, seconds)
      if (outcome === 'ThrottlingException') throttled.inc()
    },
    observeQuotaThrottle(quota) {
      quotaThrottled.inc({ quota })
    },
    observeSourceThrottle() {
      sourceThrottled.inc()
    },
    observeAuditBatch(size, lagSeconds) {
      batchSize.observe(size)
      batchLag.observe(lagSeconds)
    },
    watch(s) {
      sources = s
    },
  }
}
