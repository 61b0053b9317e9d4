// The scheduled jobs run in one process at a time: two schedulers on one store (two Trents on one data
// folder) never both destroy and audit the same key, and a released lease passes to the other at once.
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { randomBytes } from 'node:crypto'
import { createHarness, type Harness } from '../../test/support/harness.js'
import { importMaterial } from '../../test/support/import-fixtures.js'
import { DAY_MS, auditRecords, createKey, ok } from '../../test/support/kms-fixtures.js'
import { JOBS_LEASE, jobsLeaseTtlMs, scheduleJobs } from './schedule-jobs.js'

describe('scheduleJobs()', () => {
  let h: Harness
  beforeEach(async () => {
    h = await createHarness()
  })
  afterEach(() => h.close())

  const dueKey = async () => {
    const key = await createKey(h)
    await ok(h, 'ScheduleKeyDeletion', { KeyId: key.keyId, PendingWindowInDays: 7 })
    return key.keyId
  }

  it('audits a due key\'s destruction once when two schedulers start together on one store', async () => {
    await dueKey()
    await dueKey()
    h.clock.advance(7 * DAY_MS + 1)
    const pruned: string[] = []
    const a = scheduleJobs(h.services, async () => { pruned.push('a') }, 60_000)
    const b = scheduleJobs(h.services, async () => { pruned.push('b') }, 60_000)
    await Promise.all([a.stop(), b.stop()])
    assert.equal((await auditRecords(h)).filter((r) => r.eventName === 'DeleteKey').length, 2)
    assert.equal(pruned.length, 1, 'retention ran in one of them only')
  })

  it('runs the import-expiry job under the same lease, once for two schedulers', async () => {
    const key = await createKey(h, { Origin: 'EXTERNAL' })
    await importMaterial(h, key.keyId, randomBytes(32), { extra: { ValidTo: (h.clock.now().getTime() + DAY_MS) / 1000 } })
    h.clock.advance(DAY_MS)
    const a = scheduleJobs(h.services, async () => undefined, 60_000)
    const b = scheduleJobs(h.services, async () => undefined, 60_000)
    await Promise.all([a.stop(), b.stop()])
    assert.equal((await auditRecords(h)).filter((r) => r.eventName === 'DeleteExpiredKeyMaterial').length, 1)
    assert.equal((await h.services.store.getKey(key.keyId))?.keyState, 'PendingImport')
  })

  it('leaves the lease to another holder once stopped, and holds it against others while running', async () => {
    const a = scheduleJobs(h.services, async () => undefined, 60_000)
    await new Promise((r) => setTimeout(r, 20))
    assert.equal(await h.services.store.takeLease(JOBS_LEASE, 'someone-else', h.clock.now(), 1000), false)
    await a.stop()
    assert.equal(await h.services.store.takeLease(JOBS_LEASE, 'someone-else', h.clock.now(), 1000), true)
  })

  it('outlives a holder that died without releasing only by the lease\'s length', () => {
    assert.equal(jobsLeaseTtlMs(60_000), 120_000)
    assert.equal(jobsLeaseTtlMs(1_000), 30_000)
  })
})
