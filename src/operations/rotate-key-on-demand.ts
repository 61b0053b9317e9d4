// RotateKeyOnDemand: new current material now, whether or not automatic rotation is on, without moving the
// automatic schedule; at most 25 per key; refused (ConflictException) while another on-demand rotation is in
// progress or an automatic one is imminent. As in AWS the rotation is started, then completed: Trent records the
// start durably and completes it before answering; if that completion is cut short, the rotation job finishes it
// (GetKeyRotationStatus shows OnDemandRotationStartDate until then).
import { keyArn } from '../keys/key.js'
import { promotePendingMaterial } from '../keys/pending-material.js'
import { requireRotationMaterial, rotateKeyMaterial } from '../keys/rotate-material.js'
import { ON_DEMAND_ROTATION_LIMIT, isAutomaticRotationImminent, requireRotatableKeyType } from '../keys/rotation-rules.js'
import { StoreLimitError } from '../store/store.js'
import { rotationErrors } from '../wire/messages.js'
import type { RotateKeyOnDemandRequest } from '../wire/types.generated.js'
import { authorizedKey } from './authorized-key.js'
import { defineOperation, type OperationContext } from './operation.js'

async function run(ctx: OperationContext, input: RotateKeyOnDemandRequest) {
  const key = await authorizedKey(ctx, input.KeyId, 'kms:RotateKeyOnDemand', { allowAlias: false })
  requireRotatableKeyType(key)
  ctx.checkKeyState(key)
  const now = ctx.clock.now()
  // An imported key rotates onto the material imported for it as NEW_KEY_MATERIAL (facts §9), in one atomic
  // promotion: nothing to start and complete, and never generated material.
  if (key.origin === 'EXTERNAL') {
    await promotePendingMaterial(ctx.store, key, now)
    return { KeyId: keyArn(key) }
  }
  if (isAutomaticRotationImminent(key, now)) throw rotationErrors.automaticRotationImminent(keyArn(key))
  // Before the start is recorded: a rotation that could get no material must not be left in progress.
  requireRotationMaterial(key)
  let started
  try {
    started = await ctx.store.startOnDemandRotation(key.keyId, now, ON_DEMAND_ROTATION_LIMIT)
  } catch (e) {
    if (e instanceof StoreLimitError) throw rotationErrors.onDemandLimit(keyArn(key))
    throw e
  }
  // 'not-enabled': disabled (or deleted) since our read; the next read answers with that state.
  if (started !== 'started') throw rotationErrors.rotationInProgress(keyArn(key))
  // The start is durable. Should the completion lose its compare-and-set (the key was disabled meanwhile), or fail
  // with a fault (answered KMSInternalException), the rotation job completes the started rotation: never a second.
  await rotateKeyMaterial(ctx, key, { type: 'ON_DEMAND', now, maxOnDemand: ON_DEMAND_ROTATION_LIMIT, onDemandStartedAt: now })
  return { KeyId: keyArn(key) }
}

export const rotateKeyOnDemand = defineOperation({
  name: 'RotateKeyOnDemand', auditInput: ['KeyId'], auditOutput: ['KeyId'], readOnly: false, keyScoped: true, run,
})
