// CancelKeyDeletion: PendingDeletion → Disabled, as AWS does.
import { keyArn } from '../keys/key.js'
import { keyErrors } from '../wire/messages.js'
import type { CancelKeyDeletionRequest } from '../wire/types.generated.js'
import { authorizedKey } from './authorized-key.js'
import { defineOperation, type OperationContext } from './operation.js'

async function run(ctx: OperationContext, input: CancelKeyDeletionRequest) {
  const key = await authorizedKey(ctx, input.KeyId, 'kms:CancelKeyDeletion', { allowAlias: false })
  if (key.keyState !== 'PendingDeletion') throw keyErrors.notPendingDeletion(keyArn(key))
  const { deletionDate: _d, pendingWindowDays: _p, ...rest } = key
  await ctx.store.updateKey({ ...rest, keyState: 'Disabled' })
  return { KeyId: keyArn(key) }
}

export const cancelKeyDeletion = defineOperation({
  name: 'CancelKeyDeletion', auditInput: ['KeyId'], auditOutput: ['KeyId'], readOnly: false, keyScoped: true, run,
})
