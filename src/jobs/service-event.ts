// The audit record a scheduled job writes for what it did to a key: a CloudTrail AwsServiceEvent with no
// caller, filed under the key's account and naming the key as its resource.
import { randomUUID } from 'node:crypto'
import { newEventId } from '../audit/event-id.js'
import type { AuditRecord } from '../audit/record.js'
import { keyArn, type KeyRecord } from '../keys/key.js'

/** `eventName` as AWS logs the service's own action (DeleteKey, DeleteExpiredKeyMaterial, RotateKey …). */
export function keyServiceEvent(eventName: string, key: Pick<KeyRecord, 'keyId' | 'accountId' | 'region'>, now: Date): AuditRecord {
  const arn = keyArn(key)
  return {
    eventVersion: '1.08', eventID: newEventId(now), eventTime: now.toISOString(), eventSource: 'kms.amazonaws.com',
    eventName, eventType: 'AwsServiceEvent', awsRegion: key.region, requestID: randomUUID(),
    requestParameters: null, responseElements: null, readOnly: false, managementEvent: true,
    resources: [{ ARN: arn, accountId: key.accountId, type: 'AWS::KMS::Key' }], recipientAccountId: key.accountId,
  }
}
