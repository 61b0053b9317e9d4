// The schedule arithmetic: whole days of 24 h from the date the rotation was due, never drifting by the job's
// interval; one catch-up rotation after a gap; the 20-minute conflict window; which keys may rotate.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { KeyRecord } from './key.js'
import {
  AUTOMATIC_ROTATION_CONFLICT_MS, followingRotationDate, isAutomaticRotationDue, isAutomaticRotationImminent, requireRotatableKeyType,
  rotationDateAfter,
} from './rotation-rules.js'

const at = (iso: string) => new Date(iso)
const key = (overrides: Partial<KeyRecord> = {}): KeyRecord => ({
  keyId: '11111111-2222-4333-8444-555555555555', accountId: '111122223333', region: 'us-east-1', createdAt: at('2024-01-01T00:00:00Z'),
  description: '', keySpec: 'SYMMETRIC_DEFAULT', keyUsage: 'ENCRYPT_DECRYPT', origin: 'AWS_KMS', keyState: 'Enabled', policy: '{}',
  currentVersion: 1, multiRegion: false, ...overrides,
})

describe('rotation schedule arithmetic', () => {
  it('counts a period in days of 24 hours, across leap days and clock changes', () => {
    assert.deepEqual(rotationDateAfter(at('2024-02-28T12:00:00.123Z'), 365), at('2025-02-27T12:00:00.123Z'))
    assert.deepEqual(rotationDateAfter(at('2025-03-01T00:00:00Z'), 90), at('2025-05-30T00:00:00Z'))
    assert.deepEqual(rotationDateAfter(at('2025-01-01T00:00:00Z'), 2560), at('2032-01-05T00:00:00Z'))
  })

  it('moves the next date one period on from the date that was due, whenever within the period the job ran', () => {
    const schedule = { periodDays: 365, nextRotationDate: at('2025-06-01T00:00:00Z') }
    assert.deepEqual(followingRotationDate(schedule, at('2025-06-01T00:00:00Z')), at('2026-06-01T00:00:00Z'))
    assert.deepEqual(followingRotationDate(schedule, at('2025-06-01T00:01:00Z')), at('2026-06-01T00:00:00Z'))
    assert.deepEqual(followingRotationDate(schedule, at('2026-05-31T23:59:59.999Z')), at('2026-06-01T00:00:00Z'))
  })

  it('after a gap longer than a period, counts from the catch-up rotation instead of rotating once per missed period', () => {
    const schedule = { periodDays: 90, nextRotationDate: at('2025-01-01T00:00:00Z') }
    assert.deepEqual(followingRotationDate(schedule, at('2025-04-01T00:00:00Z')), at('2025-06-30T00:00:00Z'))
    assert.deepEqual(followingRotationDate(schedule, at('2025-12-01T00:00:00Z')), at('2026-03-01T00:00:00Z'))
  })

  it('is due only for an Enabled key with rotation on, at or after its date', () => {
    const rotating = key({ rotation: { periodDays: 90, nextRotationDate: at('2025-01-01T00:00:00Z') } })
    assert.equal(isAutomaticRotationDue(rotating, at('2024-12-31T23:59:59.999Z')), false)
    assert.equal(isAutomaticRotationDue(rotating, at('2025-01-01T00:00:00Z')), true)
    assert.equal(isAutomaticRotationDue({ ...rotating, keyState: 'Disabled' }, at('2026-01-01T00:00:00Z')), false)
    assert.equal(isAutomaticRotationDue({ ...rotating, keyState: 'PendingDeletion' }, at('2026-01-01T00:00:00Z')), false)
    assert.equal(isAutomaticRotationDue(key(), at('2026-01-01T00:00:00Z')), false)
  })

  it('counts an automatic rotation within 20 minutes, or overdue, as imminent', () => {
    const due = at('2025-01-01T00:00:00Z')
    const rotating = key({ rotation: { periodDays: 90, nextRotationDate: due } })
    assert.equal(isAutomaticRotationImminent(rotating, new Date(due.getTime() - AUTOMATIC_ROTATION_CONFLICT_MS - 1)), false)
    assert.equal(isAutomaticRotationImminent(rotating, new Date(due.getTime() - AUTOMATIC_ROTATION_CONFLICT_MS)), true)
    assert.equal(isAutomaticRotationImminent(rotating, new Date(due.getTime() + 1)), true)
    assert.equal(isAutomaticRotationImminent(key(), due), false)
  })

  it('lets only symmetric encryption keys rotate', () => {
    requireRotatableKeyType(key())
    assert.throws(() => requireRotatableKeyType(key({ keySpec: 'HMAC_256', keyUsage: 'GENERATE_VERIFY_MAC' })), { name: 'UnsupportedOperationException', message: '' })
    assert.throws(() => requireRotatableKeyType(key({ keySpec: 'RSA_2048', keyUsage: 'ENCRYPT_DECRYPT' })), { name: 'UnsupportedOperationException' })
  })
})
