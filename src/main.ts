// Composition root: config → root key → store → first-run bootstrap → server → listen, plus the jobs.
// With --workers N > 1 this process is the cluster primary: it does all the once-only work above (data
// folder, root key, migrations, rewrap, bootstrap, credentials), runs the audit writer, digests and jobs,
// and forks N workers (cluster/worker-main.ts) that serve HTTP on the one port.
import { createServices } from './app.js'
import { benchmarkAuthorizer } from './auth/bench-authorizer.js'
import { bootstrapDefaultAccount } from './auth/bootstrap.js'
import { ConfigError, takeConfig, type Config } from './config/config.js'
import { testClockFromEnv } from './config/test-clock.js'
import { loadQuotaSettings } from './config/quota-config.js'
import { loadServerLimits } from './config/server-limits.js'
import { loadTlsFiles } from './config/tls-config.js'
import { createTrentServer, type ServerOptions } from './http/server.js'
import type { Services } from './http/services.js'
import { scheduleJobs } from './jobs/schedule-jobs.js'
import { unauditedLog } from './audit/audit-log.js'
import { loadAuditConfig } from './audit/audit-config.js'
import { openAuditRuntime, type AuditRuntime } from './audit/audit-runtime.js'
import { createPinoLogger, type Logger } from './logging/logger.js'
import { createMetrics } from './observability/metrics.js'
import { verifyRootKey } from './rootkey/root-key-check.js'
import { openConfiguredStore } from './store/open-store.js'
import { rewrapLegacyMaterial } from './keys/rewrap-material.js'
import { DEV_SEEDING_ENV, DEV_SEEDING_WARNING, recordDevSeeding } from './integrations/seed/dev-seeding.js'
import { createAuditHub, type AuditHub } from './cluster/audit-hub.js'
import { forkWorkers, type ForkedCluster } from './cluster/primary.js'
import { createPrimaryRouter } from './cluster/primary-router.js'

function printCredentialsOnce(region: string, accountId: string, created: { accessKeyId: string; generatedSecret?: string }, url: string): void {
  // Printed to stdout exactly once, on the start that created them; they are never logged or stored in plaintext.
  // A secret the operator supplied is not echoed: they have it already, and stdout often ends up in a log.
  const secret = created.generatedSecret === undefined
    ? '  AWS_SECRET_ACCESS_KEY is the one supplied in TRENT_BOOTSTRAP_SECRET_ACCESS_KEY (not shown)\n'
    : `  AWS_SECRET_ACCESS_KEY=${created.generatedSecret}\n`
  const save = created.generatedSecret === undefined ? 'These are the root credentials.' : 'Save these root credentials now; they will not be shown again.'
  process.stdout.write(
    `\nTrent created the default account. ${save}\n` +
      `  AWS_ACCESS_KEY_ID=${created.accessKeyId}\n${secret}` +
      `  Account id: ${accountId}\n  Region: ${region}\n  Endpoint: ${url}\n\n`,
  )
}

async function main(): Promise<void> {
  const config = takeConfig(process.argv.slice(2), process.env)
  const auditConfig = loadAuditConfig(process.env)
  const limits = loadServerLimits(process.env)
  const quotas = loadQuotaSettings(process.env)
  const tls = loadTlsFiles(process.env, config)
  const logger = createPinoLogger({ level: auditConfig.logLevel })
  const clock = testClockFromEnv(process.env, config.workers, logger)
  const forked = config.workers > 1 ? forkWorkers(config.workers, logger) : undefined
  const { store, rootKey, sqlitePath } = await openConfiguredStore(config)
  if (recordDevSeeding(config.dataDir, process.env)) warnDevSeeding(logger)
  // Cluster workers load the same root key; one that came from TRENT_ROOT_KEY reaches them over the private
  // IPC channel, never through their environment. Otherwise drop the last reference to the text (a JS string
  // cannot be wiped, only collected).
  const rootKeyForWorkers = config.workers > 1 ? config.rootKeyBase64 : undefined
  const pkcs11ForWorkers = config.workers > 1 ? config.pkcs11 : undefined
  delete config.rootKeyBase64
  delete config.pkcs11
  await verifyRootKey(store, rootKey)
  // Before serving: material still wrapped in the legacy format gets bound to its key spec and usage.
  await rewrapLegacyMaterial(store, rootKey, logger)
  const audit = await openAuditRuntime(store, sqlitePath, rootKey, auditConfig, logger)
  if (auditConfig.auditDisabledForBenchmark) warnUnaudited(logger)
  const authorizer = benchmarkAuthorizer(process.env, logger)
  const clustered = forked !== undefined
  // In a cluster this process serves no requests: the hub merges every worker's batches into one writer.
  const hub = clustered ? createAuditHub({ append: audit.append, sink: audit.sink }) : undefined
  const services = createServices({
    store, rootKey, region: config.region, regions: config.regions, peers: config.peers, allowUnsignedTarget: config.allowUnsignedTarget, logger, authorizer,
    auditSink: hub ? undefined : audit.sink, auditAppend: hub ? hub.append : audit.append, probeAuditAppend: audit.probeWriter,
    metrics: createMetrics({ processMetrics: !clustered }), auditLog: auditConfig.auditDisabledForBenchmark ? unauditedLog : undefined,
    cachePollMs: config.cachePollMs, clock, quotas, sourceGuard: limits.sourceGuard,
  })
  audit.start(services.auditLog, services.clock)
  const boot = await bootstrapDefaultAccount(store, rootKey, services.clock.now(), { accountId: config.accountId, credentials: config.bootstrap })
  const serving = forked && hub && sqlitePath !== undefined
    ? await serveCluster(config, forked, { dbPath: sqlitePath, rootKeyBase64: rootKeyForWorkers, pkcs11: pkcs11ForWorkers }, services, hub, audit)
    : await serveHere(config, services, { limits, tls })
  const url = `${tls ? 'https' : 'http'}://${config.host}:${serving.port}`
  if (boot.created) printCredentialsOnce(config.region, boot.accountId, boot.created, url)
  const storage = config.database ? 'postgresql' : 'sqlite'
  logger.info({ url, region: config.region, accountId: boot.accountId, dataDir: config.dataDir, workers: config.workers, storage }, 'trent listening')
  const jobs = scheduleJobs(services, (now) => audit.prune(now), config.jobIntervalMs, config.peerRetryMs)
  stopOnSignals(logger, {
    stopServing: async () => {
      await Promise.all([jobs.stop(), serving.stop()])
    },
    async release() {
      // The last interval's summary of throttled unauthenticated requests goes in before the final digest.
      await services.sourceGuard.stop()
      await hub?.drain()
      await audit.stop().catch((e: unknown) => logger.error({ err: String(e) }, 'final audit digest failed'))
      await services.lastUse.stop()
      services.changes.close()
      await services.store.close()
    },
  })
}

