// DisableKey: Enabled → Disabled; cryptographic operations then fail with DisabledException.
import type { DisableKeyRequest } from '../wire/types.generated.js'
import { authorizedKey } from './authorized-key.js'
import { defineOperation, type OperationContext } from './operation.js'

async function run(ctx: OperationContext, input: DisableKeyRequest) {
  const key = await authorizedKey(ctx, input.KeyId, 'kms:DisableKey', { allowAlias: false })
  // An Unavailable key (its key store disconnected) stays Unavailable: AWS applies the change once the store
  // is back, and Trent has no store to reconnect, so nothing may make the key look usable.
  if (key.keyState !== 'Disabled' && key.keyState !== 'Unavailable') await ctx.store.updateKey({ ...key, keyState: 'Disabled' })
}

export const disableKey = defineOperation({ name: 'DisableKey', auditInput: ['KeyId'], auditOutput: [], readOnly: false, keyScoped: true, run })
