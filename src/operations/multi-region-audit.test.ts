// The records a multi-Region change leaves in the OTHER Region (a service event, as AWS files one), that they
// are fail-closed, and UpdatePrimaryRegion's check of the replica's own policy.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { AuditRecord } from '../audit/record.js'
import { LOOKUP_TARGET } from '../../test/support/audit-harness.js'
import { createHarness, signedDispatch, TEST_ACCOUNT, TEST_CREDENTIALS, type Harness } from '../../test/support/harness.js'

const US = 'us-east-1'
const EU = 'eu-west-1'
const ROOT = `arn:aws:iam::${TEST_ACCOUNT}:root`

async function ok(h: Harness, region: string, op: string, body: unknown): Promise<Record<string, unknown>> {
  const r = await h.callIn(region, op, body)
  assert.equal(r.status, 200, `${op} in ${region}: ${JSON.stringify(r.body)}`)
  return r.body
}

async function mrKey(h: Harness): Promise<string> {
  return ((await ok(h, US, 'CreateKey', { MultiRegion: true })).KeyMetadata as { KeyId: string }).KeyId
}

let lookups = 0
/** The records LookupEvents signed for `region` shows named `eventName` about `arn`, parsed. */
async function recordsIn(h: Harness, region: string, eventName: string, arn: string): Promise<AuditRecord[]> {
  const body = new TextEncoder().encode(JSON.stringify({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: eventName }] }))
  const r = await signedDispatch(h.services, { service: 'cloudtrail', target: LOOKUP_TARGET, body, credentials: TEST_CREDENTIALS, now: h.clock.now(), requestId: `lookup-${++lookups}`, region })
  assert.equal(r.status, 200, JSON.stringify(r.body))
  const events = r.body.Events as Array<{ CloudTrailEvent: string }>
  return events.map((e) => JSON.parse(e.CloudTrailEvent) as AuditRecord).filter((rec) => rec.resources.some((res) => res.ARN === arn))
}

function primaryRegionOf(meta: Record<string, unknown>): string {
  return ((meta.KeyMetadata as { MultiRegionConfiguration: { PrimaryKey: { Region: string } } }).MultiRegionConfiguration.PrimaryKey.Region)
}

/** Makes every service-event write fail (as a full disk would) until the returned function restores it. */
function failServiceEvents(h: Harness): () => void {
  const log = h.services.auditLog
  const write = log.write
  log.write = (record) => (record.eventType === 'AwsServiceEvent' ? Promise.reject(new Error('audit storage unavailable')) : write.call(log, record))
  return () => { log.write = write }
}

