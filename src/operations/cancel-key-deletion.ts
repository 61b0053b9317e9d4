// CancelKeyDeletion: PendingDeletion (or PendingReplicaDeletion) → Disabled, as AWS does; an imported key whose
// material is missing goes back to PendingImport instead (an enabled key without material could only fail).
// Any other state is refused by the key-state table with `is not pending deletion.`
import { keyArn } from '../keys/key.js'
import type { CancelKeyDeletionRequest } from '../wire/types.generated.js'
import { authorizedKey } from './authorized-key.js'
import { changeKey } from './change-key.js'
import { awaitsImport } from './imported-key.js'
import { defineOperation, type OperationContext } from './operation.js'

async function run(ctx: OperationContext, input: CancelKeyDeletionRequest) {
  const key = await authorizedKey(ctx, input.KeyId, 'kms:CancelKeyDeletion', { allowAlias: false })
  await changeKey(ctx, key, 'CancelKeyDeletion', async (current) => {
    const { deletionDate: _d, pendingWindowDays: _p, ...rest } = current
    return { ...rest, keyState: (await awaitsImport(ctx.store, current)) ? 'PendingImport' : 'Disabled' }
  })
  return { KeyId: keyArn(key) }
}

export const cancelKeyDeletion = defineOperation({
  name: 'CancelKeyDeletion', auditInput: ['KeyId'], auditOutput: ['KeyId'], readOnly: false, keyScoped: true, run,
})
