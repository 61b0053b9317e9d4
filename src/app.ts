// Assembles the services from their parts. main.ts uses it with real parts; tests with in-memory ones.
import { GroupCommitAuditLog, type AuditLog, type AuditSink, type GroupCommitOptions } from './audit/audit-log.js'
import type { Authorizer } from './auth/authorizer.js'
import { createCachingStore } from './cache/caching-store.js'
import { StoreChangeFeed } from './cache/change-feed.js'
import { CredentialCache } from './cache/credential-cache.js'
import { keyringSubscriber } from './cache/keyring-invalidation.js'
import { createPolicyAuthorizer } from './auth/policy-authorizer.js'
import { systemClock, type Clock } from './config/clock.js'
import type { PeerLink } from './config/peer-config.js'
import { sharedAsymmetricEngine, type AsymmetricEngine } from './crypto/asymmetric/engine.js'
import { randomPublic, randomSecret } from './crypto/random-pool.js'
import type { Services } from './http/services.js'
import { Keyring } from './keys/keyring.js'
import { LastUseTracker } from './keys/last-use-tracker.js'
import { jsonLogger, type Logger } from './logging/logger.js'
import { createMetrics, type Metrics } from './observability/metrics.js'
import { registry } from './operations/registry.js'
import { QUOTAS_OFF, QuotaGate, type QuotaSettings } from './quotas/quota-gate.js'
import { SOURCE_GUARD_OFF, SourceGuard, type SourceGuardSettings } from './http/source-guard.js'
import type { RootKey } from './rootkey/root-key.js'
import type { Store } from './store/store.js'

export interface AppParts {
  store: Store
  rootKey: RootKey
  region: string
  /** Regions served (TRENT_REGIONS); `region` alone when absent. */
  regions?: readonly string[]
  /** Peer deployments (TRENT_PEERS); none when absent. */
  peers?: readonly PeerLink[]
  /** Off unless the operator opted in (TRENT_ALLOW_UNSIGNED_TARGET). */
  allowUnsignedTarget?: boolean
  clock?: Clock
  /** Secret random bytes; tests inject a deterministic source here. */
  random?: (n: number) => Uint8Array
  /** IVs and nonces; defaults to `random` when that is injected (so one injected source drives a test), else the pool. */
  publicRandom?: (n: number) => Uint8Array
  logger?: Logger
  authorizer?: Authorizer
  /** Replaces the group-commit audit log (tests, and the unaudited benchmark switch). */
  auditLog?: AuditLog
  /** Mirrors every committed audit batch to a second durable destination. */
  auditSink?: AuditSink
  /** Appends audit batches somewhere other than parts.store.appendAudit (the server's writer thread). */
  auditAppend?: GroupCommitOptions['append']
  /** Send audit batches to `auditAppend` without waiting for the previous commit (a cluster worker). */
  pipelinedAudit?: boolean
  /** Throws when `auditAppend` can no longer append (its thread died); part of readiness. */
  probeAuditAppend?: () => Promise<void>
  metrics?: Metrics
  /** Defaults to the process-wide crypto worker pool. */
  asymmetric?: AsymmetricEngine
  /** Background change-feed poll period in ms: how soon other processes' writes are seen (TRENT_CACHE_POLL_MS). */
  cachePollMs?: number
  /** How often key last uses are written to the store (default 5 s; keys/last-use-tracker.ts). */
  lastUseFlushMs?: number
  /** Request quotas; off when absent (the server passes loadQuotaSettings). */
  quotas?: QuotaSettings
  /** The unauthenticated-flood guard; off when absent (the server passes its configured limits). */
  sourceGuard?: SourceGuardSettings
  /** The millisecond clock the rate limits refill by (performance.now unless a test steps it). */
  rateClockMs?: () => number
}

export function createServices(parts: AppParts): Services {
  const metrics = parts.metrics ?? createMetrics()
  const asymmetric = parts.asymmetric ?? sharedAsymmetricEngine()
  // Every in-memory copy of store rows is invalidated through the change feed (docs/caching.md).
  const changes = new StoreChangeFeed(parts.store, { pollMs: parts.cachePollMs, logger: parts.logger }).start()
  const { store, caches } = createCachingStore(parts.store, changes)
  const credentials = new CredentialCache(store, parts.rootKey, changes)
  // One path for forgetting a key: the keyring drops its material and tells the crypto workers to drop theirs.
  const keyring = new Keyring(parts.rootKey, store, { forgetElsewhere: (keyId) => asymmetric.forget(keyId) })
  changes.subscribe(keyringSubscriber(keyring))
  metrics.watch({ store, keyringStats: keyring.stats, cacheStats: () => ({ ...caches.stats(), credentials: credentials.stats }) })
  const auditLog = parts.auditLog
    ?? new GroupCommitAuditLog(store, {
      sink: parts.auditSink, append: parts.auditAppend, pipelined: parts.pipelinedAudit, onBatch: (size, lag) => metrics.observeAuditBatch(size, lag),
    })
  const clock = parts.clock ?? systemClock
  const logger = parts.logger ?? jsonLogger
  const lastUse = new LastUseTracker({ store, clock, logger, flushMs: parts.lastUseFlushMs }).start()
  const sourceGuard = new SourceGuard(parts.sourceGuard ?? SOURCE_GUARD_OFF, { auditLog, clock, region: parts.region, logger, nowMs: parts.rateClockMs }).start()
  return {
    region: parts.region,
    regions: new Set([parts.region, ...(parts.regions ?? [])]),
    peers: parts.peers ?? [],
    allowUnsignedTarget: parts.allowUnsignedTarget ?? false,
    clock,
    random: parts.random ?? randomSecret,
    publicRandom: parts.publicRandom ?? parts.random ?? randomPublic,
    store,
    changes,
    credentials,
    rootKey: parts.rootKey,
    keyring,
    lastUse,
    asymmetric,
    auditLog,
    async probeAudit() {
      await store.probeAuditWritable()
      await parts.probeAuditAppend?.()
      await parts.auditSink?.probe()
    },
    metrics,
    quotas: new QuotaGate(parts.quotas ?? QUOTAS_OFF, parts.rateClockMs),
    sourceGuard,
    authorizer: parts.authorizer ?? createPolicyAuthorizer(store),
    registry,
    logger,
    peerRegions: new Set((parts.peers ?? []).map((p) => p.region)),
  }
}
