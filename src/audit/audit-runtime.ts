// The audit machinery a running server owns besides the per-request writes: the file sink, the signed
// digest timer, retention pruning, and the clean-shutdown sequence (drain, final digest, close).
import type { Clock } from '../config/clock.js'
import type { Logger } from '../logging/logger.js'
import type { RootKey } from '../rootkey/root-key.js'
import { startAuditWriterThread, type AuditWriterThread } from '../store/sqlite/audit-writer-thread.js'
import type { Store } from '../store/store.js'
import { GroupCommitAuditLog, type AuditLog } from './audit-log.js'
import type { AuditConfig } from './audit-config.js'
import type { DigestSigner } from './digest.js'
import { writeAuditDigest } from './digest-writer.js'
import { RotatingFileSink } from './file-sink.js'
import { pruneAuditLog } from './retention.js'
import { loadOrCreateAuditSigner } from './signing-key.js'

export interface AuditRuntime {
  sink: RotatingFileSink | undefined
  /**
   * Appends batches on a worker thread, so SQLite's fsync does not stall request handling; on PostgreSQL
   * straight to the store (its commits wait on a socket, not on this thread).
   */
  append: AuditWriterThread['append']
  /** Throws once the writer thread has died (for /readyz); a no-op without one. */
  probeWriter: AuditWriterThread['probe']
  /** Starts the digest timer. */
  start(auditLog: AuditLog, clock: Clock): void
  /** Runs retention once (the server calls it with its other scheduled jobs). */
  prune(now: Date): Promise<void>
  /** Stops the timer, waits for queued records, writes the final digest and closes the sink. */
  stop(): Promise<void>
}

/**
 * Loads (or creates) the signing key, opens the sink and, for a SQLite store, starts the writer thread on its
 * file at `sqlitePath`. Throws when any of them cannot be set up.
 */
export async function openAuditRuntime(
  store: Store, sqlitePath: string | undefined, rootKey: RootKey, config: AuditConfig, logger: Logger,
): Promise<AuditRuntime> {
  const signer: DigestSigner = await loadOrCreateAuditSigner(store, rootKey)
  const sink = config.fileSinkDir === undefined ? undefined : new RotatingFileSink(config.fileSinkDir, config.fileSinkMaxBytes)
  // Only a sink needs the stored text back; without one it would be copied across threads for nothing.
  const writer = sqlitePath === undefined ? directWriter(store) : await startAuditWriterThread(sqlitePath, {
    storedForms: sink !== undefined,
    onCheckpointerError: (e) => logger.error({ err: e.message }, 'a WAL checkpoint failed; audit writes go on (the writer checkpoints again after its next commit)'),
  })
  let timer: NodeJS.Timeout | undefined
  let log: AuditLog | undefined
  let clock: Clock | undefined
  const digest = async (why: string) => {
    if (!clock) return
    const written = await writeAuditDigest({ store, signer, clock })
    if (written) logger.info({ digestSequence: written.digestSequence, lastSequence: written.lastSequence, records: written.recordCount, why }, 'audit digest written')
  }
  return {
    sink,
    append: (records) => writer.append(records),
    probeWriter: () => writer.probe(),
    start(auditLog, c) {
      log = auditLog
      clock = c
      timer = setInterval(() => void digest('interval').catch((e: unknown) => logger.error({ err: String(e) }, 'audit digest failed')), config.digestIntervalMs)
      timer.unref()
    },
    async prune(now) {
      if (config.retentionDays === undefined) return
      const removed = await pruneAuditLog(store, now, config.retentionDays)
      if (removed.records + removed.digests > 0) logger.info({ ...removed, retentionDays: config.retentionDays }, 'audit retention pruned whole digest periods')
    },
    async stop() {
      if (timer) clearInterval(timer)
      if (log instanceof GroupCommitAuditLog) await log.drain()
      await digest('shutdown')
      await writer.close()
      await sink?.close()
    },
  }
}

/** Appends in this thread through the store itself (PostgreSQL). */
function directWriter(store: Store): AuditWriterThread {
  return {
    append: (records) => store.appendAudit(records),
    probe: async () => undefined,
    close: async () => undefined,
  }
}
