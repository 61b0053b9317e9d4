// EnableKeyRotation: automatic rotation every RotationPeriodInDays (default 365), the first one period from now;
// on a key already rotating, a new period re-times the schedule from its last anchor, the same period changes nothing.
import type { KeyRecord, RotationSchedule } from '../keys/key.js'
import { ROTATION_PERIOD_DAYS, requireAutomaticRotationOrigin, requireNotReplica, requireRotatableKeyType, rotationDateAfter } from '../keys/rotation-rules.js'
import type { EnableKeyRotationRequest } from '../wire/types.generated.js'
import { authorizedKey } from './authorized-key.js'
import { defineOperation, type OperationContext } from './operation.js'
import { announcedForKey } from '../peers/notify-peers.js'

/**
 * The schedule after enabling with `periodDays` at `now`. A changed period counts from the date the current
 * schedule started (enable date or last automatic rotation); if that lands in the past, the job rotates at once.
 */
export function enabledSchedule(key: KeyRecord, periodDays: number, now: Date): RotationSchedule {
  const current = key.rotation
  if (!current) return { periodDays, nextRotationDate: rotationDateAfter(now, periodDays) }
  if (current.periodDays === periodDays) return current
  const anchor = rotationDateAfter(current.nextRotationDate, -current.periodDays)
  const next = rotationDateAfter(anchor, periodDays)
  return { periodDays, nextRotationDate: next.getTime() > now.getTime() ? next : now }
}

async function run(ctx: OperationContext, input: EnableKeyRotationRequest) {
  // The model bounds the period (90..2560); an omitted one is the default, and policies see it as such.
  const periodDays = input.RotationPeriodInDays ?? ROTATION_PERIOD_DAYS.default
  const key = await authorizedKey(ctx, input.KeyId, 'kms:EnableKeyRotation', {
    allowAlias: false, conditions: { 'kms:RotationPeriodInDays': periodDays },
  })
  requireRotatableKeyType(key)
  requireNotReplica(key)
  requireAutomaticRotationOrigin(key)
  ctx.checkKeyState(key)
  const schedule = enabledSchedule(key, periodDays, ctx.clock.now())
  if (schedule === key.rotation) return
  // The schedule is shared by the set, so its peers hear of it (announced: before and after it is stored).
  await announcedForKey(ctx, ctx.clock.now(), key, () => ctx.store.setKeyRotation(key.keyId, schedule))
}

export const enableKeyRotation = defineOperation({
  name: 'EnableKeyRotation', auditInput: ['KeyId', 'RotationPeriodInDays'], auditOutput: [], readOnly: false, keyScoped: true, run,
})
