// GetKeyLastUsage through dispatch with the ManualClock: which calls count as a use, the in-memory aggregation
// and its one batched flush, the flushed value surviving a restart, and the latest use winning across processes.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { b64, createHarness, type Harness } from '../../test/support/harness.js'
import { addAccount, assertAwsError, createKey, lastAudit, notFoundMessage, ok, type TestKey } from '../../test/support/kms-fixtures.js'
import type { KeyLastUse } from '../keys/last-use.js'
import type { Store } from '../store/store.js'

const HOUR_MS = 3_600_000
/** Far enough out that only the test's own flush() writes. */
const NO_TIMER = { lastUseFlushMs: HOUR_MS }

type Usage = { KeyId: string; KeyLastUsage: Record<string, unknown>; TrackingStartDate: number; KeyCreationDate: number }

async function lastUsage(h: Harness, keyId: string): Promise<Usage> {
  return (await ok(h, 'GetKeyLastUsage', { KeyId: keyId })) as unknown as Usage
}

/** Runs a call that must succeed and returns the use it should leave: its time, request id and audit event id. */
async function used(h: Harness, operation: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await h.call(operation, body)
  assert.equal(res.status, 200, JSON.stringify(res.body))
  const record = await lastAudit(h)
  return { Operation: operation, Timestamp: h.clock.now().getTime() / 1000, CloudTrailEventId: record.eventID, KmsRequestId: res.raw.headers['x-amzn-requestid'] }
}

