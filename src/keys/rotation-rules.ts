// What AWS allows of rotation (facts §9, §5): which keys may rotate, the period's bounds, the on-demand limit,
// and the schedule arithmetic. Pure: no store, no clock of its own.
import { keyErrors, rotationErrors } from '../wire/messages.js'
import { keyArn, type KeyRecord, type RotationSchedule } from './key.js'

export const ROTATION_PERIOD_DAYS = { min: 90, max: 2560, default: 365 } as const
/** RotateKeyOnDemand's per-key quota in the current model (not adjustable). */
export const ON_DEMAND_ROTATION_LIMIT = 25
/** An on-demand rotation is refused (ConflictException) this close to a due automatic one. */
export const AUTOMATIC_ROTATION_CONFLICT_MS = 20 * 60_000

const DAY_MS = 86_400_000

/** `periodDays` whole days (of 24 h, in UTC) after `from`. */
export function rotationDateAfter(from: Date, periodDays: number): Date {
  return new Date(from.getTime() + periodDays * DAY_MS)
}

/**
 * The next rotation date once the scheduled rotation has run at `now`: one period after the date it was
 * scheduled for, so the schedule does not drift by the job's interval. When that is already past (the key was
 * disabled, or the server down, for longer than a period), one period after `now`: a key that missed
 * rotations rotates once, at once, and then every period (as AWS does on re-enabling a key).
 */
export function followingRotationDate(schedule: RotationSchedule, now: Date): Date {
  const next = rotationDateAfter(schedule.nextRotationDate, schedule.periodDays)
  return next.getTime() > now.getTime() ? next : rotationDateAfter(now, schedule.periodDays)
}

/** Whether the rotation job should rotate `key` at `now`: Enabled, rotation on, and its date reached. */
export function isAutomaticRotationDue(key: KeyRecord, now: Date): boolean {
  return key.keyState === 'Enabled' && key.rotation !== undefined && key.rotation.nextRotationDate.getTime() <= now.getTime()
}

/** Whether an automatic rotation is due within AUTOMATIC_ROTATION_CONFLICT_MS of `now` (or overdue). */
export function isAutomaticRotationImminent(key: KeyRecord, now: Date): boolean {
  return key.rotation !== undefined && key.rotation.nextRotationDate.getTime() - now.getTime() <= AUTOMATIC_ROTATION_CONFLICT_MS
}

/**
 * Only symmetric encryption keys rotate. Throws UnsupportedOperationException (no message, as AWS sends it for
 * RotateKeyOnDemand) for asymmetric and HMAC keys.
 */
export function requireRotatableKeyType(key: KeyRecord): void {
  if (key.keySpec !== 'SYMMETRIC_DEFAULT' || key.keyUsage !== 'ENCRYPT_DECRYPT') throw rotationErrors.keyTypeCannotRotate()
}

/**
 * Automatic rotation is for keys whose material KMS made: not imported (EXTERNAL) material. Throws
 * UnsupportedOperationException `<arn> origin is EXTERNAL which is not valid for this operation.`
 */
export function requireAutomaticRotationOrigin(key: KeyRecord): void {
  if (key.origin !== 'AWS_KMS') throw keyErrors.originNotValid(keyArn(key), key.origin)
}
