// The SQLite driver runs the shared store contract in memory, then the checks only a real file can make:
// durability settings, surviving kill -9, and destroyed material leaving no bytes behind.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import Database from 'better-sqlite3'
import { runStoreContract } from '../contract.js'
import { keyIdOf, makeKey, makeVersion } from '../contract/fixtures.js'
import { openSqliteDatabase } from './database.js'
import { dropCrossAccountAliases, migrations } from './migrations.js'
import { openSqliteStore } from './sqlite-store.js'

runStoreContract('sqlite', () => openSqliteStore(':memory:'))

const dir = mkdtempSync(join(tmpdir(), 'trent-sqlite-'))
after(() => rmSync(dir, { recursive: true, force: true }))
let fileCount = 0
const freshPath = () => join(dir, `store-${++fileCount}.db`)

/** The bytes on disk that could still hold data: the main file and the write-ahead log. */
function diskBytes(path: string): Buffer {
  const wal = `${path}-wal`
  return Buffer.concat([readFileSync(path), existsSync(wal) ? readFileSync(wal) : Buffer.alloc(0)])
}

describe('sqlite store on a file', () => {
  it('opens in WAL mode with synchronous FULL, foreign keys and secure delete on', () => {
    const db = openSqliteDatabase(freshPath())
    try {
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal')
      assert.equal(db.pragma('synchronous', { simple: true }), 2)
      assert.equal(db.pragma('foreign_keys', { simple: true }), 1)
      assert.equal(db.pragma('secure_delete', { simple: true }), 1)
      assert.equal(db.pragma('busy_timeout', { simple: true }), 5000)
      assert.equal(db.pragma('user_version', { simple: true }), migrations.length)
    } finally {
      db.close()
    }
  })

  it('reopens an existing file without re-running migrations, keeping its data', async () => {
    const path = freshPath()
    const first = await openSqliteStore(path)
    await first.insertKey(makeKey(keyIdOf(1)), null, [])
    await first.close()
    const second = await openSqliteStore(path)
    try {
      assert.deepEqual(await second.getKey(keyIdOf(1)), makeKey(keyIdOf(1)))
    } finally {
      await second.close()
    }
  })

  it('drops aliases that name another account\'s key, which older versions let CreateAlias make, and keeps the rest', async () => {
    const path = freshPath()
    const step = migrations.indexOf(dropCrossAccountAliases())
    assert.ok(step > 0)
    const raw = new Database(path)
    for (const sql of migrations.slice(0, step)) raw.exec(sql)
    raw.pragma(`user_version = ${step}`)
    const insertKey = raw.prepare(`INSERT INTO keys (key_id, account_id, region, created_at, description, key_spec, key_usage, origin, key_state, policy, current_version, multi_region)
      VALUES (?, ?, 'us-east-1', 0, '', 'SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT', 'AWS_KMS', 'Enabled', '{}', 1, 0)`)
    insertKey.run(keyIdOf(1), '111122223333')
    insertKey.run(keyIdOf(2), '444455556666')
    const insertAlias = raw.prepare(`INSERT INTO aliases (account_id, region, alias_name, key_id, created_at, updated_at) VALUES (?, 'us-east-1', ?, ?, 0, 0)`)
    insertAlias.run('111122223333', 'alias/own', keyIdOf(1))
    insertAlias.run('444455556666', 'alias/foreign', keyIdOf(1))
    insertAlias.run('444455556666', 'alias/own-b', keyIdOf(2))
    raw.close()
    const store = await openSqliteStore(path)
    try {
      assert.ok(await store.getAlias('111122223333', 'us-east-1', 'alias/own'))
      assert.ok(await store.getAlias('444455556666', 'us-east-1', 'alias/own-b'))
      assert.equal(await store.getAlias('444455556666', 'us-east-1', 'alias/foreign'), undefined)
    } finally {
      await store.close()
    }
  })

  it('refuses a database whose schema is newer than this build', () => {
    const path = freshPath()
    const raw = new Database(path)
    raw.pragma(`user_version = ${migrations.length + 1}`)
    raw.close()
    assert.throws(() => openSqliteDatabase(path), /newer than this build/)
  })

  it('keeps a write acknowledged just before the process is killed with SIGKILL', async () => {
    const path = freshPath()
    const key = makeKey(keyIdOf(7), { description: 'survives kill -9' })
    const version = makeVersion(key.keyId, 1, 0x5a)
    const child = spawnSync(process.execPath, [
      '--input-type=module', '-e', CHILD_SCRIPT,
      new URL('./sqlite-store.js', import.meta.url).href, path, JSON.stringify({ key, version: { ...version, wrappedMaterial: [...version.wrappedMaterial] } }),
    ], { encoding: 'utf8', timeout: 30_000 })
    assert.equal(child.stdout, 'ok\n', child.stderr)
    assert.equal(child.signal, 'SIGKILL')
    // The commit must have been left in the WAL, not checkpointed by a clean close, for this to prove recovery.
    assert.ok(statSync(`${path}-wal`).size > 0)
    const store = await openSqliteStore(path)
    try {
      assert.deepEqual(await store.getKey(key.keyId), key)
      assert.deepEqual(new Uint8Array((await store.getKeyVersion(key.keyId, 1))!.wrappedMaterial), version.wrappedMaterial)
    } finally {
      await store.close()
    }
  })

  it('destroyKey() leaves no copy of the wrapped material in the database or WAL files', async () => {
    const path = freshPath()
    const material = randomBytes(32)
    const key = makeKey(keyIdOf(1))
    const store = await openSqliteStore(path)
    try {
      await store.insertKey(makeKey(keyIdOf(2)), makeVersion(keyIdOf(2), 1, 0x11), [])
      await store.insertKey(key, { ...makeVersion(key.keyId, 1), wrappedMaterial: material }, [])
      assert.ok(diskBytes(path).includes(material), 'the pattern must be findable before destruction')
      await store.destroyKey(key.keyId)
      assert.equal(diskBytes(path).includes(material), false)
      const raw = new Database(path)
      raw.pragma('wal_checkpoint(TRUNCATE)')
      raw.close()
      assert.equal(diskBytes(path).includes(material), false)
      assert.ok(await store.getKey(keyIdOf(2)), 'the other key survives')
    } finally {
      await store.close()
    }
  })
})

// Runs in a separate process: insert, acknowledge, then die without any chance to flush or close.
const CHILD_SCRIPT = `
import { writeSync } from 'node:fs'
const [moduleUrl, path, json] = process.argv.slice(1)
const { openSqliteStore } = await import(moduleUrl)
const { key, version } = JSON.parse(json)
key.createdAt = new Date(key.createdAt)
version.createdAt = new Date(version.createdAt)
version.wrappedMaterial = Uint8Array.from(version.wrappedMaterial)
const store = await openSqliteStore(path)
await store.insertKey(key, version, [])
writeSync(1, 'ok\\n')
process.kill(process.pid, 'SIGKILL')
`
