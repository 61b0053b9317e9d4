// RotateKeyOnDemand: new current material now, whether or not automatic rotation is on, without moving the
// automatic schedule; at most 25 per key; refused (ConflictException) when an automatic rotation is imminent.
import { keyArn } from '../keys/key.js'
import { requireEnabled } from '../keys/key-state.js'
import { rotateKeyMaterial } from '../keys/rotate-material.js'
import { ON_DEMAND_ROTATION_LIMIT, isAutomaticRotationImminent, requireRotatableKeyType } from '../keys/rotation-rules.js'
import { StoreLimitError } from '../store/store.js'
import { rotationErrors } from '../wire/messages.js'
import type { RotateKeyOnDemandRequest } from '../wire/types.generated.js'
import { authorizedKey } from './authorized-key.js'
import { defineOperation, type OperationContext } from './operation.js'

async function run(ctx: OperationContext, input: RotateKeyOnDemandRequest) {
  const key = await authorizedKey(ctx, input.KeyId, 'kms:RotateKeyOnDemand', { allowAlias: false })
  requireRotatableKeyType(key)
  requireEnabled(key)
  const now = ctx.clock.now()
  if (isAutomaticRotationImminent(key, now)) throw rotationErrors.automaticRotationImminent(keyArn(key))
  let rotated
  try {
    rotated = await rotateKeyMaterial(ctx, key, { type: 'ON_DEMAND', now, maxOnDemand: ON_DEMAND_ROTATION_LIMIT })
  } catch (e) {
    if (e instanceof StoreLimitError) throw rotationErrors.onDemandLimit(keyArn(key))
    throw e
  }
  // The key changed between our read and the write: another rotation (the job's, or a concurrent call) won.
  if (!rotated) throw rotationErrors.automaticRotationImminent(keyArn(key))
  return { KeyId: keyArn(key) }
}

export const rotateKeyOnDemand = defineOperation({
  name: 'RotateKeyOnDemand', auditInput: ['KeyId'], auditOutput: ['KeyId'], readOnly: false, keyScoped: true, run,
})
