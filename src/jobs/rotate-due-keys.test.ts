// The rotation job on a fake clock: five yearly rotations with a thousand ciphertexts from every year all
// decrypting, one audited RotateKey service event per rotation, disabled and pending-deletion keys left alone,
// and a crash on either side of the rotation's one store write (neither a lost nor a doubled rotation).
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { b64, createHarness, type Harness } from '../../test/support/harness.js'
import { DAY_MS, auditRecords, createKey, ok } from '../../test/support/kms-fixtures.js'
import { currentMaterialId, externalKey, listRotations, rotationStatus } from '../../test/support/rotation-fixtures.js'
import type { Store } from '../store/store.js'
import { rotateDueKeys } from './rotate-due-keys.js'
import { scheduleJobs } from './schedule-jobs.js'

/** Runs `count` calls of `one`, `width` at a time (the audit writer batches concurrent requests). */
async function inBatches<T>(count: number, width: number, one: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = []
  for (let i = 0; i < count; i += width) out.push(...await Promise.all(Array.from({ length: Math.min(width, count - i) }, (_, j) => one(i + j))))
  return out
}

const rotateKeyEvents = async (h: Harness) => (await auditRecords(h)).filter((r) => r.eventName === 'RotateKey')

describe('rotateDueKeys()', () => {
  let h: Harness
  beforeEach(async () => {
    h = await createHarness()
  })
  afterEach(() => h.close())

  it('rotates a key yearly for five years; a thousand ciphertexts from every year all decrypt with their own material', async () => {
    const key = await createKey(h)
    await ok(h, 'EnableKeyRotation', { KeyId: key.keyId })
    const enabledAt = h.clock.now().getTime()
    const years: { material: string; blobs: string[] }[] = []
    for (let year = 0; year < 5; year++) {
      const material = await currentMaterialId(h, key.keyId)
      const blobs = await inBatches(1000, 250, async (i) => (await ok(h, 'Encrypt', {
        KeyId: key.keyId, Plaintext: b64(`year ${year} secret ${i}`), EncryptionContext: { year: String(year) },
      })).CiphertextBlob as string)
      years.push({ material, blobs })
      h.clock.advance(365 * DAY_MS - 1)
      assert.deepEqual(await rotateDueKeys(h.services), [], 'not one millisecond early')
      h.clock.advance(1)
      assert.deepEqual(await rotateDueKeys(h.services), [key.keyId])
      assert.deepEqual(await rotateDueKeys(h.services), [], 'a second run the same instant rotates nothing')
      assert.equal((await rotationStatus(h, key.keyId)).NextRotationDate, (enabledAt + (year + 2) * 365 * DAY_MS) / 1000)
    }
    const materials = new Set([...years.map((y) => y.material), await currentMaterialId(h, key.keyId)])
    assert.equal(materials.size, 6, 'five rotations, six distinct materials')
    for (const [year, { material, blobs }] of years.entries()) {
      const opened = await inBatches(blobs.length, 250, (i) => ok(h, 'Decrypt', { CiphertextBlob: blobs[i], EncryptionContext: { year: String(year) } }))
      for (const [i, reply] of opened.entries()) {
        assert.equal(reply.Plaintext, b64(`year ${year} secret ${i}`))
        assert.equal(reply.KeyMaterialId, material)
      }
    }
    const rotations = await listRotations(h, key.keyId)
    assert.deepEqual(rotations.map((r) => r.RotationType), Array(5).fill('AUTOMATIC'))
    assert.deepEqual(rotations.map((r) => r.RotationDate), [1, 2, 3, 4, 5].map((n) => (enabledAt + n * 365 * DAY_MS) / 1000))
  })

  it('writes one RotateKey service event per rotation, naming the key and its new material', async () => {
    const key = await createKey(h)
    const idle = await createKey(h)
    await ok(h, 'EnableKeyRotation', { KeyId: key.keyId, RotationPeriodInDays: 90 })
    await ok(h, 'EnableKeyRotation', { KeyId: idle.keyId, RotationPeriodInDays: 91 })
    h.clock.advance(90 * DAY_MS)
    assert.deepEqual(await rotateDueKeys(h.services), [key.keyId])
    const [event, ...more] = await rotateKeyEvents(h)
    assert.deepEqual(more, [])
    assert.equal(event!.eventType, 'AwsServiceEvent')
    assert.equal(event!.eventTime, h.clock.now().toISOString())
    assert.equal(event!.userIdentity, undefined)
    assert.deepEqual(event!.resources, [{ ARN: key.arn, accountId: key.arn.split(':')[4], type: 'AWS::KMS::Key' }])
    assert.deepEqual(event!.additionalEventData, { keyMaterialId: await currentMaterialId(h, key.keyId), rotationType: 'AUTOMATIC' })
  })

  it('leaves a disabled key alone; re-enabled after its date, it rotates on the next run and then every period', async () => {
    const key = await createKey(h)
    await ok(h, 'EnableKeyRotation', { KeyId: key.keyId, RotationPeriodInDays: 100 })
    await ok(h, 'DisableKey', { KeyId: key.keyId })
    h.clock.advance(250 * DAY_MS)
    assert.deepEqual(await rotateDueKeys(h.services), [])
    assert.deepEqual(await listRotations(h, key.keyId), [])
    await ok(h, 'EnableKey', { KeyId: key.keyId })
    assert.deepEqual(await rotateDueKeys(h.services), [key.keyId])
    assert.equal((await rotationStatus(h, key.keyId)).NextRotationDate, h.clock.now().getTime() / 1000 + 100 * 86_400)
    assert.equal((await listRotations(h, key.keyId)).length, 1, 'one catch-up rotation, not one per missed period')
  })

  it('re-enabled before its date, a disabled key keeps its schedule', async () => {
    const key = await createKey(h)
    await ok(h, 'EnableKeyRotation', { KeyId: key.keyId, RotationPeriodInDays: 100 })
    const scheduled = await rotationStatus(h, key.keyId)
    await ok(h, 'DisableKey', { KeyId: key.keyId })
    h.clock.advance(50 * DAY_MS)
    await ok(h, 'EnableKey', { KeyId: key.keyId })
    assert.deepEqual(await rotateDueKeys(h.services), [])
    assert.deepEqual(await rotationStatus(h, key.keyId), scheduled)
  })

  it('never rotates a key pending deletion; cancelled, it is disabled, and once enabled it rotates if overdue', async () => {
    const key = await createKey(h)
    await ok(h, 'EnableKeyRotation', { KeyId: key.keyId, RotationPeriodInDays: 90 })
    await ok(h, 'ScheduleKeyDeletion', { KeyId: key.keyId, PendingWindowInDays: 30 })
    h.clock.advance(95 * DAY_MS)
    assert.deepEqual(await rotateDueKeys(h.services), [])
    await ok(h, 'CancelKeyDeletion', { KeyId: key.keyId })
    assert.deepEqual(await rotateDueKeys(h.services), [])
    await ok(h, 'EnableKey', { KeyId: key.keyId })
    assert.deepEqual(await rotateDueKeys(h.services), [key.keyId])
  })

  it('writes no rotation when its audit record cannot be written', async () => {
    const key = await createKey(h)
    await ok(h, 'EnableKeyRotation', { KeyId: key.keyId, RotationPeriodInDays: 90 })
    const before = await currentMaterialId(h, key.keyId)
    h.clock.advance(90 * DAY_MS)
    const failing = { ...h.services, auditLog: { write: () => Promise.reject(new Error('disk full')) } }
    await assert.rejects(rotateDueKeys(failing), /disk full/)
    assert.equal(await currentMaterialId(h, key.keyId), before)
    assert.deepEqual(await rotateDueKeys(h.services), [key.keyId])
  })

  it('skips a due key of another origin (which cannot rotate automatically) and rotates the rest', async () => {
    const key = await createKey(h)
    await ok(h, 'EnableKeyRotation', { KeyId: key.keyId, RotationPeriodInDays: 90 })
    const external = await externalKey(h)
    await h.services.store.setKeyRotation(external.keyId, { periodDays: 90, nextRotationDate: h.clock.now() })
    h.clock.advance(90 * DAY_MS)
    assert.deepEqual(await rotateDueKeys(h.services), [key.keyId])
    assert.deepEqual(await rotateDueKeys(h.services), [])
  })

  it('rotates each due key once when two schedulers share the store (the jobs lease)', async () => {
    const keys = [await createKey(h), await createKey(h)]
    for (const key of keys) await ok(h, 'EnableKeyRotation', { KeyId: key.keyId, RotationPeriodInDays: 90 })
    h.clock.advance(90 * DAY_MS)
    const a = scheduleJobs(h.services, async () => undefined, 60_000)
    const b = scheduleJobs(h.services, async () => undefined, 60_000)
    await Promise.all([a.stop(), b.stop()])
    assert.equal((await rotateKeyEvents(h)).length, 2)
    for (const key of keys) assert.equal((await listRotations(h, key.keyId)).length, 1)
  })
})

