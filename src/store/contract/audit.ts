// Contract: the audit log keeps records whole and in append order.
import assert from 'node:assert/strict'
import { describe } from 'node:test'
import type { AuditRecord } from '../../audit/record.js'
import { makeAudit, storeTest, type OpenStore } from './fixtures.js'

/** The record as appended, without the chain fields the store adds (audit-chain.ts checks those). */
function withoutChain(record: AuditRecord): AuditRecord {
  const { trentSequence: _s, trentPreviousHash: _h, ...rest } = record
  return rest
}

export function describeAudit(open: OpenStore): void {
  const test = storeTest(open)

  describe('audit', () => {
    test('appendAudit() keeps every record field and listAudit() returns them in append order', async (store) => {
      const first = makeAudit('e1', 'Encrypt', '2024-01-01T00:00:02Z')
      // An earlier eventTime appended later must still come later: order is append order, not time.
      const second = { ...makeAudit('e2', 'Decrypt', '2024-01-01T00:00:01Z'), errorCode: 'AccessDeniedException', errorMessage: 'denied' }
      const { userIdentity: _u, ...third } = { ...makeAudit('e3', 'DeleteKey', '2024-01-01T00:00:03.5Z'), eventType: 'AwsServiceEvent' as const }
      await store.appendAudit([first, second])
      await store.appendAudit([third])
      const rows = await store.listAudit(0, 100)
      assert.deepEqual(rows.map((r) => withoutChain(r.record)), [first, second, third])
      assert.ok(rows[0]!.seq > 0 && rows[0]!.seq < rows[1]!.seq && rows[1]!.seq < rows[2]!.seq)
    })

    test('listAudit() pages by sequence number', async (store) => {
      const records = ['a', 'b', 'c', 'd', 'e'].map((id, i) => makeAudit(id, 'GenerateDataKey', `2024-01-01T00:00:0${i}Z`))
      await store.appendAudit(records)
      const first = await store.listAudit(0, 2)
      assert.deepEqual(first.map((r) => r.record.eventID), ['a', 'b'])
      const second = await store.listAudit(first[1]!.seq, 2)
      assert.deepEqual(second.map((r) => r.record.eventID), ['c', 'd'])
      const third = await store.listAudit(second[1]!.seq, 2)
      assert.deepEqual(third.map((r) => r.record.eventID), ['e'])
      assert.deepEqual(await store.listAudit(third[0]!.seq, 2), [])
    })

    test('appendAudit() of no records is a no-op', async (store) => {
      assert.deepEqual(await store.appendAudit([]), [])
      assert.deepEqual(await store.listAudit(0, 10), [])
    })
  })
}
