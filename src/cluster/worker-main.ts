// Entry point of a cluster worker (forked by cluster/primary.ts): opens its own store connection (the
// primary has migrated it), builds the services with audit writes going to the primary, and serves HTTP on
// the shared port. It does none of the once-only work: no migrations, bootstrap, jobs or digests.
import cluster from 'node:cluster'
import { createServices } from '../app.js'
import { unauditedLog } from '../audit/audit-log.js'
import { loadAuditConfig } from '../audit/audit-config.js'
import { benchmarkAuthorizer } from '../auth/bench-authorizer.js'
import { loadQuotaSettings } from '../config/quota-config.js'
import { loadServerLimits } from '../config/server-limits.js'
import { loadTlsFiles } from '../config/tls-config.js'
import { createTrentServer } from '../http/server.js'
import { createPinoLogger } from '../logging/logger.js'
import { createMetrics } from '../observability/metrics.js'
import { loadRootKey } from '../rootkey/load-root-key.js'
import { verifyRootKey } from '../rootkey/root-key-check.js'
import { openSqliteStore } from '../store/sqlite/sqlite-store.js'
import type { PrimaryToWorker, WorkerSetup, WorkerToPrimary } from './messages.js'
import { channelToPrimary } from './process-channel.js'
import { createWorkerLink } from './worker-link.js'

const STOP_GRACE_MS = 5_000

async function serve(setup: WorkerSetup, channel: ReturnType<typeof channelToPrimary<WorkerToPrimary, PrimaryToWorker>>): Promise<void> {
  const auditConfig = loadAuditConfig(process.env)
  const logger = createPinoLogger({ level: auditConfig.logLevel })
  // The primary has checked these already; the worker reads the same environment (secrets aside).
  const limits = loadServerLimits(process.env)
  const tls = loadTlsFiles(process.env, setup)
  const rootKey = await loadRootKey({
    rootKeyBase64: setup.rootKeyBase64, rootKeyFile: setup.rootKeyFile, dataDir: setup.dataDir, allowOpenPermissions: setup.allowOpenPermissions,
    rootKeyProvider: setup.rootKeyProvider, pkcs11: setup.pkcs11, rootKeyPrevious: setup.rootKeyPrevious,
  }, { databaseExists: true })
  const store = await openSqliteStore(setup.dbPath, { migrate: false })
  await verifyRootKey(store, rootKey)
  let stop: () => void = () => process.exit(0)
  const link = createWorkerLink(channel, () => stop())
  const services = createServices({
    store, rootKey, region: setup.region, regions: setup.regions, peers: setup.peers, allowUnsignedTarget: setup.allowUnsignedTarget, logger,
    authorizer: benchmarkAuthorizer(process.env, logger), auditAppend: link.append, pipelinedAudit: true, probeAuditAppend: link.probe,
    metrics: createMetrics({ processMetrics: true }), auditLog: auditConfig.auditDisabledForBenchmark ? unauditedLog : undefined,
    cachePollMs: setup.cachePollMs, quotas: loadQuotaSettings(process.env, 1 / setup.workers), sourceGuard: limits.sourceGuard,
  })
  link.attach(services.changes)
  const server = createTrentServer(services, { workerId: String(cluster.worker?.id ?? process.pid), limits, tls })
  let stopping = false
  stop = () => {
    // In-flight requests finish and are audited through the primary (which waits for this process to exit).
    if (stopping) return
    stopping = true
    // services.store is the caching store: closing it stops the change feed's poll and drops the caches too.
    // Its pending key last uses are written first: each worker flushes its own, and the store keeps the latest.
    server.close(() => void services.lastUse.stop().then(() => services.sourceGuard.stop()).then(() => services.store.close()).finally(() => process.exit(0)))
    server.closeIdleConnections()
    setTimeout(() => process.exit(0), STOP_GRACE_MS).unref()
  }
  // A signal sent to the whole process group (Ctrl-C) reaches the workers as well as the primary.
  process.on('SIGTERM', () => stop())
  process.on('SIGINT', () => stop())
  server.listen(setup.port, setup.host)
}

const channel = channelToPrimary<WorkerToPrimary, PrimaryToWorker>()
channel.onMessage((message) => {
  if (message.t !== 'setup') return
  serve(message, channel).catch((e: unknown) => {
    process.stderr.write(`trent worker: failed to start: ${e instanceof Error ? e.message : String(e)}\n`)
    process.exit(1)
  })
})
channel.send({ t: 'hello' })