describe('a restart in the middle of the rotation job', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'trent-rotation-crash-'))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  /** A harness over the file, whose store's rotateKey `dies` (throws, as a killed process never returns) per `mode`. */
  const open = (mode: 'before-write' | 'after-write' | 'none') => createHarness({
    storePath: join(dir, 'trent.db'),
    wrapStore: (store: Store): Store => mode === 'none' ? store : {
      ...store,
      async rotateKey(write) {
        if (mode === 'before-write') throw new Error('killed before the rotation write')
        await store.rotateKey(write)
        throw new Error('killed after the rotation write committed')
      },
    },
  })

  for (const mode of ['before-write', 'after-write'] as const) {
    it(`${mode === 'before-write' ? 'before' : 'after'} the rotation's store write: the next run leaves exactly one rotation`, async () => {
      const first = await open(mode)
      const key = await createKey(first)
      await ok(first, 'EnableKeyRotation', { KeyId: key.keyId, RotationPeriodInDays: 90 })
      const blob = (await ok(first, 'Encrypt', { KeyId: key.keyId, Plaintext: b64('kept') })).CiphertextBlob
      first.clock.advance(90 * DAY_MS)
      const crashedAt = first.clock.now()
      await assert.rejects(rotateDueKeys(first.services), /killed/)
      await first.close()

      const second = await open('none')
      try {
        second.clock.set(new Date(crashedAt.getTime() + 60_000))
        const expected = mode === 'before-write' ? [key.keyId] : []
        assert.deepEqual(await rotateDueKeys(second.services), expected, 'the restarted job finishes what the crash left')
        assert.deepEqual(await rotateDueKeys(second.services), [])
        const rotations = await listRotations(second, key.keyId)
        assert.equal(rotations.length, 1)
        assert.equal(rotations[0]!.KeyMaterialState, 'CURRENT')
        assert.equal(rotations[0]!.KeyMaterialId, await currentMaterialId(second, key.keyId))
        // The schedule moved exactly once, from the date that was due.
        assert.equal((await rotationStatus(second, key.keyId)).NextRotationDate, (crashedAt.getTime() + 90 * DAY_MS) / 1000)
        assert.equal((await ok(second, 'Decrypt', { CiphertextBlob: blob })).Plaintext, b64('kept'))
        const fresh = (await ok(second, 'Encrypt', { KeyId: key.keyId, Plaintext: b64('new') })).CiphertextBlob
        assert.equal((await ok(second, 'Decrypt', { CiphertextBlob: fresh })).KeyMaterialId, rotations[0]!.KeyMaterialId)
      } finally {
        await second.close()
      }
    })
  }
})

