// GetKeyRotationStatus: whether automatic rotation is on, its period and next date. A key pending deletion
// reads false (its schedule is kept, and comes back on CancelKeyDeletion). Reading never rotates anything.
import { keyArn } from '../keys/key.js'
import { requireAutomaticRotationOrigin, requireRotatableKeyType } from '../keys/rotation-rules.js'
import type { GetKeyRotationStatusRequest, GetKeyRotationStatusResponse } from '../wire/types.generated.js'
import { authorizedKey } from './authorized-key.js'
import { defineOperation, type OperationContext } from './operation.js'

async function run(ctx: OperationContext, input: GetKeyRotationStatusRequest): Promise<GetKeyRotationStatusResponse> {
  const key = await authorizedKey(ctx, input.KeyId, 'kms:GetKeyRotationStatus', { allowAlias: false })
  requireRotatableKeyType(key)
  // A key waiting for material is an EXTERNAL one: AWS answers with the origin rule (facts §5).
  if (key.keyState === 'PendingImport') requireAutomaticRotationOrigin(key)
  ctx.checkKeyState(key)
  const pendingDeletion = key.keyState === 'PendingDeletion' || key.keyState === 'PendingReplicaDeletion'
  const schedule = pendingDeletion ? undefined : key.rotation
  const status: GetKeyRotationStatusResponse = schedule
    ? { KeyId: keyArn(key), KeyRotationEnabled: true, RotationPeriodInDays: schedule.periodDays, NextRotationDate: schedule.nextRotationDate }
    : { KeyId: keyArn(key), KeyRotationEnabled: false }
  // Present only while an on-demand rotation is started and not yet completed (RotateKeyOnDemand completes its
  // own before answering, so normally only after a crash, until the rotation job has run).
  if (key.onDemandRotationStartedAt) status.OnDemandRotationStartDate = key.onDemandRotationStartedAt
  return status
}

export const getKeyRotationStatus = defineOperation({
  name: 'GetKeyRotationStatus', auditInput: ['KeyId'], auditOutput: [], readOnly: true, keyScoped: true, run,
})
