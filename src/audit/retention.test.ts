// Retention prunes whole digest periods, never the newest digest, and the rest still verifies.
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { createAuditDir, type AuditDir } from '../../test/support/audit-fixtures.js'
import { parsePublicKeyPem } from './digest.js'
import { verifyStoredLog } from './log-export.js'
import { pruneAuditLog } from './retention.js'
import { storedAuditPublicKey } from './signing-key.js'

const DAY = 86_400_000

describe('pruneAuditLog()', () => {
  let a: AuditDir
  beforeEach(async () => {
    a = await createAuditDir()
    await a.append(1, 5)
    await a.digest()
    a.clock.advance(10 * DAY)
    await a.append(6, 8)
    await a.digest()
    a.clock.advance(10 * DAY)
    await a.append(9, 9)
    await a.digest()
    await a.append(10, 11)
  })
  afterEach(() => a.cleanup())

  it('removes the periods whose digests are older than the window and leaves a log that verifies from the oldest kept digest', async () => {
    assert.deepEqual(await pruneAuditLog(a.store, a.clock.now(), 15), { records: 5, digests: 1 })
    assert.deepEqual((await a.store.listAudit(0, 100)).map((r) => r.seq), [6, 7, 8, 9, 10, 11])
    const report = await verifyStoredLog(a.store, parsePublicKeyPem((await storedAuditPublicKey(a.store))!))
    assert.deepEqual({ ok: report.ok, first: report.firstSequence, digests: report.digests, problems: report.problems }, { ok: true, first: 6, digests: 2, problems: [] })
  })

  it('never prunes the newest digest, however old it is', async () => {
    assert.deepEqual(await pruneAuditLog(a.store, new Date(a.clock.now().getTime() + 365 * DAY), 1), { records: 8, digests: 2 })
    assert.deepEqual((await a.store.listAuditDigests(0, 10)).map((d) => d.digestSequence), [3])
    const report = await verifyStoredLog(a.store, parsePublicKeyPem((await storedAuditPublicKey(a.store))!))
    assert.equal(report.ok, true, JSON.stringify(report.problems))
  })

  it('prunes nothing while every digest is inside the window', async () => {
    assert.deepEqual(await pruneAuditLog(a.store, a.clock.now(), 30), { records: 0, digests: 0 })
  })
})
