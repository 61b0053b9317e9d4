// EnableKey: Disabled → Enabled (a no-op on an Enabled key).
import { requireTogglable } from '../keys/key-state.js'
import type { EnableKeyRequest } from '../wire/types.generated.js'
import { authorizedKey } from './authorized-key.js'
import { defineOperation, type OperationContext } from './operation.js'

async function run(ctx: OperationContext, input: EnableKeyRequest) {
  const key = await authorizedKey(ctx, input.KeyId, 'kms:EnableKey', { allowAlias: false })
  requireTogglable(key)
  if (key.keyState !== 'Enabled') await ctx.store.updateKey({ ...key, keyState: 'Enabled' })
}

export const enableKey = defineOperation({ name: 'EnableKey', auditInput: ['KeyId'], auditOutput: [], readOnly: false, keyScoped: true, run })
