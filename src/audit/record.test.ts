// The audit record's visibility rule: which accounts besides the caller's see a record.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { auditSharedAccounts, type AuditRecord } from './record.js'

function recordOf(recipientAccountId: string, owners: string[], errorCode?: string): AuditRecord {
  const record: AuditRecord = {
    eventVersion: '1.08', eventID: 'e', eventTime: '2024-01-01T00:00:00.000Z', eventSource: 'kms.amazonaws.com', eventName: 'ReEncrypt',
    eventType: 'AwsApiCall', awsRegion: 'us-east-1', requestID: 'r', requestParameters: null, responseElements: null, readOnly: true,
    resources: owners.map((o, i) => ({ ARN: `arn:aws:kms:us-east-1:${o}:key/${i}`, accountId: o, type: 'AWS::KMS::Key' })),
    managementEvent: true, recipientAccountId,
  }
  return errorCode ? { ...record, errorCode } : record
}

describe('auditSharedAccounts()', () => {
  it('names each other owner of the keys a call names, once, and never the caller', () => {
    assert.deepEqual(auditSharedAccounts(recordOf('111111111111', ['222222222222', '111111111111', '222222222222', '333333333333'])), ['222222222222', '333333333333'])
    assert.deepEqual(auditSharedAccounts(recordOf('111111111111', ['111111111111'])), [])
  })

  it('shares a call that failed after authorization, but never a denied one (AWS logs those for the caller only)', () => {
    assert.deepEqual(auditSharedAccounts(recordOf('111111111111', ['222222222222'], 'InvalidCiphertextException')), ['222222222222'])
    assert.deepEqual(auditSharedAccounts(recordOf('111111111111', ['222222222222'], 'AccessDeniedException')), [])
  })
})
