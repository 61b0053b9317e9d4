// DisableKey: Enabled → Disabled; cryptographic operations then fail with DisabledException.
import { requireTogglable } from '../keys/key-state.js'
import type { DisableKeyRequest } from '../wire/types.generated.js'
import { authorizedKey } from './authorized-key.js'
import { defineOperation, type OperationContext } from './operation.js'

async function run(ctx: OperationContext, input: DisableKeyRequest) {
  const key = await authorizedKey(ctx, input.KeyId, 'kms:DisableKey', { allowAlias: false })
  requireTogglable(key)
  if (key.keyState !== 'Disabled') await ctx.store.updateKey({ ...key, keyState: 'Disabled' })
}

export const disableKey = defineOperation({ name: 'DisableKey', auditInput: ['KeyId'], auditOutput: [], readOnly: false, keyScoped: true, run })
