// EnableKey: Disabled → Enabled (a no-op on an Enabled key).
import type { EnableKeyRequest } from '../wire/types.generated.js'
import { authorizedKey } from './authorized-key.js'
import { defineOperation, type OperationContext } from './operation.js'

async function run(ctx: OperationContext, input: EnableKeyRequest) {
  const key = await authorizedKey(ctx, input.KeyId, 'kms:EnableKey', { allowAlias: false })
  // An Unavailable key (its key store disconnected) stays Unavailable: AWS applies the change once the store
  // is back, and Trent has no store to reconnect, so nothing may make the key look usable.
  if (key.keyState !== 'Enabled' && key.keyState !== 'Unavailable') await ctx.store.updateKey({ ...key, keyState: 'Enabled' })
}

export const enableKey = defineOperation({ name: 'EnableKey', auditInput: ['KeyId'], auditOutput: [], readOnly: false, keyScoped: true, run })
