// loadRootKey(): a root key file is created only for a data folder without a database.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MissingRootKeyError, loadRootKey } from './load-root-key.js'

async function withTempDir(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'trent-loadkey-'))
  try {
    await run(dir)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const aad = new TextEncoder().encode('key:k:1')

test('loadRootKey() refuses a missing root key file when the database exists, naming the file, and writes nothing', () =>
  withTempDir(async (dataDir) => {
    const rootKeyFile = join(dataDir, 'root.key')
    await assert.rejects(loadRootKey({ dataDir, rootKeyFile }, { databaseExists: true }), (err: unknown) => {
      assert.ok(err instanceof MissingRootKeyError)
      assert.ok(err.message.startsWith(`root key file ${rootKeyFile} is missing, but data folder ${dataDir} already holds trent.db`), err.message)
      return true
    })
    assert.equal(existsSync(rootKeyFile), false)
    assert.deepEqual(readdirSync(dataDir), [])
  }))

test('loadRootKey() creates the key file for a new data folder and loads that same key once the database exists', () =>
  withTempDir(async (dataDir) => {
    const rootKeyFile = join(dataDir, 'root.key')
    const first = await loadRootKey({ dataDir, rootKeyFile }, { databaseExists: false })
    assert.ok(existsSync(rootKeyFile))
    const wrapped = await first.wrap(new Uint8Array(32).fill(7), aad)
    const again = await loadRootKey({ dataDir, rootKeyFile }, { databaseExists: true })
    assert.deepEqual(await again.unwrap(wrapped, aad), new Uint8Array(32).fill(7))
  }))

test('loadRootKey() takes TRENT_ROOT_KEY over the file and never touches the file then', () =>
  withTempDir(async (dataDir) => {
    const rootKeyFile = join(dataDir, 'root.key')
    const rootKey = await loadRootKey({ dataDir, rootKeyFile, rootKeyBase64: Buffer.alloc(32, 1).toString('base64') }, { databaseExists: true })
    assert.equal(rootKey.description, 'env:TRENT_ROOT_KEY')
    assert.equal(existsSync(rootKeyFile), false)
  }))

test('loadRootKey() creates the current key beside a database only as a migration target, and never for a read-only command', () =>
  withTempDir(async (dataDir) => {
    const oldKeyFile = join(dataDir, 'old.key')
    const old = await loadRootKey({ dataDir, rootKeyFile: oldKeyFile }, { databaseExists: false })
    const wrapped = await old.wrap(new Uint8Array(32).fill(9), aad)
    const rootKeyFile = join(dataDir, 'new.key')
    const config = { dataDir, rootKeyFile, rootKeyPrevious: `file:${oldKeyFile}` }
    await assert.rejects(loadRootKey(config, { databaseExists: true, readOnly: true }), MissingRootKeyError)
    assert.equal(existsSync(rootKeyFile), false, 'a read-only command created a root key')
    const chain = await loadRootKey(config, { databaseExists: true })
    assert.ok(existsSync(rootKeyFile))
    assert.notEqual(chain.id, old.id)
    assert.deepEqual(await chain.unwrap(wrapped, aad), new Uint8Array(32).fill(9))
  }))