describe('multi-Region audit in the other Region', () => {
  let h: Harness
  before(async () => { h = await createHarness() })
  after(async () => { await h.close() })

  it('ReplicateKey files a service CreateKey for the replica in the replica Region only', async () => {
    const keyId = await mrKey(h)
    await ok(h, US, 'ReplicateKey', { KeyId: keyId, ReplicaRegion: EU })
    const euArn = `arn:aws:kms:${EU}:${TEST_ACCOUNT}:key/${keyId}`
    const inEu = await recordsIn(h, EU, 'CreateKey', euArn)
    assert.equal(inEu.length, 1)
    const rec = inEu[0]!
    assert.equal(rec.eventType, 'AwsServiceEvent')
    assert.equal(rec.awsRegion, EU)
    assert.equal(rec.recipientAccountId, TEST_ACCOUNT)
    assert.equal(rec.userIdentity, undefined)
    assert.equal(rec.requestParameters, null)
    assert.equal(rec.responseElements, null)
    assert.deepEqual(rec.resources, [{ ARN: euArn, accountId: TEST_ACCOUNT, type: 'AWS::KMS::Key' }])
    // The caller's own ReplicateKey record stays in the caller's Region; the service event is not repeated there.
    assert.equal((await recordsIn(h, US, 'ReplicateKey', euArn)).length, 1)
    assert.equal((await recordsIn(h, EU, 'ReplicateKey', euArn)).length, 0)
    assert.equal((await recordsIn(h, US, 'CreateKey', euArn)).length, 0)
  })

  it('UpdatePrimaryRegion files a service UpdatePrimaryRegion in the new primary Region', async () => {
    const keyId = await mrKey(h)
    await ok(h, US, 'ReplicateKey', { KeyId: keyId, ReplicaRegion: EU })
    await ok(h, US, 'UpdatePrimaryRegion', { KeyId: keyId, PrimaryRegion: EU })
    const euArn = `arn:aws:kms:${EU}:${TEST_ACCOUNT}:key/${keyId}`
    const usArn = `arn:aws:kms:${US}:${TEST_ACCOUNT}:key/${keyId}`
    const inEu = await recordsIn(h, EU, 'UpdatePrimaryRegion', euArn)
    assert.equal(inEu.length, 1)
    assert.equal(inEu[0]!.eventType, 'AwsServiceEvent')
    assert.equal(inEu[0]!.awsRegion, EU)
    // In us-east-1 only the caller's own record (not a service event).
    const inUs = await recordsIn(h, US, 'UpdatePrimaryRegion', usArn)
    assert.deepEqual(inUs.map((r) => r.eventType), ['AwsApiCall'])
  })

  it('UpdatePrimaryRegion is refused, leaving both keys unchanged, when the replica policy denies it', async () => {
    const keyId = await mrKey(h)
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [
      { Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' },
      { Effect: 'Deny', Principal: '*', Action: 'kms:UpdatePrimaryRegion', Resource: '*' },
    ] })
    await ok(h, US, 'ReplicateKey', { KeyId: keyId, ReplicaRegion: EU, Policy: policy })
    const r = await h.callIn(US, 'UpdatePrimaryRegion', { KeyId: keyId, PrimaryRegion: EU })
    assert.equal(r.status, 400)
    assert.equal(r.body.__type, 'AccessDeniedException')
    for (const region of [US, EU]) {
      const meta = await ok(h, region, 'DescribeKey', { KeyId: keyId })
      assert.equal(primaryRegionOf(meta), US, region)
      assert.equal((meta.KeyMetadata as { KeyState: string }).KeyState, 'Enabled', region)
    }
    assert.equal((await recordsIn(h, EU, 'UpdatePrimaryRegion', `arn:aws:kms:${EU}:${TEST_ACCOUNT}:key/${keyId}`)).filter((x) => x.eventType === 'AwsServiceEvent').length, 0)
    // The same replica with a policy that allows it: the move goes through (so the denial above was the replica's).
    await ok(h, EU, 'PutKeyPolicy', { KeyId: keyId, PolicyName: 'default', Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' }] }) })
    await ok(h, US, 'UpdatePrimaryRegion', { KeyId: keyId, PrimaryRegion: EU })
    assert.equal(primaryRegionOf(await ok(h, US, 'DescribeKey', { KeyId: keyId })), EU)
  })

  it('UpdatePrimaryRegion is refused while the replica is Disabled, and goes through once it is enabled again', async () => {
    const keyId = await mrKey(h)
    await ok(h, US, 'ReplicateKey', { KeyId: keyId, ReplicaRegion: EU })
    await ok(h, EU, 'DisableKey', { KeyId: keyId })
    const r = await h.callIn(US, 'UpdatePrimaryRegion', { KeyId: keyId, PrimaryRegion: EU })
    assert.equal(r.status, 400)
    assert.equal(r.body.__type, 'DisabledException')
    assert.match(String(r.body.message), new RegExp(`arn:aws:kms:${EU}:${TEST_ACCOUNT}:key/${keyId} is disabled`))
    for (const region of [US, EU]) assert.equal(primaryRegionOf(await ok(h, region, 'DescribeKey', { KeyId: keyId })), US, region)
    await ok(h, EU, 'EnableKey', { KeyId: keyId })
    await ok(h, US, 'UpdatePrimaryRegion', { KeyId: keyId, PrimaryRegion: EU })
    assert.equal(primaryRegionOf(await ok(h, US, 'DescribeKey', { KeyId: keyId })), EU)
  })

  it('fails the call when the service event cannot be written (fail closed)', async () => {
    const keyId = await mrKey(h)
    const restore = failServiceEvents(h)
    try {
      const rep = await h.callIn(US, 'ReplicateKey', { KeyId: keyId, ReplicaRegion: EU })
      assert.equal(rep.status, 500, JSON.stringify(rep.body))
      assert.equal(rep.body.ReplicaKeyMetadata, undefined)
    } finally { restore() }
    const keyId2 = await mrKey(h)
    await ok(h, US, 'ReplicateKey', { KeyId: keyId2, ReplicaRegion: EU })
    const restore2 = failServiceEvents(h)
    try {
      const upd = await h.callIn(US, 'UpdatePrimaryRegion', { KeyId: keyId2, PrimaryRegion: EU })
      assert.equal(upd.status, 500, JSON.stringify(upd.body))
    } finally { restore2() }
  })
})
