// GetKeyLastUsage: the key's last successful cryptographic operation (what, when, its request and audit
// event), since tracking began. Read from the store and this process's not-yet-flushed uses; never writes.
import type { GetKeyLastUsageRequest, GetKeyLastUsageResponse } from '../wire/types.generated.js'
import { authorizedKey } from './authorized-key.js'
import { defineOperation, type OperationContext } from './operation.js'

async function run(ctx: OperationContext, input: GetKeyLastUsageRequest): Promise<GetKeyLastUsageResponse> {
  const key = await authorizedKey(ctx, input.KeyId, 'kms:GetKeyLastUsage', { allowAlias: false })
  const [use, trackingStart] = await Promise.all([ctx.lastUse.lastUse(key.keyId), ctx.lastUse.trackingStartDate()])
  return {
    KeyId: key.keyId,
    // Never used since tracking began: the element is there and empty, as the model describes it.
    KeyLastUsage: use ? { Operation: use.operation, Timestamp: use.usedAt, CloudTrailEventId: use.eventId, KmsRequestId: use.requestId } : {},
    // "The date from which KMS began recording … or the date the KMS key was created, whichever is later."
    TrackingStartDate: trackingStart.getTime() > key.createdAt.getTime() ? trackingStart : key.createdAt,
    KeyCreationDate: key.createdAt,
  }
}

export const getKeyLastUsage = defineOperation({
  name: 'GetKeyLastUsage', auditInput: ['KeyId'], auditOutput: [], readOnly: true, keyScoped: true, run,
})
