// DisableKeyRotation: no more automatic rotations; material already rotated stays for decryption.
import { requireAutomaticRotationOrigin, requireNotReplica, requireRotatableKeyType } from '../keys/rotation-rules.js'
import type { DisableKeyRotationRequest } from '../wire/types.generated.js'
import { authorizedKey } from './authorized-key.js'
import { defineOperation, type OperationContext } from './operation.js'
import { announcedForKey } from '../peers/notify-peers.js'

async function run(ctx: OperationContext, input: DisableKeyRotationRequest) {
  const key = await authorizedKey(ctx, input.KeyId, 'kms:DisableKeyRotation', { allowAlias: false })
  requireRotatableKeyType(key)
  requireNotReplica(key)
  requireAutomaticRotationOrigin(key)
  ctx.checkKeyState(key)
  if (!key.rotation) return
  // The schedule is shared by the set, so its peers hear of it (announced: before and after it is cleared).
  await announcedForKey(ctx, ctx.clock.now(), key, () => ctx.store.setKeyRotation(key.keyId, null))
}

export const disableKeyRotation = defineOperation({
  name: 'DisableKeyRotation', auditInput: ['KeyId'], auditOutput: [], readOnly: false, keyScoped: true, run,
})
