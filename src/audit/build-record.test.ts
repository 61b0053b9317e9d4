// buildAuditRecord(): CloudTrail fields, only allow-listed members, never byte arrays, errors and resources.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Principal } from '../auth/principal.js'
import { KmsError } from '../wire/kms-error.js'
import { buildAuditRecord, type AuditFacts } from './build-record.js'

const principal: Principal = { accountId: '111122223333', arn: 'arn:aws:iam::111122223333:user/alice', type: 'IAMUser', principalId: 'AIDAEXAMPLE', accessKeyId: 'AKIAEXAMPLE', userName: 'alice' }
const ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab'
const encryptOp = { auditInput: ['KeyId', 'EncryptionContext', 'Plaintext'], auditOutput: ['KeyId', 'CiphertextBlob', 'DeletionDate'], readOnly: true }

function facts(overrides: Partial<AuditFacts> = {}): AuditFacts {
  return {
    requestId: 'req-1', eventId: 'evt-1', eventTime: new Date('2026-01-15T10:00:00.123Z'), region: 'us-east-1', eventName: 'Encrypt',
    sourceIp: '10.0.0.1', userAgent: 'aws-cli/2', principal,
    input: { KeyId: 'alias/app', EncryptionContext: { dept: 'a' }, Plaintext: new Uint8Array([115, 101, 99]), GrantTokens: ['t'] },
    output: { KeyId: ARN, CiphertextBlob: new Uint8Array([1, 2, 3]), DeletionDate: new Date('2026-02-14T10:00:00Z') },
    operation: encryptOp, error: undefined, resources: [{ arn: ARN, accountId: '111122223333' }, { arn: ARN, accountId: '111122223333' }],
    authorizations: ['kms:Encrypt: allowed'], ...overrides,
  }
}

describe('buildAuditRecord()', () => {
  it('builds a CloudTrail AwsApiCall record from the request facts', () => {
    assert.deepEqual(buildAuditRecord(facts()), {
      eventVersion: '1.08', eventID: 'evt-1', eventTime: '2026-01-15T10:00:00.123Z', eventSource: 'kms.amazonaws.com', eventName: 'Encrypt',
      eventType: 'AwsApiCall', awsRegion: 'us-east-1', sourceIPAddress: '10.0.0.1', userAgent: 'aws-cli/2', requestID: 'req-1',
      userIdentity: { type: 'IAMUser', principalId: 'AIDAEXAMPLE', arn: principal.arn, accountId: '111122223333', accessKeyId: 'AKIAEXAMPLE', userName: 'alice' },
      requestParameters: { keyId: 'alias/app', encryptionContext: { dept: 'a' } },
      responseElements: { keyId: ARN, deletionDate: '2026-02-14T10:00:00.000Z' },
      readOnly: true, resources: [{ ARN, accountId: '111122223333', type: 'AWS::KMS::Key' }], managementEvent: true,
      recipientAccountId: '111122223333', trentAuthorization: 'kms:Encrypt: allowed',
    })
  })

  it('records nested timestamps as ISO strings and leaves out nested byte arrays (CreateKey\'s KeyMetadata)', () => {
    const createKeyOp = { auditInput: [], auditOutput: ['KeyMetadata'], readOnly: false }
    const output = { KeyMetadata: { KeyId: 'k', CreationDate: new Date('2026-01-15T10:00:00.5Z'), Secret: new Uint8Array([1]), Algorithms: ['A', new Uint8Array([2])] } }
    const record = buildAuditRecord(facts({ operation: createKeyOp, output }))
    assert.deepEqual(record.responseElements, { keyMetadata: { KeyId: 'k', CreationDate: '2026-01-15T10:00:00.500Z', Algorithms: ['A'] } })
  })

  it('never copies byte arrays, even when an allow-list names them', () => {
    const text = JSON.stringify(buildAuditRecord(facts()))
    assert.ok(!text.includes('plaintext') && !text.includes('ciphertextBlob') && !text.includes('"115"'), text)
  })

  it('records the error and no response elements for a failed request', () => {
    const record = buildAuditRecord(facts({ error: new KmsError('DisabledException', `${ARN} is disabled.`) }))
    assert.equal(record.errorCode, 'DisabledException')
    assert.equal(record.errorMessage, `${ARN} is disabled.`)
    assert.equal(record.responseElements, null)
    assert.deepEqual(record.requestParameters, { keyId: 'alias/app', encryptionContext: { dept: 'a' } })
  })

  it('records an unauthenticated, unknown request with what little is known', () => {
    const record = buildAuditRecord(facts({
      eventName: 'Unknown', principal: undefined, input: undefined, output: undefined, operation: undefined, userAgent: undefined,
      resources: [], authorizations: [], error: new KmsError('UnknownOperationException', 'The requested operation is not recognized by the service.'),
    }))
    assert.equal(record.userIdentity, undefined)
    assert.equal(record.userAgent, undefined)
    assert.equal(record.requestParameters, null)
    assert.equal(record.responseElements, null)
    assert.equal(record.readOnly, false)
    assert.equal(record.recipientAccountId, '')
    assert.equal(record.trentAuthorization, undefined)
    assert.deepEqual(record.resources, [])
  })

  it('uses null, not {}, when no allow-listed member is present', () => {
    const record = buildAuditRecord(facts({ input: { GrantTokens: ['t'] }, output: {} }))
    assert.equal(record.requestParameters, null)
    assert.equal(record.responseElements, null)
  })

  it('takes the recipient account from the key when the caller is unknown', () => {
    const record = buildAuditRecord(facts({ principal: undefined, resources: [{ arn: ARN, accountId: '999988887777' }] }))
    assert.equal(record.recipientAccountId, '999988887777')
  })
})
