// CancelKeyDeletion: PendingDeletion (or PendingReplicaDeletion) → Disabled, as AWS does; an imported key whose
// material is missing goes back to PendingImport instead (an enabled key without material could only fail).
// Any other state is refused by the key-state table with `is not pending deletion.`
import { keyArn } from '../keys/key.js'
import type { CancelKeyDeletionRequest } from '../wire/types.generated.js'
import { authorizedKey } from './authorized-key.js'
import { awaitsImport } from './imported-key.js'
import { defineOperation, type OperationContext } from './operation.js'

async function run(ctx: OperationContext, input: CancelKeyDeletionRequest) {
  const key = await authorizedKey(ctx, input.KeyId, 'kms:CancelKeyDeletion', { allowAlias: false })
  const { deletionDate: _d, pendingWindowDays: _p, ...rest } = key
  await ctx.store.updateKey({ ...rest, keyState: (await awaitsImport(ctx.store, key)) ? 'PendingImport' : 'Disabled' })
  return { KeyId: keyArn(key) }
}

export const cancelKeyDeletion = defineOperation({
  name: 'CancelKeyDeletion', auditInput: ['KeyId'], auditOutput: ['KeyId'], readOnly: false, keyScoped: true, run,
})
