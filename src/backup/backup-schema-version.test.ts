// A backup records its source's schema version, and restore refuses (writing nothing) a backup of any other
// schema version, or one that records none, instead of loading rows the target's migrations never saw.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { restoreCommand } from '../cli/commands/restore.js'
import { rootKeyFromBase64 } from '../rootkey/env-root-key.js'
import { verifyRootKey } from '../rootkey/root-key-check.js'
import { preparePrivateDataDir, securePrivateDatabase } from '../store/private-data-dir.js'
import { migrations } from '../store/sqlite/migrations.js'
import { openSqliteStore } from '../store/sqlite/sqlite-store.js'
import { decodeHeader, encodeHeader, type BackupHeader } from './backup-format.js'
import { readBackupHeader } from './read-backup.js'
import { writeBackup } from './write-backup.js'

/** The backup at `from` with its header changed by `edit` (the frames after it are kept as they are). */
function withHeader(from: string, to: string, edit: (h: BackupHeader) => BackupHeader): void {
  const bytes = readFileSync(from)
  const { header, length } = decodeHeader(bytes)
  writeFileSync(to, Buffer.concat([encodeHeader(edit(header)), bytes.subarray(length)]))
}

test('a backup records the schema version, and restore refuses another one without writing', async () => {
  const base = mkdtempSync(join(tmpdir(), 'trent-backup-schema-'))
  const keyB64 = randomBytes(32).toString('base64')
  const saved = { ...process.env }
  try {
    const source = join(base, 'source')
    preparePrivateDataDir(source)
    const store = await openSqliteStore(securePrivateDatabase(source))
    const rootKey = rootKeyFromBase64(keyB64, 'test')
    await verifyRootKey(store, rootKey)
    const out = join(base, 'backup.trentbak')
    await writeBackup(store, rootKey, out)
    await store.close()
    assert.equal((await readBackupHeader(out)).schemaVersion, migrations.length)

    process.env.TRENT_ROOT_KEY_PROVIDER = 'env'
    process.env.TRENT_ROOT_KEY = keyB64
    const cases: [string, (h: BackupHeader) => BackupHeader][] = [
      ['newer', (h) => ({ ...h, schemaVersion: migrations.length + 1 })],
      ['older', (h) => ({ ...h, schemaVersion: migrations.length - 1 })],
      ['unrecorded', ({ schemaVersion: _, ...h }) => h],
    ]
    for (const [name, edit] of cases) {
      const file = join(base, `${name}.trentbak`)
      withHeader(out, file, edit)
      const target = join(base, `target-${name}`)
      process.env.TRENT_ROOT_KEY = keyB64
      const code = await restoreCommand.run(['--in', file, '--data-dir', target])
      assert.notEqual(code, 0, `a ${name}-schema backup was restored`)
      assert.equal(existsSync(join(target, 'trent.db')), false, `a refused ${name}-schema restore wrote a database`)
    }
    const target = join(base, 'target-same')
    process.env.TRENT_ROOT_KEY = keyB64
    assert.equal(await restoreCommand.run(['--in', out, '--data-dir', target]), 0)
  } finally {
    process.env = saved
    rmSync(base, { recursive: true, force: true })
  }
})
