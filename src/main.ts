// Composition root: config → root key → store → first-run bootstrap → server → listen, plus the jobs.
import type { Server } from 'node:http'
import { createServices } from './app.js'
import { benchmarkAuthorizer } from './auth/bench-authorizer.js'
import { bootstrapDefaultAccount } from './auth/bootstrap.js'
import { ConfigError, takeConfig } from './config/config.js'
import { createTrentServer } from './http/server.js'
import type { Services } from './http/services.js'
import { deleteExpiredKeys } from './jobs/delete-expired-keys.js'
import { unauditedLog } from './audit/audit-log.js'
import { loadAuditConfig } from './audit/audit-config.js'
import { openAuditRuntime, type AuditRuntime } from './audit/audit-runtime.js'
import { createPinoLogger, type Logger } from './logging/logger.js'
import { createMetrics } from './observability/metrics.js'
import { loadRootKey } from './rootkey/load-root-key.js'
import { verifyRootKey } from './rootkey/root-key-check.js'
import { hasDatabase, preparePrivateDataDir, securePrivateDatabase } from './store/private-data-dir.js'
import { rewrapLegacyMaterial } from './keys/rewrap-material.js'
import { openSqliteStore } from './store/sqlite/sqlite-store.js'

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
  preparePrivateDataDir(config.dataDir)
  const rootKey = await loadRootKey(config, { databaseExists: hasDatabase(config.dataDir) })
  // Drop the last reference to the TRENT_ROOT_KEY text; a JS string cannot be wiped, only collected.
  delete config.rootKeyBase64
  const dbPath = securePrivateDatabase(config.dataDir)
  const store = await openSqliteStore(dbPath)
  await verifyRootKey(store, rootKey)
  const auditConfig = loadAuditConfig(process.env)
  const logger = createPinoLogger({ level: auditConfig.logLevel })
  // Before serving: material still wrapped in the legacy format gets bound to its key spec and usage.
  await rewrapLegacyMaterial(store, rootKey, logger)
  const audit = await openAuditRuntime(store, dbPath, rootKey, auditConfig, logger)
  if (auditConfig.auditDisabledForBenchmark) warnUnaudited(logger)
  const services = createServices({
    store, rootKey, region: config.region, allowUnsignedTarget: config.allowUnsignedTarget, logger, authorizer: benchmarkAuthorizer(process.env, logger),
    auditSink: audit.sink, auditAppend: audit.append, probeAuditAppend: audit.probeWriter, metrics: createMetrics({ processMetrics: true }),
    auditLog: auditConfig.auditDisabledForBenchmark ? unauditedLog : undefined, cachePollMs: config.cachePollMs,
  })
  audit.start(services.auditLog, services.clock)
  const boot = await bootstrapDefaultAccount(store, rootKey, services.clock.now(), { accountId: config.accountId, credentials: config.bootstrap })
  const server = createTrentServer(services)
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : config.port
  const url = `http://${config.host}:${port}`
  if (boot.created) printCredentialsOnce(config.region, boot.accountId, boot.created, url)
  logger.info({ url, region: config.region, accountId: boot.accountId, dataDir: config.dataDir }, 'trent listening')
  const timer = scheduleJobs(services, audit, config.jobIntervalMs)
  stopOnSignals(server, logger, {
    stopJobs: () => clearInterval(timer),
    async release() {
      await audit.stop().catch((e: unknown) => logger.error({ err: String(e) }, 'final audit digest failed'))
      services.changes.close()
      await services.store.close()
    },
  })
}

/** Runs the scheduled jobs now and every `intervalMs`; a run that outlasts the interval is not overlapped by the next. */
function scheduleJobs(services: Services, audit: AuditRuntime, intervalMs: number): NodeJS.Timeout {
  const { logger } = services
  let running = false
  const runJobs = async () => {
    if (running) return
    running = true
    await deleteExpiredKeys(services).catch((e: unknown) => logger.error({ err: String(e) }, 'deletion job failed'))
    await audit.prune(services.clock.now()).catch((e: unknown) => logger.error({ err: String(e) }, 'audit retention failed'))
    running = false
  }
  void runJobs()
  return setInterval(() => void runJobs(), intervalMs)
}

/**
 * On SIGTERM or SIGINT (once, however often they arrive): stop the jobs and new connections, let in-flight
 * requests finish and be audited, then `release` (the last records get a signed digest) and exit. Gives up after 5 s.
 */
function stopOnSignals(server: Server, logger: Logger, steps: { stopJobs(): void; release(): Promise<void> }): void {
  let stopping = false
  const shutdown = () => {
    if (stopping) return
    stopping = true
    steps.stopJobs()
    server.close(() => void steps.release()
      .catch((e: unknown) => logger.error({ err: String(e) }, 'shutdown failed'))
      .then(() => process.exit(0)))
    server.closeIdleConnections()
    setTimeout(() => process.exit(0), 5000).unref()
  }
  process.on('SIGTERM', shutdown)
  process.on('SIGINT', shutdown)
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
