// The audit writer thread: appends extend the same chain the store reads, and once the thread is gone both
// appends and the readiness probe fail rather than hang or pretend.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { auditRecord } from '../../../test/support/audit-fixtures.js'
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
})
