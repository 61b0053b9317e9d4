// Composition root: config → root key → store → first-run bootstrap → server → listen, plus the jobs.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { createServices } from './app.js'
import { bootstrapDefaultAccount } from './auth/bootstrap.js'
import { ConfigError, loadConfig, type Config } from './config/config.js'
import { createTrentServer } from './http/server.js'
import { deleteExpiredKeys } from './jobs/delete-expired-keys.js'
import { jsonLogger } from './logging/logger.js'
import { rootKeyFromBase64 } from './rootkey/env-root-key.js'
import { loadOrCreateFileRootKey } from './rootkey/file-root-key.js'
import type { RootKey } from './rootkey/root-key.js'
import { openSqliteStore } from './store/sqlite/sqlite-store.js'

async function loadRootKey(config: Config): Promise<RootKey> {
  if (config.rootKeyBase64 !== undefined) return rootKeyFromBase64(config.rootKeyBase64, 'env:TRENT_ROOT_KEY')
  const { rootKey, created } = await loadOrCreateFileRootKey(config.rootKeyFile)
  if (created) jsonLogger.info({ path: config.rootKeyFile }, 'created a new root key (mode 0600); back it up: without it no key can be recovered')
  return rootKey
}

function printCredentialsOnce(region: string, accountId: string, created: { accessKeyId: string; secretAccessKey: string }, url: string): void {
  // Printed to stdout exactly once, on the start that created them; they are never logged or stored in plaintext.
  process.stdout.write(
    '\nTrent created the default account. Save these root credentials now; they will not be shown again.\n' +
      `  AWS_ACCESS_KEY_ID=${created.accessKeyId}\n  AWS_SECRET_ACCESS_KEY=${created.secretAccessKey}\n` +
      `  Account id: ${accountId}\n  Region: ${region}\n  Endpoint: ${url}\n\n`,
  )
}

async function main(): Promise<void> {
  const config = loadConfig(process.argv.slice(2), process.env)
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 })
  const rootKey = await loadRootKey(config)
  const store = await openSqliteStore(join(config.dataDir, 'trent.db'))
  const services = createServices({ store, rootKey, region: config.region })
  const boot = await bootstrapDefaultAccount(store, rootKey, services.clock.now(), { accountId: config.accountId, credentials: config.bootstrap })
  const server = createTrentServer(services)
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : config.port
  const url = `http://${config.host}:${port}`
  if (boot.created) printCredentialsOnce(config.region, boot.accountId, boot.created, url)
  jsonLogger.info({ url, region: config.region, accountId: boot.accountId, dataDir: config.dataDir }, 'trent listening')
  const runJobs = () => deleteExpiredKeys(services).catch((e: unknown) => jsonLogger.error({ err: String(e) }, 'deletion job failed'))
  const timer = setInterval(runJobs, config.jobIntervalMs)
  void runJobs()
  const shutdown = () => {
    clearInterval(timer)
    server.close(() => void store.close().then(() => process.exit(0)))
    setTimeout(() => process.exit(0), 5000).unref()
  }
  process.on('SIGTERM', shutdown)
  process.on('SIGINT', shutdown)
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError) {
    process.stderr.write(`trent: ${e.message}\n`)
    process.exit(2)
  }
  process.stderr.write(`trent: failed to start: ${e instanceof Error ? e.message : String(e)}\n`)
  process.exit(1)
})
