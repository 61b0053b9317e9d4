// `trent restore --in FILE --data-dir D2`: loads a backup into a new, empty data directory (or, with
// TRENT_DATABASE_URL, an empty PostgreSQL schema), in one transaction (a failed or killed restore leaves the
// target empty, so it can simply be run again).
// The root key the backup was made under must be configured for D2 (its root.key copied there,
// TRENT_ROOT_KEY_FILE, TRENT_ROOT_KEY, or the PKCS#11 token), as the current key or as
// TRENT_ROOT_KEY_PREVIOUS; none is ever created. The backup's root-key check value is proven to open
// before the transaction commits, and a backup of another schema version is refused before anything is written.
import { existsSync, readdirSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { readBackup, readBackupHeader } from '../../backup/read-backup.js'
import { MissingRootKeyError, openOne } from '../../rootkey/load-root-key.js'
import { rootKeyChain } from '../../rootkey/root-key-chain.js'
import { CHECK_SETTING, requireCheckValueOpens, RootKeyMismatchError } from '../../rootkey/root-key-check.js'
import { configuredRootKeySpec, parseRootKeySpec } from '../../rootkey/root-key-spec.js'
import type { RootKey } from '../../rootkey/root-key.js'
import { migrations } from '../../store/sqlite/migrations.js'
import { describeStore, openStore } from '../../store/open-store.js'
import type { SnapshotChunk } from '../../store/snapshot.js'
import { UsageError, type CliIo } from '../admin-args.js'
import type { CliCommand } from '../command.js'
import { custodyConfig, runCustodyVerb } from '../custody-verb.js'
import { progressLine } from '../progress.js'

const USAGE = `usage: trent restore --in FILE --data-dir D2
Restores a backup into an empty data directory, or with TRENT_DATABASE_URL (and TRENT_DATABASE_SCHEMA) into
an empty PostgreSQL schema (D2 then holds only the root key file). Configure the backup's root key for D2 first
(copy root.key into D2 with mode 0600, or set TRENT_ROOT_KEY_FILE / TRENT_ROOT_KEY / TRENT_ROOT_KEY_PROVIDER=pkcs11,
or name it in TRENT_ROOT_KEY_PREVIOUS). The backup must come from this Trent version's schema.
`

async function restore(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, strict: true, options: { 'data-dir': { type: 'string' }, in: { type: 'string' } } })
  const dataDir = values['data-dir'] ?? io.env.TRENT_DATA_DIR
  if (dataDir === undefined || values.in === undefined) throw new UsageError('--in and --data-dir are required')
  if (!existsSync(values.in)) throw new UsageError(`no backup file at ${values.in}`)
  const config = custodyConfig(dataDir, io.env)
  const header = await readBackupHeader(values.in)
  requireSameSchema(header.schemaVersion)
  const keys: RootKey[] = []
  try {
    try {
      keys.push(await openOne(configuredRootKeySpec(config), config, false))
      if (config.rootKeyPrevious !== undefined) keys.push(await openOne(parseRootKeySpec(config.rootKeyPrevious, config), config, false))
    } catch (e) {
      if (!(e instanceof MissingRootKeyError)) throw e
      throw new UsageError(`the backup's root key (${header.rootKeyId}) is not configured for ${config.dataDir}: copy its root.key there (mode 0600) or set TRENT_ROOT_KEY_FILE; no new root key was created`)
    }
    const rootKey = rootKeyChain(keys[0]!, keys.slice(1))
    if (!keys.some((k) => k.id === header.rootKeyId)) {
      throw new RootKeyMismatchError(`the backup was made under root key ${header.rootKeyId}, but ${rootKey.description} is ${keys.map((k) => k.id).join(', ')}`)
    }
    const leftovers = existsSync(config.dataDir) ? readdirSync(config.dataDir).filter((n) => !/^(root\.key|trent\.db(-wal|-shm)?)$/.test(n)) : []
    if (leftovers.length > 0) throw new UsageError(`${config.dataDir} holds other files (${leftovers.join(', ')}); restore into a new data directory`)
    const { store } = await openStore(config, { mustExist: false })
    try {
      const progress = progressLine('trent restore', io.err)
      let rows = 0
      async function* counted(): AsyncGenerator<SnapshotChunk> {
        for await (const chunk of checkedRootKey(readBackup(values.in!, rootKey), rootKey)) {
          rows += chunk.rows.length
          progress.tick(rows)
          yield chunk
        }
      }
      await store.importSnapshot(counted())
      progress.done(rows)
      io.out.write(`${JSON.stringify({ ok: true, dataDir: config.dataDir, store: describeStore(config), backupId: header.backupId, rootKeyId: header.rootKeyId, rows }, null, 2)}\n`)
      return 0
    } finally {
      await store.close()
    }
  } finally {
    for (const key of keys) await key.close()
  }
}

/**
 * A backup restores only into this build's schema: restoring a newer one would drop what this build does not
 * know, and an older one would skip the data steps of the migrations since (docs/backup-restore.md).
 */
function requireSameSchema(schemaVersion: number | undefined): void {
  if (schemaVersion === migrations.length) return
  if (schemaVersion === undefined) {
    throw new UsageError('the backup records no schema version (it was written by an earlier Trent): restore it with the Trent release that wrote it, start a server on it once, then take a new backup')
  }
  const fix = schemaVersion > migrations.length
    ? 'it was written by a newer Trent: restore it with that release or a later one'
    : 'it was written by an older Trent: restore it with that release, start this release on that data directory once (which migrates it), then take a new backup'
  throw new UsageError(`the backup has schema version ${schemaVersion}, this Trent has ${migrations.length}; ${fix}. Nothing was written`)
}

/**
 * `chunks`, failing before the import commits unless the backup's root-key check value (in the settings
 * table, which comes first) opens under `rootKey`: a refused restore then leaves the target empty.
 */
async function* checkedRootKey(chunks: AsyncIterable<SnapshotChunk>, rootKey: RootKey): AsyncGenerator<SnapshotChunk> {
  let checked = false
  for await (const chunk of chunks) {
    if (!checked && chunk.table === 'settings') {
      const name = chunk.columns.indexOf('name')
      const row = chunk.rows.find((r) => r[name] === CHECK_SETTING)
      if (row) {
        await requireCheckValueOpens(row[chunk.columns.indexOf('value')] as string, rootKey)
        checked = true
      }
    }
    if (!checked && chunk.table !== 'settings') throw new RootKeyMismatchError('the backup holds no root-key check value; it cannot be proven to open under the configured root key')
    yield chunk
  }
  if (!checked) throw new RootKeyMismatchError('the backup holds no root-key check value; it cannot be proven to open under the configured root key')
}

export const restoreCommand: CliCommand = {
  name: 'restore',
  summary: 'restore a backup into a new, empty data directory',
  run: (args) => runCustodyVerb('restore', USAGE, args, restore),
}
