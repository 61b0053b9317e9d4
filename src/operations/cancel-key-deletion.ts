// CancelKeyDeletion: PendingDeletion (or PendingReplicaDeletion) → Disabled, as AWS does; any other state is
// refused by the key-state table with `is not pending deletion.`
import { keyArn } from '../keys/key.js'
import type { CancelKeyDeletionRequest } from '../wire/types.generated.js'
import { authorizedKey } from './authorized-key.js'
import { defineOperation, type OperationContext } from './operation.js'

async function run(ctx: OperationContext, input: CancelKeyDeletionRequest) {
  const key = await authorizedKey(ctx, input.KeyId, 'kms:CancelKeyDeletion', { allowAlias: false })
  const { deletionDate: _d, pendingWindowDays: _p, ...rest } = key
  await ctx.store.updateKey({ ...rest, keyState: 'Disabled' })
  return { KeyId: keyArn(key) }
}

export const cancelKeyDeletion = defineOperation({
  name: 'CancelKeyDeletion', auditInput: ['KeyId'], auditOutput: ['KeyId'], readOnly: false, keyScoped: true, run,
})
