// The messages a cluster worker and the primary exchange over node:cluster's IPC channel. Records travel as
// the same AuditRecord objects the writer thread takes; nothing secret is in them (see audit/record.ts).
import type { AuditRecord } from '../audit/record.js'
import type { RootKeyProviderName } from '../config/config.js'
import type { PeerLink } from '../config/peer-config.js'
import type { Pkcs11Config } from '../rootkey/pkcs11/pkcs11-config.js'

/** What a worker needs to serve; secrets from the environment are not in it (they were deleted before fork). */
export interface WorkerSetup {
  t: 'setup'
  dbPath: string
  host: string
  port: number
  region: string
  regions: readonly string[]
  /** TRENT_PEERS as the primary read it (link secrets included: like rootKeyBase64, over IPC, never the environment). */
  peers: readonly PeerLink[]
  allowUnsignedTarget: boolean
  dataDir: string
  rootKeyFile: string
  /** The change-feed poll period (TRENT_CACHE_POLL_MS) the primary was configured with. */
  cachePollMs: number
  /** TRENT_ROOT_KEY's value when the root key came from the environment; the worker otherwise reads rootKeyFile. */
  rootKeyBase64?: string
  /** How many workers share the port: each takes 1/workers of every request quota. */
  workers: number
  /** TRENT_ALLOW_OPEN_PERMISSIONS as the primary read it (for the root key file and the TLS key file). */
  allowOpenPermissions: boolean
  rootKeyProvider: RootKeyProviderName
  /** The token settings, PIN included, when the root key (or the previous one) is in a PKCS#11 token. */
  pkcs11?: Pkcs11Config
  rootKeyPrevious?: string
}

export type WorkerToPrimary =
  /** The worker is listening for messages: send it its setup. */
  | { t: 'hello' }
  | { t: 'audit'; id: number; records: AuditRecord[] }
  | { t: 'probe'; id: number }
  /** This worker committed a write the others must see. */
  | { t: 'changed'; id: number }
  /** Reply to 'poll': this worker has read the change feed. */
  | { t: 'polled'; id: number }

export type PrimaryToWorker =
  | WorkerSetup
  /** The chain fields the store assigned, per record in order. */
  | { t: 'audit-ok'; id: number; links: [number, string][] }
  | { t: 'audit-err'; id: number; error: string }
  | { t: 'probe-ok'; id: number }
  | { t: 'probe-err'; id: number; error: string }
  /** Every other worker has read the change feed (or the wait for them ran out). */
  | { t: 'changes-seen'; id: number }
  /** Another process wrote: read the change feed now and reply 'polled'. */
  | { t: 'poll'; id: number }
  /** Stop gracefully: finish in-flight requests, then exit. */
  | { t: 'stop' }

/** The minimal channel both sides use; node:cluster's worker and process objects fit, and tests fake it. */
export interface Channel<Out, In> {
  send(message: Out): void
  onMessage(listener: (message: In) => void): void
  /** Called once when the channel breaks (the other side died or disconnected). */
  onClose(listener: () => void): void
  isOpen(): boolean
}

export function isMessage(value: unknown): value is { t: string } {
  return typeof value === 'object' && value !== null && typeof (value as { t?: unknown }).t === 'string'
}
