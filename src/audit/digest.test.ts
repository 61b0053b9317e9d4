// Digests: what a period says, the signature over its canonical form, and the signing key's life cycle.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { inProcessRootKey } from '../rootkey/root-key.js'
import { openSqliteStore } from '../store/sqlite/sqlite-store.js'
import { ManualClock } from '../config/clock.js'
import { auditRecord } from '../../test/support/audit-fixtures.js'
import { GENESIS_HASH, canonicalHash } from './canonical-json.js'
import { describePeriod, isDigestSignedBy, parsePublicKeyPem, signDigest } from './digest.js'
import { writeAuditDigest } from './digest-writer.js'
import { loadOrCreateAuditSigner, storedAuditPublicKey } from './signing-key.js'

const rootKey = inProcessRootKey(new Uint8Array(32).fill(3), 'test')

describe('audit digests', () => {
  it('describePeriod() covers everything since the previous digest and links to it', () => {
    const first = describePeriod({ previous: undefined, head: { sequence: 3, hash: 'h3', eventTime: 't3' }, firstEventTime: 't1', now: new Date('2026-01-01T01:00:00Z') }, 'fp')
    assert.deepEqual(first, {
      digestVersion: '1', digestSequence: 1, digestTime: '2026-01-01T01:00:00.000Z', firstSequence: 1, lastSequence: 3, recordCount: 3,
      startTime: 't1', endTime: 't3', previousRecordHash: GENESIS_HASH, lastRecordHash: 'h3', previousDigestHash: GENESIS_HASH,
      signingKeyFingerprint: 'fp', signatureAlgorithm: 'Ed25519',
    })
    const signedFirst = { ...first, signature: 'sig' }
    const empty = describePeriod({ previous: signedFirst, head: { sequence: 3, hash: 'h3' }, firstEventTime: undefined, now: new Date('2026-01-01T02:00:00Z') }, 'fp')
    assert.deepEqual([empty.digestSequence, empty.firstSequence, empty.lastSequence, empty.recordCount, empty.startTime, empty.endTime], [2, 4, 3, 0, null, null])
    assert.equal(empty.previousDigestHash, canonicalHash(signedFirst))
    assert.equal(empty.previousRecordHash, 'h3')
  })

  it('a signed digest verifies with its public key and fails once any field changes', async () => {
    const store = await openSqliteStore(':memory:')
    const signer = await loadOrCreateAuditSigner(store, rootKey)
    const key = parsePublicKeyPem(signer.publicKeyPem)
    const digest = signDigest(describePeriod({ previous: undefined, head: { sequence: 0, hash: GENESIS_HASH }, firstEventTime: undefined, now: new Date(0) }, signer.fingerprint), signer)
    assert.equal(isDigestSignedBy(digest, key), true)
    assert.equal(isDigestSignedBy({ ...digest, recordCount: 1 }, key), false)
    assert.equal(isDigestSignedBy({ ...digest, signature: 'AAAA' }, key), false)
    await store.close()
  })

  it('the signing key is created once, stored wrapped, and its public half is readable without the root key', async () => {
    const store = await openSqliteStore(':memory:')
    assert.equal(await storedAuditPublicKey(store), undefined)
    const a = await loadOrCreateAuditSigner(store, rootKey)
    const b = await loadOrCreateAuditSigner(store, rootKey)
    assert.equal(a.fingerprint, b.fingerprint)
    assert.equal(await storedAuditPublicKey(store), a.publicKeyPem)
    const stored = (await store.getSetting('audit-signing-key'))!
    assert.doesNotMatch(stored, /PRIVATE KEY/)
    await assert.rejects(loadOrCreateAuditSigner(store, inProcessRootKey(new Uint8Array(32).fill(4), 'other')))
    await store.close()
  })

  it('writeAuditDigest() covers records appended since the last digest, including their time range', async () => {
    const store = await openSqliteStore(':memory:')
    const signer = await loadOrCreateAuditSigner(store, rootKey)
    const clock = new ManualClock(new Date('2026-02-01T00:00:00Z'))
    await store.appendAudit([auditRecord(1), auditRecord(2)])
    const d1 = (await writeAuditDigest({ store, signer, clock }))!
    await store.appendAudit([auditRecord(3)])
    const d2 = (await writeAuditDigest({ store, signer, clock }))!
    const rows = await store.listAudit(0, 10)
    assert.deepEqual([d1.firstSequence, d1.lastSequence, d1.startTime, d1.endTime], [1, 2, auditRecord(1).eventTime, auditRecord(2).eventTime])
    assert.equal(d1.lastRecordHash, canonicalHash(rows[1]!.record))
    assert.deepEqual([d2.digestSequence, d2.firstSequence, d2.lastSequence, d2.previousRecordHash], [2, 3, 3, d1.lastRecordHash])
    assert.deepEqual(await store.listAuditDigests(0, 10), [d1, d2])
    await store.close()
  })
})
