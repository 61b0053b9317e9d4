// The file root key provider: creation with mode 0600, reload, and refusal of unsafe or malformed files.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { chmod, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadOrCreateFileRootKey } from './file-root-key.js'

const aad = new TextEncoder().encode('key:k:1')
const material = new Uint8Array(32).fill(3)

async function withTempDir(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'trent-rootkey-'))
  try {
    await run(dir)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

test('loadOrCreateFileRootKey() creates a 0600 file of base64 and a reload unwraps what the first wrapped', () =>
  withTempDir(async (dir) => {
    const path = join(dir, 'nested', 'root.key')
    const first = await loadOrCreateFileRootKey(path)
    assert.equal(first.created, true)
    assert.equal(first.rootKey.description, `file:${path}`)
    assert.equal((await stat(path)).mode & 0o777, 0o600)
    assert.match(await readFile(path, 'utf8'), /^[A-Za-z0-9+/]{43}=\n$/)
    assert.deepEqual(await readdir(join(dir, 'nested')), ['root.key'])
    const wrapped = await first.rootKey.wrap(material, aad)
    const second = await loadOrCreateFileRootKey(path)
    assert.equal(second.created, false)
    assert.deepEqual(await second.rootKey.unwrap(wrapped, aad), material)
  }))

test('loadOrCreateFileRootKey() called concurrently creates one key that every caller shares', () =>
  withTempDir(async (dir) => {
    const path = join(dir, 'root.key')
    const results = await Promise.all([1, 2, 3, 4].map(() => loadOrCreateFileRootKey(path)))
    assert.equal(results.filter((r) => r.created).length, 1)
    const wrapped = await results[0]!.rootKey.wrap(material, aad)
    for (const r of results) assert.deepEqual(await r.rootKey.unwrap(wrapped, aad), material)
    assert.deepEqual(await readdir(dir), ['root.key'])
  }))

test('loadOrCreateFileRootKey() refuses a file readable by group or others and names the fix', () =>
  withTempDir(async (dir) => {
    const path = join(dir, 'root.key')
    await loadOrCreateFileRootKey(path)
    for (const mode of [0o644, 0o640, 0o604, 0o660]) {
      await chmod(path, mode)
      await assert.rejects(loadOrCreateFileRootKey(path), (err: Error) => err.message.includes(path) && err.message.includes('chmod 600'))
    }
    await chmod(path, 0o400)
    assert.equal((await loadOrCreateFileRootKey(path)).created, false)
  }))

test('loadOrCreateFileRootKey() refuses content that is not base64 of exactly 32 bytes', () =>
  withTempDir(async (dir) => {
    const path = join(dir, 'root.key')
    for (const content of [Buffer.alloc(31).toString('base64'), Buffer.alloc(33).toString('base64'), 'not base64', '', Buffer.alloc(32).toString('hex')]) {
      await writeFile(path, `${content}\n`, { mode: 0o600 })
      await assert.rejects(loadOrCreateFileRootKey(path), (err: Error) => err.message.includes(path) && err.message.includes('32 bytes'))
    }
  }))

test('loadOrCreateFileRootKey() refuses a directory at the key path', () =>
  withTempDir(async (dir) => {
    await chmod(dir, 0o700)
    await assert.rejects(loadOrCreateFileRootKey(dir), /not a regular file/)
  }))

test('a group-readable root key file loads only when told to (TRENT_ALLOW_OPEN_PERMISSIONS)', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'root.key')
    await loadOrCreateFileRootKey(path)
    await chmod(path, 0o640)
    await assert.rejects(loadOrCreateFileRootKey(path), /accessible to group or others/)
    const { rootKey, created } = await loadOrCreateFileRootKey(path, true)
    assert.equal(created, false)
    assert.ok(rootKey)
    assert.equal((await stat(path)).mode & 0o777, 0o640)
  })
})
