// The real server keeps its data folder private and never replaces a lost root key: a reachable folder is
// refused, trent.db and its -wal/-shm are 0600, and a database without its root.key stops the start unwritten.
import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readdirSync, statSync, unlinkSync } from 'node:fs'
import { join } from 'node:path'
import { kmsClient } from './support/clients.js'
import { StartupFailure, cleanupTrent, makeTempDir, startTrent, useFileRootKey } from './support/server.js'

// The file root key, even under TRENT_E2E_ROOT_KEY_PROVIDER=pkcs11: it tests the root key file.
useFileRootKey()

const T = { timeout: 120_000 }
const modeOf = (path: string) => statSync(path).mode & 0o777

after(cleanupTrent, T)

function missingKeyMessage(dataDir: string): string {
  return `trent: failed to start: root key file ${join(dataDir, 'root.key')} is missing, but data folder ${dataDir} already holds trent.db, ` +
    'whose keys only its original root key can unwrap; restore that file from your backup (or set TRENT_ROOT_KEY to the key). ' +
    'No new root key was created.\n'
}

test('a missing root.key beside an existing trent.db stops the start with exit code 1 and writes no root.key', T, async () => {
  const first = await startTrent()
  const kms = kmsClient(first.url)
  await kms.createKey({})
  kms.destroy()
  await first.stop()
  unlinkSync(join(first.dataDir, 'root.key'))
  const before = readdirSync(first.dataDir).sort()
  await assert.rejects(startTrent({ dataDir: first.dataDir }), (err: unknown) => {
    assert.ok(err instanceof StartupFailure, String(err))
    assert.deepEqual(err.status, { code: 1, signal: null })
    assert.equal(err.stderr, missingKeyMessage(first.dataDir))
    return true
  })
  assert.equal(existsSync(join(first.dataDir, 'root.key')), false)
  assert.deepEqual(readdirSync(first.dataDir).sort(), before)
})

test('a database made with TRENT_ROOT_KEY, started without it, is refused without creating a root.key', T, async () => {
  const first = await startTrent({ env: { TRENT_ROOT_KEY: randomBytes(32).toString('base64') } })
  await first.stop()
  await assert.rejects(startTrent({ dataDir: first.dataDir }), (err: unknown) => {
    assert.ok(err instanceof StartupFailure, String(err))
    assert.deepEqual(err.status, { code: 1, signal: null })
    assert.equal(err.stderr, missingKeyMessage(first.dataDir))
    return true
  })
  assert.equal(existsSync(join(first.dataDir, 'root.key')), false)
})

test('trent.db, trent.db-wal and trent.db-shm are 0600, and a 0644 trent.db is tightened on the next start', T, async () => {
  const first = await startTrent()
  const kms = kmsClient(first.url)
  await kms.createKey({})
  kms.destroy()
  for (const name of ['trent.db', 'trent.db-wal', 'trent.db-shm']) assert.equal(modeOf(join(first.dataDir, name)), 0o600, name)
  await first.stop()
  chmodSync(join(first.dataDir, 'trent.db'), 0o644)
  const second = await startTrent({ dataDir: first.dataDir })
  assert.equal(modeOf(join(first.dataDir, 'trent.db')), 0o600)
  await second.stop()
})

test('an existing data folder that group or others can reach (0755) is refused at startup and left untouched', T, async () => {
  const dataDir = join(makeTempDir(), 'data')
  mkdirSync(dataDir)
  chmodSync(dataDir, 0o755)
  await assert.rejects(startTrent({ dataDir }), (err: unknown) => {
    assert.ok(err instanceof StartupFailure, String(err))
    assert.deepEqual(err.status, { code: 1, signal: null })
    assert.equal(err.stderr, `trent: failed to start: data folder ${dataDir} is accessible to group or others; run: chmod 700 ${dataDir}\n`)
    return true
  })
  assert.equal(modeOf(dataDir), 0o755)
  assert.deepEqual(readdirSync(dataDir), [])
  chmodSync(dataDir, 0o700)
  const server = await startTrent({ dataDir })
  await server.stop()
})
