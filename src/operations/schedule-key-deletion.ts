// ScheduleKeyDeletion: PendingDeletion for 7..30 days; the deletion job destroys the key afterwards.
import { keyArn } from '../keys/key.js'
import { constraints, requestErrors } from '../wire/messages.js'
import type { ScheduleKeyDeletionRequest } from '../wire/types.generated.js'
import { authorizedKey } from './authorized-key.js'
import { defineOperation, type OperationContext } from './operation.js'

const DAY_MS = 86_400_000

async function run(ctx: OperationContext, input: ScheduleKeyDeletionRequest) {
  const days = input.PendingWindowInDays ?? 30
  // The model allows 1..365; the service itself accepts only 7..30.
  if (days < 7 || days > 30) {
    throw requestErrors.numberOutOfRange('pendingWindowInDays', days, days < 7 ? constraints.minValue(7) : constraints.maxValue(30))
  }
  const key = await authorizedKey(ctx, input.KeyId, 'kms:ScheduleKeyDeletion', {
    allowAlias: false, conditions: { 'kms:ScheduleKeyDeletionPendingWindowInDays': days },
  })
  const deletionDate = new Date(ctx.clock.now().getTime() + days * DAY_MS)
  await ctx.store.updateKey({ ...key, keyState: 'PendingDeletion', deletionDate, pendingWindowDays: days })
  // A key pending deletion can do no crypto, so nothing needs its plaintext or parsed forms until a
  // CancelKeyDeletion (which unwraps again on first use): drop them now rather than when the job runs.
  await ctx.keyring.forget(key.keyId)
  return { KeyId: keyArn(key), DeletionDate: deletionDate, KeyState: 'PendingDeletion' as const, PendingWindowInDays: days }
}

export const scheduleKeyDeletion = defineOperation({
  name: 'ScheduleKeyDeletion', auditInput: ['KeyId', 'PendingWindowInDays'], auditOutput: ['KeyId', 'DeletionDate', 'KeyState', 'PendingWindowInDays'],
  readOnly: false, keyScoped: true, run,
})