describe('GetKeyLastUsage', () => {
  let h: Harness
  const batches: KeyLastUse[][] = []
  let key: TestKey
  before(async () => {
    const counting = (s: Store): Store => ({ ...s, recordKeyLastUses: async (uses) => { batches.push([...uses]); await s.recordKeyLastUses(uses) } })
    h = await createHarness({ ...NO_TIMER, wrapStore: counting })
    key = await createKey(h)
  })
  after(() => h.close())

  it('reports an empty KeyLastUsage for an unused key, and its creation date as the tracking start', async () => {
    h.clock.advance(1000)
    const fresh = await createKey(h)
    const usage = await lastUsage(h, fresh.keyId)
    const created = (await ok(h, 'DescribeKey', { KeyId: fresh.keyId }) as { KeyMetadata: { CreationDate: number } }).KeyMetadata.CreationDate
    assert.deepEqual(usage, { KeyId: fresh.keyId, KeyLastUsage: {}, TrackingStartDate: created, KeyCreationDate: created })
  })

  it('reports the last successful cryptographic call at once, from memory, and writes nothing until the flush', async () => {
    h.clock.advance(1000)
    await used(h, 'Encrypt', { KeyId: key.keyId, Plaintext: b64('a') })
    h.clock.advance(1000)
    const expected = await used(h, 'GenerateDataKey', { KeyId: key.keyId, KeySpec: 'AES_256' })
    assert.deepEqual((await lastUsage(h, key.keyId)).KeyLastUsage, expected)
    assert.equal(await h.services.store.getKeyLastUse(key.keyId), undefined, 'no store write on the request path')
    assert.equal(batches.length, 0)
    await h.services.lastUse.flush()
    assert.equal((await h.services.store.getKeyLastUse(key.keyId))?.operation, 'GenerateDataKey')
    assert.deepEqual((await lastUsage(h, key.keyId)).KeyLastUsage, expected)
  })

  it('aggregates many uses of many keys into one entry per key and one batched write', async () => {
    const other = await createKey(h)
    batches.length = 0
    for (let i = 0; i < 50; i++) {
      h.clock.advance(10)
      await used(h, 'Encrypt', { KeyId: i % 2 === 0 ? key.keyId : other.keyId, Plaintext: b64('x') })
    }
    await h.services.lastUse.flush()
    await h.services.lastUse.flush()
    assert.equal(batches.length, 1, 'one write for the interval; an empty flush writes nothing')
    assert.deepEqual(batches[0]!.map((u) => u.keyId).sort(), [key.keyId, other.keyId].sort())
  })

  it('counts only successful calls of the tracked operations', async () => {
    h.clock.advance(1000)
    const expected = await used(h, 'Encrypt', { KeyId: key.keyId, Plaintext: b64('x') })
    h.clock.advance(1000)
    await ok(h, 'DescribeKey', { KeyId: key.keyId })
    await ok(h, 'TagResource', { KeyId: key.keyId, Tags: [{ TagKey: 't', TagValue: 'v' }] })
    assertAwsError(await h.call('Encrypt', { KeyId: key.keyId, Plaintext: b64('x'), DryRun: true }), 'DryRunOperationException', 'The request would have succeeded, but the DryRun option is set.')
    assertAwsError(await h.call('Decrypt', { CiphertextBlob: b64(new Uint8Array(80)) }), 'InvalidCiphertextException', null)
    await ok(h, 'DisableKey', { KeyId: key.keyId })
    assertAwsError(await h.call('Encrypt', { KeyId: key.keyId, Plaintext: b64('x') }), 'DisabledException', `${key.arn} is disabled.`)
    await ok(h, 'EnableKey', { KeyId: key.keyId })
    assert.deepEqual((await lastUsage(h, key.keyId)).KeyLastUsage, expected)
  })

  it('counts ReEncrypt as a use of both keys, and VerifyMac as a use', async () => {
    const destination = await createKey(h)
    const blob = String((await ok(h, 'Encrypt', { KeyId: key.keyId, Plaintext: b64('x') })).CiphertextBlob)
    h.clock.advance(1000)
    const reEncrypted = await used(h, 'ReEncrypt', { CiphertextBlob: blob, DestinationKeyId: destination.keyId })
    assert.deepEqual((await lastUsage(h, key.keyId)).KeyLastUsage, reEncrypted)
    assert.deepEqual((await lastUsage(h, destination.keyId)).KeyLastUsage, reEncrypted)
    const hmac = await createKey(h, { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' })
    h.clock.advance(1000)
    const mac = String((await ok(h, 'GenerateMac', { KeyId: hmac.keyId, Message: b64('m'), MacAlgorithm: 'HMAC_SHA_256' })).Mac)
    h.clock.advance(1000)
    const verified = await used(h, 'VerifyMac', { KeyId: hmac.keyId, Message: b64('m'), MacAlgorithm: 'HMAC_SHA_256', Mac: mac })
    assert.deepEqual((await lastUsage(h, hmac.keyId)).KeyLastUsage, verified)
  })

  it('works in every state (the model lists no state exception), and is itself no use', async () => {
    const k = await createKey(h)
    await ok(h, 'ScheduleKeyDeletion', { KeyId: k.keyId, PendingWindowInDays: 7 })
    assert.deepEqual((await lastUsage(h, k.keyId)).KeyLastUsage, {})
  })

  it('takes a key id or ARN of the caller\'s own account only', async () => {
    assert.equal((await lastUsage(h, key.arn)).KeyId, key.keyId)
    await ok(h, 'CreateAlias', { AliasName: 'alias/usage', TargetKeyId: key.keyId })
    assert.equal((await h.call('GetKeyLastUsage', { KeyId: 'alias/usage' })).body.__type, 'NotFoundException')
    const stranger = await addAccount(h, '444455556666')
    assertAwsError(await h.call('GetKeyLastUsage', { KeyId: key.arn }, stranger), 'NotFoundException', notFoundMessage(key.keyId))
  })

  it('reports the tracking start for a key older than tracking', async () => {
    const record = (await h.services.store.getKey(key.keyId))!
    const old = { ...record, keyId: '0a0a0a0a-1111-4222-8333-944445555666', createdAt: new Date('2025-06-01T00:00:00Z') }
    await h.services.store.insertKey(old, null, [])
    const usage = await lastUsage(h, old.keyId)
    const start = (await h.services.lastUse.trackingStartDate()).getTime() / 1000
    assert.deepEqual([usage.TrackingStartDate, usage.KeyCreationDate], [start, old.createdAt.getTime() / 1000])
    assert.ok(start > usage.KeyCreationDate)
  })
})

describe('GetKeyLastUsage across restarts and processes', () => {
  let dir: string
  before(() => { dir = mkdtempSync(join(tmpdir(), 'trent-last-use-')) })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('keeps the flushed value across a restart (a graceful stop flushes) and keeps the tracking start', async () => {
    const storePath = join(dir, 'restart.db')
    const first = await createHarness({ ...NO_TIMER, storePath })
    const key = await createKey(first)
    first.clock.advance(5000)
    const expected = await used(first, 'Encrypt', { KeyId: key.keyId, Plaintext: b64('x') })
    const start = (await lastUsage(first, key.keyId)).TrackingStartDate
    await first.close()
    const second = await createHarness({ ...NO_TIMER, storePath })
    try {
      second.clock.advance(HOUR_MS)
      const usage = await lastUsage(second, key.keyId)
      assert.deepEqual(usage.KeyLastUsage, expected)
      assert.equal(usage.TrackingStartDate, start)
    } finally {
      await second.close()
    }
  })

  it('shows another process a use only once its owner flushed, and keeps the latest whatever order they flush in', async () => {
    const storePath = join(dir, 'shared.db')
    const a = await createHarness({ ...NO_TIMER, storePath })
    const b = await createHarness({ ...NO_TIMER, storePath })
    try {
      const key = await createKey(a)
      a.clock.advance(2000)
      const later = await used(a, 'Encrypt', { KeyId: key.keyId, Plaintext: b64('x') })
      b.clock.advance(1000)
      await used(b, 'GenerateDataKeyWithoutPlaintext', { KeyId: key.keyId, NumberOfBytes: 16 })
      assert.equal((await a.services.store.getKeyLastUse(key.keyId)), undefined, 'nothing flushed yet')
      await a.services.lastUse.flush()
      await b.services.lastUse.flush()
      assert.deepEqual((await lastUsage(b, key.keyId)).KeyLastUsage, later, "b's older use did not replace a's later one")
    } finally {
      await a.close()
      await b.close()
    }
  })
})
