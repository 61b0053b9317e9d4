// Contract: the audit chain (sequence and previous hash assigned at append), account-scoped lookup by
// every LookupEvents attribute, digests, pruning and the writability probe.
import assert from 'node:assert/strict'
import { describe } from 'node:test'
import { GENESIS_HASH, canonicalHash } from '../../audit/canonical-json.js'
import type { AuditDigest } from '../../audit/digest.js'
import type { AuditRecord } from '../../audit/record.js'
import { StoreConflictError } from '../store.js'
import { ACCOUNT, REGION, keyIdOf, makeAudit, makeKey, storeTest, type OpenStore } from './fixtures.js'

const OTHER = '444455556666'

function at(second: number): string {
  return new Date(Date.UTC(2024, 0, 1, 0, 0, second)).toISOString()
}

function digest(sequence: number, lastSequence: number): AuditDigest {
  return {
    digestVersion: '1', digestSequence: sequence, digestTime: at(59), firstSequence: 1, lastSequence, recordCount: lastSequence,
    startTime: null, endTime: null, previousRecordHash: GENESIS_HASH, lastRecordHash: GENESIS_HASH, previousDigestHash: GENESIS_HASH,
    signingKeyFingerprint: 'f'.repeat(64), signatureAlgorithm: 'Ed25519', signature: 'c2ln',
  }
}

/** Ten records over two accounts with varied names, users, keys and read-only flags, one second apart. */
function sample(): AuditRecord[] {
  return Array.from({ length: 10 }, (_, i) => {
    const r = makeAudit(`e${i}`, i % 2 === 0 ? 'Encrypt' : 'DescribeKey', at(i))
    const account = i < 8 ? ACCOUNT : OTHER
    const key = keyIdOf(i % 3)
    return {
      ...r, readOnly: i % 2 === 1, recipientAccountId: account,
      eventSource: i === 4 ? ('cloudtrail.amazonaws.com' as const) : ('kms.amazonaws.com' as const),
      userIdentity: { ...r.userIdentity!, accountId: account, accessKeyId: i < 3 ? 'AKIAFIRST' : 'AKIASECOND', ...(i === 5 ? { type: 'IAMUser', userName: 'alice' } : {}) },
      resources: [{ ARN: `arn:aws:kms:${REGION}:${account}:key/${key}`, accountId: account, type: 'AWS::KMS::Key' as const }],
    }
  })
}

