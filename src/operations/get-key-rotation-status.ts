// GetKeyRotationStatus: whether automatic rotation is on, its period and next date. A key pending deletion
// reads false (its schedule is kept, and comes back on CancelKeyDeletion). Reading never rotates anything.
import { keyArn, type KeyRecord, type RotationSchedule } from '../keys/key.js'
import { isReplica, primaryRegionOf, publicKeyId } from '../keys/regional-key.js'
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
  const schedule = pendingDeletion ? undefined : await sharedSchedule(ctx, key)
  const status: GetKeyRotationStatusResponse = schedule
    ? { KeyId: keyArn(key), KeyRotationEnabled: true, RotationPeriodInDays: schedule.periodDays, NextRotationDate: schedule.nextRotationDate }
    : { KeyId: keyArn(key), KeyRotationEnabled: false }
  // Present only while an on-demand rotation is started and not yet completed (RotateKeyOnDemand completes its
  // own before answering, so normally only after a crash, until the rotation job has run).
  if (key.onDemandRotationStartedAt) status.OnDemandRotationStartDate = key.onDemandRotationStartedAt
  return status
}

/** The rotation setting is shared by a multi-Region set and kept on the primary's row (store/multi-region-store.ts). */
async function sharedSchedule(ctx: OperationContext, key: KeyRecord): Promise<RotationSchedule | undefined> {
  if (!isReplica(key)) return key.rotation
  const primary = (await ctx.store.listRegionalKeys(publicKeyId(key.keyId))).find((k) => k.region === primaryRegionOf(key))
  return primary?.rotation
}

export const getKeyRotationStatus = defineOperation({
  name: 'GetKeyRotationStatus', auditInput: ['KeyId'], auditOutput: [], readOnly: true, keyScoped: true, run,
})
