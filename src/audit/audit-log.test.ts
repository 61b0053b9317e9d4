// Group commit: concurrent records share store writes (batch sizes measured), a failed batch fails all
// of its requests and only those, the sink sees records as stored, and drain() waits for the queue.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { openSqliteStore } from '../store/sqlite/sqlite-store.js'
import { auditRecord } from '../../test/support/audit-fixtures.js'
import { b64, createHarness } from '../../test/support/harness.js'
import { GroupCommitAuditLog, type AuditSink } from './audit-log.js'
import type { ChainedAuditRecord } from './record.js'

describe('GroupCommitAuditLog', () => {
  it('puts records written in the same turn into one store write', async () => {
    const store = await openSqliteStore(':memory:')
    const batches: number[] = []
    const log = new GroupCommitAuditLog(store, { onBatch: (size) => batches.push(size) })
    await Promise.all(Array.from({ length: 300 }, (_, i) => log.write(auditRecord(i))))
    assert.deepEqual(batches, [300])
    assert.equal((await store.auditChainHead()).sequence, 300)
    await store.close()
  })

  for (const pipelined of [false, true]) {
    it(`${pipelined ? 'pipelined: hands the next batch over before the previous one commits' : 'not pipelined: waits for each commit before the next batch'} (a cluster worker's link to the primary)`, async () => {
      const store = await openSqliteStore(':memory:')
      const handedOver: number[] = []
      const commits: (() => void)[] = []
      const log = new GroupCommitAuditLog(store, {
        pipelined,
        append: (records) => {
          handedOver.push(records.length)
          return new Promise((resolve) => commits.push(() => resolve(records.map((r, i) => ({ ...r, trentSequence: i + 1, trentPreviousHash: '0' })))))
        },
      })
      const first = log.write(auditRecord(1))
      await new Promise((r) => setImmediate(r))
      const second = log.write(auditRecord(2))
      await new Promise((r) => setTimeout(r, 20))
      assert.deepEqual(handedOver, pipelined ? [1, 1] : [1])
      commits.shift()!()
      await first
      await new Promise((r) => setTimeout(r, 20))
      assert.deepEqual(handedOver, [1, 1])
      commits.shift()!()
      await second
      await store.close()
    })
  }

  it('pipelined: drain() waits for batches handed over but not yet committed (clean shutdown loses no record)', async () => {
    const store = await openSqliteStore(':memory:')
    const commits: (() => void)[] = []
    const log = new GroupCommitAuditLog(store, {
      pipelined: true,
      append: (records) => new Promise((resolve) => commits.push(() => resolve(records.map((r, i) => ({ ...r, trentSequence: i + 1, trentPreviousHash: '0' }))))),
    })
    let written = false
    const write = log.write(auditRecord(1)).then(() => { written = true })
    await new Promise((r) => setTimeout(r, 20))
    assert.equal(commits.length, 1, 'the batch was handed over')
    let drained = false
    const drain = log.drain().then(() => { drained = true })
    await new Promise((r) => setTimeout(r, 20))
    assert.equal(drained, false, 'drain must not resolve while a handed-over batch is unsettled')
    commits.shift()!()
    await drain
    assert.equal(written, true)
    await write
    await store.close()
  })

  it('splits a large burst at maxBatch', async () => {
    const store = await openSqliteStore(':memory:')
    const batches: number[] = []
    const log = new GroupCommitAuditLog(store, { maxBatch: 100, onBatch: (size) => batches.push(size) })
    await Promise.all(Array.from({ length: 250 }, (_, i) => log.write(auditRecord(i))))
    assert.deepEqual(batches, [100, 100, 50])
    await store.close()
  })

  it('batches the records of concurrent requests through dispatch', async (t) => {
    const h = await createHarness()
    const batches: number[] = []
    h.services.auditLog = new GroupCommitAuditLog(h.services.store, { onBatch: (size) => batches.push(size) })
    const key = (await h.call('CreateKey', {})).body.KeyMetadata as { KeyId: string }
    batches.length = 0
    const results = await Promise.all(Array.from({ length: 64 }, () => h.call('Encrypt', { KeyId: key.KeyId, Plaintext: b64('x') })))
    assert.ok(results.every((r) => r.status === 200))
    assert.equal(batches.reduce((a, b) => a + b, 0), 64)
    assert.ok(batches.length < 64 && Math.max(...batches) > 1, `expected shared batches, got ${JSON.stringify(batches)}`)
    t.diagnostic(`batch sizes for 64 concurrent Encrypt calls: ${JSON.stringify(batches)}`)
    await h.close()
  })

  it('fails every request of a failed batch, and the next batch still commits', async () => {
    const store = await openSqliteStore(':memory:')
    let fail = true
    const failing: AuditSink = {
      write: async () => { if (fail) throw new Error('sink broken') },
      probe: async () => undefined,
      close: async () => undefined,
    }
    const log = new GroupCommitAuditLog(store, { sink: failing })
    const first = await Promise.allSettled([log.write(auditRecord(1)), log.write(auditRecord(2))])
    assert.deepEqual(first.map((r) => r.status), ['rejected', 'rejected'])
    fail = false
    await log.write(auditRecord(3))
    await store.close()
  })

  it('hands the sink the records as stored, with their chain fields', async () => {
    const store = await openSqliteStore(':memory:')
    const seen: ChainedAuditRecord[] = []
    const sink: AuditSink = { write: async (records) => { seen.push(...records) }, probe: async () => undefined, close: async () => undefined }
    const log = new GroupCommitAuditLog(store, { sink })
    await Promise.all([log.write(auditRecord(1)), log.write(auditRecord(2))])
    assert.deepEqual(seen, (await store.listAudit(0, 10)).map((r) => r.record))
    assert.deepEqual(seen.map((r) => r.trentSequence), [1, 2])
    await store.close()
  })

  it('drain() resolves only after queued records are durable', async () => {
    const store = await openSqliteStore(':memory:')
    const log = new GroupCommitAuditLog(store)
    void log.write(auditRecord(1))
    void log.write(auditRecord(2))
    await log.drain()
    assert.equal((await store.auditChainHead()).sequence, 2)
    await store.close()
  })
})