interface Serving {
  port: number
  /** Stops taking requests and resolves once every request in flight has been answered (and audited). */
  stop(): Promise<void>
}

/** One process (--workers 1): this process serves HTTP itself, exactly as before clustering existed. */
async function serveHere(config: Config, services: Services, options: ServerOptions): Promise<Serving> {
  const server = createTrentServer(services, options)
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve))
  const address = server.address()
  return {
    port: typeof address === 'object' && address ? address.port : config.port,
    stop: () => new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeIdleConnections()
    }),
  }
}

/** The primary of a cluster: forks the workers and serves their audit, readiness and change relay over IPC. */
async function serveCluster(
  config: Config, forked: ForkedCluster, files: { dbPath: string; rootKeyBase64?: string; pkcs11?: Config['pkcs11'] }, services: Services, hub: AuditHub, audit: AuditRuntime,
): Promise<Serving> {
  const { logger } = services
  const probe = async () => {
    await services.store.probeAuditWritable()
    await audit.probeWriter()
    await audit.sink?.probe()
  }
  const router = createPrimaryRouter({ hub, probe, changes: services.changes, logger })
  // The primary's own writes (the deletion job) reach every worker's caches too.
  services.changes.onLocalWrite(() => void router.relayChange())
  return forked.start({
    router,
    setup: {
      dbPath: files.dbPath, host: config.host, port: config.port, region: config.region, regions: config.regions, peers: config.peers, allowUnsignedTarget: config.allowUnsignedTarget,
      dataDir: config.dataDir, rootKeyFile: config.rootKeyFile, rootKeyBase64: files.rootKeyBase64, cachePollMs: config.cachePollMs,
      workers: config.workers, allowOpenPermissions: config.allowOpenPermissions,
      rootKeyProvider: config.rootKeyProvider, pkcs11: files.pkcs11, rootKeyPrevious: config.rootKeyPrevious,
    },
  })
}

/**
 * On SIGTERM or SIGINT (once, however often they arrive): stop the jobs and new connections, let in-flight
 * requests finish and be audited, then `release` (the last records get a signed digest) and exit. Gives up after 10 s.
 */
function stopOnSignals(logger: Logger, steps: { stopServing(): Promise<void>; release(): Promise<void> }): void {
  let stopping = false
  const shutdown = () => {
    if (stopping) return
    stopping = true
    steps.stopServing()
      .then(() => steps.release())
      .catch((e: unknown) => logger.error({ err: String(e) }, 'shutdown failed'))
      .then(() => process.exit(0))
    setTimeout(() => process.exit(0), 10_000).unref()
  }
  process.on('SIGTERM', shutdown)
  process.on('SIGINT', shutdown)
}

function warnDevSeeding(logger: Logger): void {
  logger.warn({ developmentSwitch: DEV_SEEDING_ENV }, DEV_SEEDING_WARNING)
  process.stderr.write(`\n*** WARNING: ${DEV_SEEDING_WARNING} ***\n\n`)
}

function warnUnaudited(logger: Logger): void {
  const message = 'AUDITING IS OFF (TRENT_BENCH_AUDIT=off): requests leave no audit record. This switch exists only to benchmark the cost of auditing; never run a real server with it.'
  logger.warn({ benchmarkSwitch: 'TRENT_BENCH_AUDIT' }, message)
  process.stderr.write(`\n*** WARNING: ${message} ***\n\n`)
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError) {
    process.stderr.write(`trent: ${e.message}\n`)
    process.exit(2)
  }
  process.stderr.write(`trent: failed to start: ${e instanceof Error ? e.message : String(e)}\n`)
  process.exit(1)
})
