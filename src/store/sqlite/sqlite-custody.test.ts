// SQLite-specific custody behaviour: a file store's snapshot is one consistent read while writes go on
// (through the same store and through another connection), and every table is either in snapshots or
// named transient, so a table added by a later migration cannot silently miss the backups.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openSqliteDatabase } from './database.js'
import { keyIdOf, makeKey, makeVersion } from '../contract/fixtures.js'
import { SNAPSHOT_TABLES, TRANSIENT_TABLES } from '../snapshot.js'
import { openSqliteStore } from './sqlite-store.js'

test('every SQLite table is either snapshotted or transient', () => {
  const db = openSqliteDatabase(':memory:')
  try {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name)
    assert.deepEqual(tables, [...SNAPSHOT_TABLES, ...TRANSIENT_TABLES].sort())
  } finally {
    db.close()
  }
})

test('a file store\'s snapshot is fixed at its start: writes made while it is read are not in it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'trent-snapshot-'))
  try {
    const path = join(dir, 'trent.db')
    const store = await openSqliteStore(path)
    for (let n = 1; n <= 1500; n++) {
      const key = makeKey(keyIdOf(n))
      await store.insertKey(key, makeVersion(key.keyId, 1), [])
    }
    const other = await openSqliteStore(path)
    const seen = new Map<string, number>()
    let wroteDuring = false
    for await (const chunk of store.exportSnapshot()) {
      seen.set(chunk.table, (seen.get(chunk.table) ?? 0) + chunk.rows.length)
      if (!wroteDuring && chunk.table === 'keys') {
        // Part-way through the keys table: one write through the exporting store, one through another connection.
        wroteDuring = true
        for (const [s, n] of [[store, 5001], [other, 5002]] as const) {
          const key = makeKey(keyIdOf(n))
          await s.insertKey(key, makeVersion(key.keyId, 1), [{ tagKey: 'late', tagValue: 'yes' }])
        }
      }
    }
    assert.equal(wroteDuring, true)
    assert.equal(seen.get('keys'), 1500)
    assert.equal(seen.get('key_versions'), 1500)
    assert.equal(seen.get('tags') ?? 0, 0)
    let after = 0
    for await (const chunk of store.exportSnapshot()) if (chunk.table === 'keys') after += chunk.rows.length
    assert.equal(after, 1502)
    await other.close()
    await store.close()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
