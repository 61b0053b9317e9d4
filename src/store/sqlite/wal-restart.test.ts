// The audit writer's WAL stays short: the writer's own checkpoints let SQLite start the log over, and the
// background checkpointer copies frames into the database file without the writer checkpointing at all.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { auditRecord } from '../../../test/support/audit-fixtures.js'
import { startAuditWriterThread } from './audit-writer-thread.js'
import { openSqliteDatabase } from './database.js'
import { readVariableLimit } from './multi-row-insert.js'
import { auditAppender } from './sqlite-audit-append.js'
import { keyIdOf, makeKey, makeVersion } from '../contract/fixtures.js'
import { openSqliteStore } from './sqlite-store.js'
import { waitUntil } from '../../../test/e2e/support/wait.js'
import { passiveCheckpoint, truncateWal, walRestarter, type CheckpointResult } from './wal-restart.js'

const MB = 1024 * 1024

function withDatabaseFile(run: (path: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trent-wal-'))
    try {
      await run(join(dir, 'trent.db'))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

/** Appends records `from`..`to` in batches of `batch`, calling `afterCommit` after each. */
function appendBatches(append: ReturnType<typeof auditAppender>, from: number, to: number, batch: number, afterCommit: (n: number) => void): void {
  for (let i = from; i <= to; i += batch) {
    const records = Array.from({ length: Math.min(batch, to - i + 1) }, (_, k) => auditRecord(i + k, { eventID: `e-${i + k}`, requestID: `r-${i + k}` }))
    append(records)
    afterCommit(records.length)
  }
}

describe('walRestarter()', () => {
  it('keeps the log a few MB, where SQLite alone lets it grow to its 10,000-page autocheckpoint', withDatabaseFile(async (path) => {
    const wal = `${path}-wal`
    const db = openSqliteDatabase(path)
    const append = auditAppender(db, readVariableLimit(db))
    // ~4,000 records are well past 10,000 WAL pages in batches of 8.
    appendBatches(append, 1, 2000, 8, () => undefined)
    const unmanaged = statSync(wal).size
    db.pragma('wal_checkpoint(TRUNCATE)')
    const restarter = walRestarter(db, 256)
    appendBatches(append, 2001, 4000, 8, (n) => restarter.afterCommit(n))
    const managed = statSync(wal).size
    db.close()
    assert.ok(unmanaged > 20 * MB, `without it the log reached ${unmanaged} bytes`)
    assert.ok(managed < 8 * MB, `with it the log reached ${managed} bytes`)
  }))

  it('tries again after each commit while a checkpoint falls short', withDatabaseFile(async (path) => {
    const db = openSqliteDatabase(path)
    const append = auditAppender(db, readVariableLimit(db))
    // A reader holding a snapshot keeps the frames after it from being copied.
    const reader = openSqliteDatabase(path)
    appendBatches(append, 1, 4, 4, () => undefined)
    reader.prepare('BEGIN').run()
    reader.prepare('SELECT count(*) FROM audit').get()
    const restarter = walRestarter(db, 8)
    appendBatches(append, 5, 12, 4, (n) => restarter.afterCommit(n))
    const short = passiveCheckpoint(db)
    assert.ok(short.checkpointed < short.log, 'the reader holds frames back')
    reader.prepare('COMMIT').run()
    reader.close()
    // One more commit is below the record threshold on its own, so only the pending retry checkpoints here.
    appendBatches(append, 13, 13, 1, (n) => restarter.afterCommit(n))
    appendBatches(append, 14, 14, 1, () => undefined)
    const after = passiveCheckpoint(db)
    db.close()
    assert.ok(after.log < short.log, `the log started over (${short.log} → ${after.log} frames)`)
  }))
})

describe('walRestarter() on a failing checkpoint', () => {
  it('reports the failure instead of throwing, and tries again after the next commit', withDatabaseFile(async (path) => {
    const db = openSqliteDatabase(path)
    const errors: unknown[] = []
    const restarter = walRestarter(db, 2, (e) => errors.push(e))
    db.close()
    // A closed connection fails the checkpoint the way an I/O error would: it throws, and is not "busy".
    assert.doesNotThrow(() => restarter.afterCommit(2))
    assert.doesNotThrow(() => restarter.afterCommit(1))
    assert.equal(errors.length, 2)
    assert.ok(errors.every((e) => e instanceof Error))
  }))
})

describe('truncateWal()', () => {
  const result = (busy: number): CheckpointResult => ({ busy, log: busy ? 5 : 0, checkpointed: busy ? 3 : 0 })

  it('tries again while the checkpoint lock is held elsewhere, and resolves true once the log is truncated', withDatabaseFile(async (path) => {
    const db = openSqliteDatabase(path)
    const answers = [1, 1, 0]
    let calls = 0
    try {
      assert.equal(await truncateWal(db, { retryMs: 0, run: () => result(answers[calls++] ?? 0) }), true)
      assert.equal(calls, 3)
    } finally {
      db.close()
    }
  }))

  it('stops waiting after its timeout and says so, then keeps trying in the background until a truncation succeeds', withDatabaseFile(async (path) => {
    const db = openSqliteDatabase(path)
    let busy = true
    let calls = 0
    let succeeded = 0
    const run = () => {
      calls++
      if (busy) return result(1)
      succeeded++
      return result(0)
    }
    try {
      assert.equal(await truncateWal(db, { timeoutMs: 20, retryMs: 1, backgroundRetryMs: 5, run }), false)
      // A second timed-out call while one is owed adds no second loop.
      assert.equal(await truncateWal(db, { timeoutMs: 1, retryMs: 1, backgroundRetryMs: 5, run }), false)
      const before = calls
      await waitUntil('the background loop to try again', () => calls > before, { withinMs: 2_000, everyMs: 5 })
      assert.equal(succeeded, 0)
      busy = false
      await waitUntil('the background truncation to succeed', () => succeeded > 0, { withinMs: 2_000, everyMs: 5 })
      const after = calls
      await new Promise((r) => setTimeout(r, 50))
      assert.equal(calls, after, 'the background loop stops once a truncation succeeded')
      assert.equal(succeeded, 1, 'one loop, however many calls timed out')
    } finally {
      db.close()
    }
  }))

  it('ends the background loop when the connection closes', withDatabaseFile(async (path) => {
    const db = openSqliteDatabase(path)
    let calls = 0
    assert.equal(await truncateWal(db, { timeoutMs: 1, retryMs: 1, backgroundRetryMs: 5, run: () => (calls++, result(1)) }), false)
    await new Promise((r) => setTimeout(r, 30))
    assert.ok(calls > 1, `the background loop tried (${calls} calls)`)
    db.close()
    await new Promise((r) => setTimeout(r, 20))
    const after = calls
    await new Promise((r) => setTimeout(r, 50))
    assert.equal(calls, after, 'no tries after close')
  }))

  it('lets destroyKey() leave no copy of the material on disk while the audit writer and the background checkpointer run', withDatabaseFile(async (path) => {
    const store = await openSqliteStore(path)
    // A short interval and frequent own checkpoints keep the checkpoint lock busy: a single TRUNCATE then fails often.
    const writer = await startAuditWriterThread(path, { checkpointIntervalMs: 1, checkpointEveryRecords: 16 })
    const disk = () => Buffer.concat([readFileSync(path), existsSync(`${path}-wal`) ? readFileSync(`${path}-wal`) : Buffer.alloc(0)])
    let sequence = 0
    let pumping = true
    const pump = async () => {
      while (pumping) {
        await writer.append(Array.from({ length: 16 }, () => ++sequence).map((n) => auditRecord(n, { eventID: `e-${n}`, requestID: `r-${n}` })))
      }
    }
    const pumps = [pump(), pump(), pump()]
    const leaked: number[] = []
    try {
      for (let i = 0; i < 20; i++) {
        const material = randomBytes(32)
        const key = makeKey(keyIdOf(100 + i))
        await store.insertKey(key, { ...makeVersion(key.keyId, 1), wrappedMaterial: material }, [])
        await new Promise((r) => setTimeout(r, 10))
        assert.equal(await store.destroyKey(key.keyId), true)
        if (disk().includes(material)) leaked.push(i)
      }
    } finally {
      pumping = false
      await Promise.all(pumps)
      await writer.close()
      await store.close()
    }
    assert.deepEqual(leaked, [])
  }))
})

describe('the background WAL checkpointer', () => {
  it('copies committed frames into the database file while the writer never checkpoints', withDatabaseFile(async (path) => {
    openSqliteDatabase(path).close()
    const before = statSync(path).size
    const writer = await startAuditWriterThread(path, { checkpointEveryRecords: Number.MAX_SAFE_INTEGER, checkpointIntervalMs: 5 })
    try {
      for (let i = 1; i <= 400; i += 20) {
        await writer.append(Array.from({ length: 20 }, (_, k) => auditRecord(i + k, { eventID: `e-${i + k}`, requestID: `r-${i + k}` })))
      }
      // Far below the 10,000-page autocheckpoint: only the background thread copies anything into the file.
      const deadline = Date.now() + 10_000
      while (statSync(path).size <= before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
      assert.ok(statSync(path).size > before, 'the database file grew from checkpointed frames')
    } finally {
      await writer.close()
    }
  }))
})
