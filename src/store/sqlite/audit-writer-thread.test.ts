// The audit writer thread: appends extend the same chain the store reads, and once the thread is gone both
// appends and the readiness probe fail rather than hang or pretend.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { storedFormOf } from '../../audit/stored-form.js'
import { auditRecord, onSecondConnection } from '../../../test/support/audit-fixtures.js'
import { startAuditWriterThread } from './audit-writer-thread.js'
import { openSqliteStore } from './sqlite-store.js'

describe('startAuditWriterThread()', () => {
  it('appends through the worker into the shared chain, then refuses appends and probes once it has exited', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trent-writer-'))
    const dbPath = join(dir, 'trent.db')
    const store = await openSqliteStore(dbPath)
    const writer = await startAuditWriterThread(dbPath)
    await writer.probe()
    const stored = await writer.append([auditRecord(1), auditRecord(2)])
    assert.deepEqual(stored.map((r) => [r.eventID, r.trentSequence]), [['event-1', 1], ['event-2', 2]])
    assert.deepEqual((await store.listAudit(0, 10)).map((row) => row.record), stored)
    await writer.close()
    await assert.rejects(writer.probe(), { message: 'audit writer thread exited' })
    await assert.rejects(writer.append([auditRecord(3)]), { message: 'audit writer thread exited' })
    assert.equal((await store.auditChainHead()).sequence, 2)
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('hands back, when asked, the exact text each record was stored and hashed as', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trent-writer-'))
    const dbPath = join(dir, 'trent.db')
    await (await openSqliteStore(dbPath)).close()
    for (const storedForms of [true, false]) {
      const writer = await startAuditWriterThread(dbPath, { storedForms })
      const stored = await writer.append([auditRecord(1, { userAgent: 'é "x"' }), auditRecord(2, { requestParameters: { b: 1, a: 2 } })])
      await writer.close()
      const texts = onSecondConnection(dbPath, (db) => db.prepare('SELECT record_json FROM audit WHERE seq >= ? ORDER BY seq').pluck().all(stored[0]!.trentSequence))
      assert.deepEqual(stored.map(storedFormOf), texts, `storedForms: ${storedForms}`)
    }
    rmSync(dir, { recursive: true, force: true })
  })
})

