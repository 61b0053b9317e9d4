// The audit record of work Trent does on its own schedule (a job), not at a caller's request: a CloudTrail
// AwsServiceEvent with no user identity, filed under the key's account. Every job audits through this.
import { randomUUID } from 'node:crypto'
import { newEventId } from '../audit/event-id.js'
import type { AuditRecord } from '../audit/record.js'
import { keyArn, type KeyRecord } from '../keys/key.js'

/** A service event `eventName` (DeleteKey, DeleteExpiredKeyMaterial, RotateKey …) about `key` at `now`. */
export function keyServiceEvent(key: Pick<KeyRecord, 'keyId' | 'accountId' | 'region'>, eventName: string, now: Date, additionalEventData?: Record<string, unknown>): AuditRecord {
  const arn = keyArn(key)
  return {
    eventVersion: '1.08', eventID: newEventId(now), eventTime: now.toISOString(), eventSource: 'kms.amazonaws.com',
    eventName, eventType: 'AwsServiceEvent', awsRegion: key.region, requestID: randomUUID(),
    requestParameters: null, responseElements: null, ...(additionalEventData ? { additionalEventData } : {}),
    readOnly: false, managementEvent: true,
    resources: [{ ARN: arn, accountId: key.accountId, type: 'AWS::KMS::Key' }], recipientAccountId: key.accountId,
  }
}