describe('an on-demand rotation cut short between its start and its completion', () => {
  let h: Harness
  let failNext = false
  beforeEach(async () => {
    failNext = false
    h = await createHarness({
      wrapStore: (store: Store): Store => ({
        ...store,
        async rotateKey(write) {
          if (failNext) {
            failNext = false
            throw new Error('killed before completing the on-demand rotation')
          }
          return store.rotateKey(write)
        },
      }),
    })
  })
  afterEach(() => h.close())

  it('shows OnDemandRotationStartDate, refuses another start, and the job completes it once, leaving the schedule', async () => {
    const key = await createKey(h)
    await ok(h, 'EnableKeyRotation', { KeyId: key.keyId, RotationPeriodInDays: 365 })
    const scheduled = await rotationStatus(h, key.keyId)
    const before = await currentMaterialId(h, key.keyId)
    failNext = true
    const startedAt = h.clock.now().getTime() / 1000
    const cut = await h.call('RotateKeyOnDemand', { KeyId: key.keyId })
    assert.equal(cut.status, 500)
    assert.equal(cut.body.__type, 'KMSInternalException')
    assert.deepEqual(await rotationStatus(h, key.keyId), { ...scheduled, OnDemandRotationStartDate: startedAt })
    const again = await h.call('RotateKeyOnDemand', { KeyId: key.keyId })
    assert.equal(again.body.__type, 'ConflictException')
    assert.equal(again.body.message, `An on-demand rotation of ${key.arn} is already in progress. Try again once it has completed.`)
    assert.equal(await currentMaterialId(h, key.keyId), before)

    h.clock.advance(60_000)
    assert.deepEqual(await rotateDueKeys(h.services), [key.keyId])
    assert.deepEqual(await rotateDueKeys(h.services), [])
    assert.deepEqual(await rotationStatus(h, key.keyId), scheduled)
    const rotations = await listRotations(h, key.keyId)
    assert.deepEqual(rotations.map((r) => [r.RotationType, r.RotationDate]), [['ON_DEMAND', h.clock.now().getTime() / 1000]])
    assert.equal(rotations[0]!.KeyMaterialId, await currentMaterialId(h, key.keyId))
    const [event, ...more] = await rotateKeyEvents(h)
    assert.deepEqual(more, [])
    assert.deepEqual(event!.additionalEventData, { keyMaterialId: rotations[0]!.KeyMaterialId, rotationType: 'ON_DEMAND' })
    await ok(h, 'RotateKeyOnDemand', { KeyId: key.keyId })
    assert.equal((await listRotations(h, key.keyId)).length, 2)
  })
})
