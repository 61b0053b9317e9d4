// The data folder and database files are owner-only: a new folder is 0700, a reachable one is refused, and
// trent.db, -wal and -shm are 0600 whatever the umask.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DataDirError, hasDatabase, preparePrivateDataDir, securePrivateDatabase } from './private-data-dir.js'

function withTempDir(run: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'trent-datadir-'))
  try {
    run(dir)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const modeOf = (path: string) => statSync(path).mode & 0o777

test('preparePrivateDataDir() creates a missing data folder, and its missing parents, with mode 0700', () =>
  withTempDir((root) => {
    const dir = join(root, 'a', 'b')
    assert.deepEqual(preparePrivateDataDir(dir), { existed: false })
    assert.equal(modeOf(dir), 0o700)
    assert.deepEqual(preparePrivateDataDir(dir), { existed: true })
  }))

test('preparePrivateDataDir() refuses an existing data folder that group or others can reach, and leaves it as it is', () =>
  withTempDir((root) => {
    const dir = join(root, 'data')
    mkdirSync(dir)
    for (const mode of [0o755, 0o750, 0o701, 0o770, 0o707]) {
      chmodSync(dir, mode)
      assert.throws(() => preparePrivateDataDir(dir), (err: unknown) => {
        assert.ok(err instanceof DataDirError)
        assert.equal(err.message, `data folder ${dir} is accessible to group or others; run: chmod 700 ${dir}`)
        return true
      })
      assert.equal(modeOf(dir), mode)
    }
    chmodSync(dir, 0o700)
    assert.deepEqual(preparePrivateDataDir(dir), { existed: true })
  }))

test('preparePrivateDataDir() refuses a data folder path that is a file', () =>
  withTempDir((root) => {
    const file = join(root, 'data')
    writeFileSync(file, '')
    assert.throws(() => preparePrivateDataDir(file), { name: 'DataDirError', message: `data folder ${file} is not a directory` })
  }))

test('securePrivateDatabase() creates trent.db with mode 0600 even under a permissive umask', () =>
  withTempDir((dir) => {
    const previous = process.umask(0o000)
    try {
      assert.equal(hasDatabase(dir), false)
      const path = securePrivateDatabase(dir)
      assert.equal(path, join(dir, 'trent.db'))
      assert.equal(modeOf(path), 0o600)
      assert.equal(hasDatabase(dir), true)
      assert.deepEqual(readdirSync(dir), ['trent.db'])
    } finally {
      process.umask(previous)
    }
  }))

test('securePrivateDatabase() tightens an existing trent.db, -wal and -shm to 0600 and keeps their bytes', () =>
  withTempDir((dir) => {
    for (const name of ['trent.db', 'trent.db-wal', 'trent.db-shm']) {
      writeFileSync(join(dir, name), name)
      chmodSync(join(dir, name), 0o644)
    }
    securePrivateDatabase(dir)
    for (const name of ['trent.db', 'trent.db-wal', 'trent.db-shm']) {
      assert.equal(modeOf(join(dir, name)), 0o600, name)
      assert.equal(statSync(join(dir, name)).size, name.length)
    }
  }))

test('preparePrivateDataDir() accepts a folder group or others can reach only when told to (TRENT_ALLOW_OPEN_PERMISSIONS), and leaves its mode alone', () => {
  withTempDir((dir) => {
    chmodSync(dir, 0o755)
    assert.throws(() => preparePrivateDataDir(dir), DataDirError)
    assert.deepEqual(preparePrivateDataDir(dir, { allowOpenPermissions: true }), { existed: true })
    assert.equal(modeOf(dir), 0o755)
  })
})
