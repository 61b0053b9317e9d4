// Everything the pipeline depends on, passed in by the composition root (main.ts) or by tests.
import type { AuditLog } from '../audit/audit-log.js'
import type { Authorizer } from '../auth/authorizer.js'
import type { ChangeFeed } from '../cache/change-feed.js'
import type { LentCredential } from '../cache/credential-cache.js'
import type { Clock } from '../config/clock.js'
import type { PeerLink } from '../config/peer-config.js'
import type { AsymmetricEngine } from '../crypto/asymmetric/engine.js'
import type { Keyring } from '../keys/keyring.js'
import type { LastUseTracker } from '../keys/last-use-tracker.js'
import type { Logger } from '../logging/logger.js'
import type { Metrics } from '../observability/metrics.js'
import type { Registry } from '../operations/registry.js'
import type { RootKey } from '../rootkey/root-key.js'
import type { Store } from '../store/store.js'
import type { QuotaGate } from '../quotas/quota-gate.js'
import type { SourceGuard } from './source-guard.js'
import type { SigningScope } from './sigv4/signing-key.js'

export interface Services {
  /** The default region: what a record of a request whose region is unknown (it failed authentication) names. */
  region: string
  /** Every region served; each request works in the one its SigV4 scope names (docs/architecture-notes.md). */
  regions: ReadonlySet<string>
  /**
   * Peer deployments serving other Regions (TRENT_PEERS): their link credentials authenticate the peer service
   * only (peers/dispatch-peer.ts), and a key row in a Region none of `regions` is a mirror of a peer's key.
   */
  peers: readonly PeerLink[]
  /** SigV4 admits an X-Amz-Target left out of SignedHeaders (TRENT_ALLOW_UNSIGNED_TARGET, for awscurl). */
  allowUnsignedTarget: boolean
  clock: Clock
  /** Secret random bytes: key material, data keys, GenerateRandom. Never pooled. */
  random: (n: number) => Uint8Array
  /** Random bytes that are stored or sent in the clear (IVs, KDF nonces): from a pooled CSPRNG buffer. */
  publicRandom: (n: number) => Uint8Array
  /** The caching store: request-path reads from memory, invalidated through `changes` (docs/caching.md). */
  store: Store
  /** The change feed every cache is invalidated through; pollNow() picks up other processes' writes at once. */
  changes: ChangeFeed
  /** Credentials by access key id, with their unwrapped secrets and SigV4 signing keys. */
  credentials: { lookup(accessKeyId: string, scope: SigningScope): Promise<LentCredential | undefined> }
  rootKey: RootKey
  keyring: Keyring
  /** Each key's last cryptographic use, noted in memory by the pipeline and flushed in batches (GetKeyLastUsage). */
  lastUse: LastUseTracker
  /** Asymmetric key operations, run off the event loop. */
  asymmetric: AsymmetricEngine
  auditLog: AuditLog
  /** Throws unless a record could be made durable right now: store insert, writer thread, file sink (for /readyz). */
  probeAudit(): Promise<void>
  metrics: Metrics
  /** Request quotas per account and quota class (AWS's, unless configured otherwise; off in tests unless asked for). */
  quotas: QuotaGate
  /** Keeps floods of unauthenticated requests from costing an audit write each (off unless configured). */
  sourceGuard: SourceGuard
  authorizer: Authorizer
  registry: Registry
  logger: Logger
  /** The Regions of `peers`: a set's row in one of them is a mirror (peers/notify-peers.ts queues its changes there). */
  peerRegions: ReadonlySet<string>
}
