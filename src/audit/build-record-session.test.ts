// Role sessions get CloudTrail's sessionContext; LookupEvents-style records carry their own event source.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Principal } from '../auth/principal.js'
import { buildAuditRecord, type AuditFacts } from './build-record.js'
import { auditUsername } from './record.js'

function facts(principal: Principal, extra: Partial<AuditFacts> = {}): AuditFacts {
  return {
    requestId: 'r', eventId: 'e', eventTime: new Date('2026-01-01T00:00:00Z'), region: 'us-east-1', eventName: 'Encrypt', sourceIp: '127.0.0.1',
    userAgent: undefined, principal, input: undefined, output: undefined, operation: undefined, error: undefined, resources: [], authorizations: [],
    ...extra,
  }
}

const role: Principal = {
  accountId: '111122223333', arn: 'arn:aws:sts::111122223333:assumed-role/Deployer/build-42', type: 'AssumedRole',
  principalId: 'AROAEXAMPLEID:build-42', accessKeyId: 'ASIAEXAMPLE', roleArn: 'arn:aws:iam::111122223333:role/ci/Deployer', sessionName: 'build-42',
}

describe('buildAuditRecord() identities', () => {
  it('adds a sessionContext naming the role for an assumed-role principal', () => {
    const record = buildAuditRecord(facts({ ...role, sessionCreatedAt: new Date('2025-12-31T23:00:00Z') } as Principal))
    assert.deepEqual(record.userIdentity, {
      type: 'AssumedRole', principalId: 'AROAEXAMPLEID:build-42', arn: role.arn, accountId: '111122223333', accessKeyId: 'ASIAEXAMPLE',
      sessionContext: {
        sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLEID', arn: 'arn:aws:iam::111122223333:role/ci/Deployer', accountId: '111122223333', userName: 'Deployer' },
        attributes: { mfaAuthenticated: 'false', creationDate: '2025-12-31T23:00:00.000Z' },
      },
    })
    assert.equal(auditUsername(record), 'build-42')
  })

  it('gives root and IAM users no sessionContext, and their CloudTrail user names', () => {
    const root = buildAuditRecord(facts({ accountId: '111122223333', arn: 'arn:aws:iam::111122223333:root', type: 'Root', principalId: '111122223333', accessKeyId: 'AKIA1' }))
    assert.equal(root.userIdentity?.sessionContext, undefined)
    assert.equal(auditUsername(root), 'root')
    const user = buildAuditRecord(facts({ accountId: '111122223333', arn: 'arn:aws:iam::111122223333:user/alice', type: 'IAMUser', principalId: 'AIDA1', accessKeyId: 'AKIA2', userName: 'alice' }))
    assert.equal(auditUsername(user), 'alice')
  })

  it('records the event source it is given, KMS by default', () => {
    assert.equal(buildAuditRecord(facts(role)).eventSource, 'kms.amazonaws.com')
    assert.equal(buildAuditRecord(facts(role, { eventSource: 'cloudtrail.amazonaws.com' })).eventSource, 'cloudtrail.amazonaws.com')
  })
})
