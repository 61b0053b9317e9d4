// Red team: a backup taken while a root-key migration is under way (TRENT_ROOT_KEY_PREVIOUS set, `trent rootkey
// migrate` not yet finished) names only the current root key in its header, yet its rows (here the root-key
// check value, which the migration rewraps last) are still wrapped by the previous one. `trent restore` with the
// root key the header names then commits every row and only afterwards fails its root-key check: the restore is
// refused, yet the target is left non-empty (so it cannot simply be run again, contrary to docs/backup-restore.md).
// Either the backup must refuse (or record every root key it needs), or the restore must leave the target empty.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { writeBackup } from './write-backup.js'
import { restoreCommand } from '../cli/commands/restore.js'
import { rootKeyFromBase64 } from '../rootkey/env-root-key.js'
import { rootKeyChain } from '../rootkey/root-key-chain.js'
import { verifyRootKey } from '../rootkey/root-key-check.js'
import { preparePrivateDataDir, securePrivateDatabase } from '../store/private-data-dir.js'
import { openSqliteStore } from '../store/sqlite/sqlite-store.js'

function rowCount(dataDir: string): number {
  const db = new Database(join(dataDir, 'trent.db'), { readonly: true })
  try {
    return (db.prepare('SELECT count(*) AS n FROM settings').get() as { n: number }).n
  } finally {
    db.close()
  }
}

test('a backup made mid root-key migration restores with the root key it names, or a refused restore leaves the target empty', async () => {
  const base = mkdtempSync(join(tmpdir(), 'trent-redteam-backup-'))
  const previousB64 = randomBytes(32).toString('base64')
  const currentB64 = randomBytes(32).toString('base64')
  const saved = { ...process.env }
  try {
    // The source data directory, created under the previous root key.
    const source = join(base, 'source')
    preparePrivateDataDir(source)
    const store = await openSqliteStore(securePrivateDatabase(source))
    const previous = rootKeyFromBase64(previousB64, 'previous')
    await verifyRootKey(store, previous)
    // The operator starts a migration: the server (and the backup verb) now run with current + previous.
    const chain = rootKeyChain(rootKeyFromBase64(currentB64, 'current'), [previous])
    await verifyRootKey(store, chain) // what `trent backup` checks: it passes
    const out = join(base, 'backup.trentbak')
    const summary = await writeBackup(store, chain, out)
    await store.close()
    assert.equal(summary.rootKeyId, chain.id, 'the header names only the current root key')

    // Restore with the root key the backup names, as docs/backup-restore.md says.
    const target = join(base, 'target')
    process.env.TRENT_ROOT_KEY_PROVIDER = 'env'
    process.env.TRENT_ROOT_KEY = currentB64
    delete process.env.TRENT_ROOT_KEY_PREVIOUS
    const code = await restoreCommand.run(['--in', out, '--data-dir', target])
    const leftRows = readdirSync(target).includes('trent.db') ? rowCount(target) : 0
    assert.ok(code === 0 || leftRows === 0,
      `restore exited ${code} (refused) but left ${leftRows} settings rows in the target: it cannot be run again`)
    assert.equal(code, 0, 'a backup that `trent backup` accepted must restore with the root key its header names')
  } finally {
    process.env = saved
    rmSync(base, { recursive: true, force: true })
  }
})
