// The primary's audit hub: batches from several workers that arrive together share one writer call (one
// commit), each caller gets its own records back in order, and a failed write fails every caller in it.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { AuditRecord, ChainedAuditRecord } from '../audit/record.js'
import { createAuditHub } from './audit-hub.js'

const record = (id: string) => ({ eventID: id }) as unknown as AuditRecord

function countingWriter(fail = false) {
  const calls: string[][] = []
  let seq = 0
  return {
    calls,
    append: async (records: AuditRecord[]): Promise<ChainedAuditRecord[]> => {
      calls.push(records.map((r) => r.eventID))
      await new Promise((r) => setTimeout(r, 5))
      if (fail) throw new Error('disk full')
      return records.map((r) => ({ ...r, trentSequence: ++seq, trentPreviousHash: `h${seq - 1}` }))
    },
  }
}

describe('audit hub', () => {
  it('merges batches submitted together into one write and hands each its own stored records', async () => {
    const writer = countingWriter()
    const hub = createAuditHub({ append: writer.append })
    const [a, b] = await Promise.all([hub.append([record('a1'), record('a2')]), hub.append([record('b1')])])
    assert.deepEqual(writer.calls, [['a1', 'a2', 'b1']])
    assert.deepEqual(a.map((r) => [r.eventID, r.trentSequence]), [['a1', 1], ['a2', 2]])
    assert.deepEqual(b.map((r) => [r.eventID, r.trentSequence]), [['b1', 3]])
  })

  it('collects what arrives during a write into the next write', async () => {
    const writer = countingWriter()
    const hub = createAuditHub({ append: writer.append })
    const first = hub.append([record('1')])
    await new Promise((r) => setTimeout(r, 2))
    await Promise.all([first, hub.append([record('2')]), hub.append([record('3')])])
    assert.deepEqual(writer.calls, [['1'], ['2', '3']])
  })

  it('writes the sink before answering, and fails every caller of a failed write', async () => {
    const sunk: string[] = []
    const ok = createAuditHub({ append: countingWriter().append, sink: { write: async (rs) => { sunk.push(...rs.map((r) => r.eventID)) }, probe: async () => {}, close: async () => {} } })
    await ok.append([record('x')])
    assert.deepEqual(sunk, ['x'])
    const failing = createAuditHub({ append: countingWriter(true).append })
    const results = await Promise.allSettled([failing.append([record('a')]), failing.append([record('b')])])
    assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected'])
  })
})