export function describeAuditChain(open: OpenStore): void {
  const test = storeTest(open)

  describe('audit chain', () => {
    test('appendAudit() numbers records from 1 and links each to the canonical hash of the one before', async (store) => {
      const stored = await store.appendAudit([makeAudit('a', 'Encrypt', at(1)), makeAudit('b', 'Decrypt', at(2))])
      const more = await store.appendAudit([makeAudit('c', 'Encrypt', at(3))])
      const chain = [...stored, ...more]
      assert.deepEqual(chain.map((r) => r.trentSequence), [1, 2, 3])
      assert.equal(chain[0]!.trentPreviousHash, GENESIS_HASH)
      assert.equal(chain[1]!.trentPreviousHash, canonicalHash(chain[0]))
      assert.equal(chain[2]!.trentPreviousHash, canonicalHash(chain[1]))
      assert.deepEqual((await store.listAudit(0, 10)).map((r) => r.record), chain)
      assert.deepEqual(await store.auditChainHead(), { sequence: 3, hash: canonicalHash(chain[2]), eventTime: at(3) })
    })

    test('auditChainHead() of an empty log is sequence 0 at the genesis hash', async (store) => {
      assert.deepEqual(await store.auditChainHead(), { sequence: 0, hash: GENESIS_HASH })
    })

    test('concurrent appendAudit() calls still build one linear chain', async (store) => {
      await Promise.all(Array.from({ length: 20 }, (_, i) => store.appendAudit([makeAudit(`x${i}`, 'Encrypt', at(i)), makeAudit(`y${i}`, 'Encrypt', at(i))])))
      const rows = await store.listAudit(0, 100)
      assert.equal(rows.length, 40)
      rows.forEach((row, i) => {
        assert.equal(row.record.trentSequence, i + 1)
        assert.equal(row.record.trentPreviousHash, i === 0 ? GENESIS_HASH : canonicalHash(rows[i - 1]!.record))
      })
    })

    test('lookupAudit() returns only the account\'s records, newest first, by each attribute', async (store) => {
      await store.appendAudit(sample())
      const ids = async (attribute?: { key: 'EventName' | 'ResourceName' | 'Username' | 'AccessKeyId' | 'EventId' | 'ReadOnly' | 'EventSource'; value: string }) =>
        (await store.lookupAudit({ accountId: ACCOUNT, attribute, limit: 50 })).map((r) => r.record.eventID)
      assert.deepEqual(await ids(), ['e7', 'e6', 'e5', 'e4', 'e3', 'e2', 'e1', 'e0'])
      assert.deepEqual(await ids({ key: 'EventName', value: 'DescribeKey' }), ['e7', 'e5', 'e3', 'e1'])
      assert.deepEqual(await ids({ key: 'ReadOnly', value: 'false' }), ['e6', 'e4', 'e2', 'e0'])
      assert.deepEqual(await ids({ key: 'AccessKeyId', value: 'AKIAFIRST' }), ['e2', 'e1', 'e0'])
      assert.deepEqual(await ids({ key: 'Username', value: 'alice' }), ['e5'])
      assert.deepEqual(await ids({ key: 'Username', value: 'root' }), ['e7', 'e6', 'e4', 'e3', 'e2', 'e1', 'e0'])
      assert.deepEqual(await ids({ key: 'EventId', value: 'e3' }), ['e3'])
      assert.deepEqual(await ids({ key: 'EventId', value: 'e9' }), [], 'another account\'s event is invisible')
      assert.deepEqual(await ids({ key: 'EventSource', value: 'cloudtrail.amazonaws.com' }), ['e4'])
      assert.deepEqual(await ids({ key: 'ResourceName', value: `arn:aws:kms:${REGION}:${ACCOUNT}:key/${keyIdOf(1)}` }), ['e7', 'e4', 'e1'])
      assert.deepEqual((await store.lookupAudit({ accountId: OTHER, limit: 50 })).map((r) => r.record.eventID), ['e9', 'e8'])
    })

    test('lookupAudit() honours inclusive time bounds and resumes strictly before a page boundary', async (store) => {
      await store.appendAudit(sample())
      const bounded = await store.lookupAudit({ accountId: ACCOUNT, start: new Date(at(2)), end: new Date(at(4)), limit: 50 })
      assert.deepEqual(bounded.map((r) => r.record.eventID), ['e4', 'e3', 'e2'])
      const first = await store.lookupAudit({ accountId: ACCOUNT, limit: 3 })
      assert.deepEqual(first.map((r) => r.record.eventID), ['e7', 'e6', 'e5'])
      const last = first[2]!
      const next = await store.lookupAudit({ accountId: ACCOUNT, before: { eventTime: last.eventTime, sequence: last.sequence }, limit: 3 })
      assert.deepEqual(next.map((r) => r.record.eventID), ['e4', 'e3', 'e2'])
    })

    test('lookupAudit() pages through records that share one eventTime without losing or repeating any', async (store) => {
      await store.appendAudit(['p', 'q', 'r', 's', 't'].map((id) => makeAudit(id, 'Encrypt', at(5))))
      const seen: string[] = []
      let before: { eventTime: number; sequence: number } | undefined
      for (;;) {
        const page = await store.lookupAudit({ accountId: ACCOUNT, before, limit: 2 })
        if (page.length === 0) break
        seen.push(...page.map((r) => r.record.eventID))
        before = { eventTime: page[page.length - 1]!.eventTime, sequence: page[page.length - 1]!.sequence }
      }
      assert.deepEqual(seen, ['t', 's', 'r', 'q', 'p'])
    })

    test('digests are stored whole, listed in order, and a second digest with the same sequence conflicts', async (store) => {
      assert.equal(await store.latestAuditDigest(), undefined)
      await store.insertAuditDigest(digest(1, 3))
      await store.insertAuditDigest(digest(2, 5))
      assert.deepEqual(await store.latestAuditDigest(), digest(2, 5))
      assert.deepEqual(await store.listAuditDigests(0, 10), [digest(1, 3), digest(2, 5)])
      assert.deepEqual(await store.listAuditDigests(1, 10), [digest(2, 5)])
      await assert.rejects(store.insertAuditDigest(digest(2, 6)), StoreConflictError)
    })

    test('pruneAudit() removes records and digests up to the given sequences, and lookups no longer see them', async (store) => {
      await store.appendAudit(sample())
      await store.insertAuditDigest(digest(1, 4))
      await store.insertAuditDigest(digest(2, 10))
      assert.deepEqual(await store.pruneAudit(4, 1), { records: 4, digests: 1 })
      assert.deepEqual((await store.listAudit(0, 100)).map((r) => r.seq), [5, 6, 7, 8, 9, 10])
      assert.deepEqual((await store.listAuditDigests(0, 10)).map((d) => d.digestSequence), [2])
      assert.deepEqual((await store.lookupAudit({ accountId: ACCOUNT, attribute: { key: 'ResourceName', value: `arn:aws:kms:${REGION}:${ACCOUNT}:key/${keyIdOf(1)}` }, limit: 50 })).map((r) => r.record.eventID), ['e7', 'e4'])
      const [next] = await store.appendAudit([makeAudit('after', 'Encrypt', at(30))])
      assert.equal(next!.trentSequence, 11, 'pruning never rewinds the chain')
    })

    test('probeAuditWritable() succeeds on a healthy store and leaves no record behind', async (store) => {
      await store.probeAuditWritable()
      assert.deepEqual(await store.listAudit(0, 10), [])
      assert.deepEqual(await store.auditChainHead(), { sequence: 0, hash: GENESIS_HASH })
    })

    test('countKeysByState() counts keys in each state', async (store) => {
      await store.insertKey(makeKey(keyIdOf(1)), null, [])
      await store.insertKey(makeKey(keyIdOf(2)), null, [])
      await store.insertKey(makeKey(keyIdOf(3), { keyState: 'Disabled' }), null, [])
      assert.deepEqual(await store.countKeysByState(), { Enabled: 2, Disabled: 1 })
    })
  })
}
