// `trent restore --in FILE --data-dir D2`: loads a backup into a new, empty data directory (or, with
// TRENT_DATABASE_URL, an empty PostgreSQL schema), in one transaction (a failed or killed restore leaves the
// target empty, so it can simply be run again).
// The root key the backup was made under must be configured for D2 (its root.key copied there,
// TRENT_ROOT_KEY_FILE, TRENT_ROOT_KEY, or the PKCS#11 token); none is ever created.
import { existsSync, readdirSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { readBackup, readBackupHeader } from '../../backup/read-backup.js'
import { MissingRootKeyError, openOne } from '../../rootkey/load-root-key.js'
import { RootKeyMismatchError, verifyRootKey } from '../../rootkey/root-key-check.js'
import { configuredRootKeySpec } from '../../rootkey/root-key-spec.js'
import type { RootKey } from '../../rootkey/root-key.js'
import { describeStore, openStore } from '../../store/open-store.js'
import type { SnapshotChunk } from '../../store/snapshot.js'
import { UsageError, type CliIo } from '../admin-args.js'
import type { CliCommand } from '../command.js'
import { custodyConfig, runCustodyVerb } from '../custody-verb.js'
import { progressLine } from '../progress.js'

const USAGE = `usage: trent restore --in FILE --data-dir D2
Restores a backup into an empty data directory, or with TRENT_DATABASE_URL (and TRENT_DATABASE_SCHEMA) into
an empty PostgreSQL schema (D2 then holds only the root key file). Configure the backup's root key for D2 first
(copy root.key into D2 with mode 0600, or set TRENT_ROOT_KEY_FILE / TRENT_ROOT_KEY / TRENT_ROOT_KEY_PROVIDER=pkcs11).
`

async function restore(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, strict: true, options: { 'data-dir': { type: 'string' }, in: { type: 'string' } } })
  const dataDir = values['data-dir'] ?? io.env.TRENT_DATA_DIR
  if (dataDir === undefined || values.in === undefined) throw new UsageError('--in and --data-dir are required')
  if (!existsSync(values.in)) throw new UsageError(`no backup file at ${values.in}`)
  const config = custodyConfig(dataDir, io.env)
  const header = await readBackupHeader(values.in)
  let rootKey: RootKey
  try {
    rootKey = await openOne(configuredRootKeySpec(config), config, false)
  } catch (e) {
    if (!(e instanceof MissingRootKeyError)) throw e
    throw new UsageError(`the backup's root key (${header.rootKeyId}) is not configured for ${config.dataDir}: copy its root.key there (mode 0600) or set TRENT_ROOT_KEY_FILE; no new root key was created`)
  }
  try {
    if (rootKey.id !== header.rootKeyId) {
      throw new RootKeyMismatchError(`the backup was made under root key ${header.rootKeyId}, but ${rootKey.description} is ${rootKey.id}`)
    }
    const leftovers = existsSync(config.dataDir) ? readdirSync(config.dataDir).filter((n) => !/^(root\.key|trent\.db(-wal|-shm)?)$/.test(n)) : []
    if (leftovers.length > 0) throw new UsageError(`${config.dataDir} holds other files (${leftovers.join(', ')}); restore into a new data directory`)
    const { store } = await openStore(config, { mustExist: false })
    try {
      const progress = progressLine('trent restore', io.err)
      let rows = 0
      async function* counted(): AsyncGenerator<SnapshotChunk> {
        for await (const chunk of readBackup(values.in!, rootKey)) {
          rows += chunk.rows.length
          progress.tick(rows)
          yield chunk
        }
      }
      await store.importSnapshot(counted())
      progress.done(rows)
      await verifyRootKey(store, rootKey)
      io.out.write(`${JSON.stringify({ ok: true, dataDir: config.dataDir, store: describeStore(config), backupId: header.backupId, rootKeyId: header.rootKeyId, rows }, null, 2)}\n`)
      return 0
    } finally {
      await store.close()
    }
  } finally {
    await rootKey.close()
  }
}

export const restoreCommand: CliCommand = {
  name: 'restore',
  summary: 'restore a backup into a new, empty data directory',
  run: (args) => runCustodyVerb('restore', USAGE, args, restore),
}
