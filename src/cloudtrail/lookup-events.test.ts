// LookupEvents through the real pipeline: the caller's account only, newest first, each lookup attribute,
// paging, CloudTrail's exceptions, the cloudtrail signing scope, authorization, and its own audit record.
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { createAccessKey } from '../auth/credentials.js'
import { rootArn } from '../auth/principal.js'
import type { Authorizer } from '../auth/authorizer.js'
import { accessDenied } from '../auth/authorizer.js'
import { canonicalJson } from '../audit/canonical-json.js'
import type { ChainedAuditRecord } from '../audit/record.js'
import { TEST_ACCOUNT, TEST_CREDENTIALS, b64, type CallResult } from '../../test/support/harness.js'
import { createAuditHarness, type AuditHarness } from '../../test/support/audit-harness.js'
import type { CloudTrailEvent } from './lookup-events.js'

const OTHER_ACCOUNT = '444455556666'
const OTHER_CREDENTIALS = { accessKeyId: 'AKIDOTHERACCOUNT0001', secretAccessKey: 'secret-of-the-other-account' }

function events(res: CallResult): CloudTrailEvent[] {
  assert.equal(res.status, 200, JSON.stringify(res.body))
  return res.body.Events as CloudTrailEvent[]
}

function names(res: CallResult): string[] {
  return events(res).map((e) => e.EventName)
}

function assertError(res: CallResult, type: string, message?: RegExp): void {
  assert.equal(res.status, 400, JSON.stringify(res.body))
  assert.equal(res.body.__type, type)
  if (message) assert.match(String(res.body.message), message)
}

describe('LookupEvents', () => {
  let h: AuditHarness
  let keyId: string
  let keyArn: string
  beforeEach(async () => {
    h = await createAuditHarness()
    const created = await h.call('CreateKey', { Description: 'lookup' })
    ;({ KeyId: keyId, Arn: keyArn } = created.body.KeyMetadata as { KeyId: string; Arn: string })
    h.clock.advance(1000)
    assert.equal((await h.call('Encrypt', { KeyId: keyId, Plaintext: b64('hello') })).status, 200)
    h.clock.advance(1000)
    assert.equal((await h.call('DescribeKey', { KeyId: keyId })).status, 200)
    h.clock.advance(1000)
    assert.equal((await h.call('Encrypt', { KeyId: keyId })).status, 400)
    h.clock.advance(1000)
  })
  afterEach(() => h.close())

  it('returns the account\'s events newest first with every Event field, the record as CloudTrailEvent', async () => {
    const found = events(await h.lookup({}))
    assert.deepEqual(found.map((e) => e.EventName), ['Encrypt', 'DescribeKey', 'Encrypt', 'CreateKey'])
    const encrypt = found[2]!
    const record = JSON.parse(encrypt.CloudTrailEvent) as ChainedAuditRecord
    assert.deepEqual({ ...encrypt, CloudTrailEvent: undefined }, {
      EventId: record.eventID, EventName: 'Encrypt', ReadOnly: 'true', AccessKeyId: TEST_CREDENTIALS.accessKeyId,
      EventTime: Date.parse('2026-01-15T10:00:01Z') / 1000, EventSource: 'kms.amazonaws.com', Username: 'root',
      Resources: [{ ResourceType: 'AWS::KMS::Key', ResourceName: keyArn }], CloudTrailEvent: undefined,
    })
    assert.equal(encrypt.CloudTrailEvent, canonicalJson(record))
    assert.equal(found[3]!.ReadOnly, 'false', 'CreateKey is a write')
    assert.equal(found[0]!.Resources.length, 0, 'the failed Encrypt named no key')
  })

  it('audits itself as a cloudtrail.amazonaws.com event that the next lookup sees', async () => {
    await h.lookup({ MaxResults: 5, LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'Encrypt' }] })
    const [self] = events(await h.lookup({ LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 'cloudtrail.amazonaws.com' }] }))
    const record = JSON.parse(self!.CloudTrailEvent) as ChainedAuditRecord
    assert.equal(record.eventName, 'LookupEvents')
    assert.equal(record.eventSource, 'cloudtrail.amazonaws.com')
    assert.equal(record.readOnly, true)
    assert.deepEqual(record.requestParameters, { lookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'Encrypt' }], maxResults: 5 })
    assert.equal(record.responseElements, null)
    assert.match(String(record.trentAuthorization), /^cloudtrail:LookupEvents: /)
  })

  it('filters by each lookup attribute', async () => {
    // Each lookup is itself a read-only root event; they are left out here and tested on their own above.
    const by = async (AttributeKey: string, AttributeValue: string) =>
      names(await h.lookup({ LookupAttributes: [{ AttributeKey, AttributeValue }] })).filter((n) => n !== 'LookupEvents')
    assert.deepEqual(await by('EventName', 'Encrypt'), ['Encrypt', 'Encrypt'])
    assert.deepEqual(await by('ResourceName', keyArn), ['DescribeKey', 'Encrypt', 'CreateKey'])
    assert.deepEqual(await by('ResourceName', keyId), ['DescribeKey', 'Encrypt', 'CreateKey'], 'a bare key id names the caller\'s key')
    assert.deepEqual(await by('ReadOnly', 'false'), ['CreateKey'])
    assert.deepEqual(await by('ReadOnly', 'true'), ['Encrypt', 'DescribeKey', 'Encrypt'])
    assert.deepEqual(await by('AccessKeyId', TEST_CREDENTIALS.accessKeyId), ['Encrypt', 'DescribeKey', 'Encrypt', 'CreateKey'])
    assert.deepEqual(await by('Username', 'root'), ['Encrypt', 'DescribeKey', 'Encrypt', 'CreateKey'])
    assert.deepEqual(await by('Username', 'alice'), [])
    const [created] = events(await h.lookup({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateKey' }] }))
    assert.deepEqual(await by('EventId', created!.EventId), ['CreateKey'])
  })

  it('honours StartTime and EndTime in epoch seconds, inclusive', async () => {
    const start = Date.parse('2026-01-15T10:00:01Z') / 1000
    assert.deepEqual(names(await h.lookup({ StartTime: start, EndTime: start + 1 })), ['DescribeKey', 'Encrypt'])
  })

  it('pages with MaxResults and NextToken, and refuses a token reused with other filters', async () => {
    const first = await h.lookup({ MaxResults: 3 })
    assert.deepEqual(names(first), ['Encrypt', 'DescribeKey', 'Encrypt'])
    const token = first.body.NextToken as string
    assert.equal(typeof token, 'string')
    const second = await h.lookup({ MaxResults: 3, NextToken: token })
    assert.deepEqual(names(second), ['CreateKey'])
    assert.equal(second.body.NextToken, undefined)
    assertError(await h.lookup({ NextToken: token, LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'Encrypt' }] }), 'InvalidNextTokenException')
    assertError(await h.lookup({ NextToken: 'not-a-token' }), 'InvalidNextTokenException')
  })

  it('answers invalid requests with CloudTrail\'s exceptions', async () => {
    const two = [{ AttributeKey: 'EventName', AttributeValue: 'Encrypt' }, { AttributeKey: 'Username', AttributeValue: 'root' }]
    assertError(await h.lookup({ LookupAttributes: two }), 'InvalidLookupAttributesException')
    assertError(await h.lookup({ LookupAttributes: [{ AttributeKey: 'Color', AttributeValue: 'red' }] }), 'InvalidLookupAttributesException')
    assertError(await h.lookup({ LookupAttributes: [{ AttributeKey: 'ReadOnly', AttributeValue: 'maybe' }] }), 'InvalidLookupAttributesException')
    assertError(await h.lookup({ MaxResults: 51 }), 'InvalidMaxResultsException')
    assertError(await h.lookup({ MaxResults: 0 }), 'InvalidMaxResultsException')
    assertError(await h.lookup({ StartTime: 2000, EndTime: 1000 }), 'InvalidTimeRangeException')
    assertError(await h.lookup({ EventCategory: 'data' }), 'InvalidEventCategoryException')
    assert.deepEqual(events(await h.lookup({ EventCategory: 'insight' })), [])
  })

  it('shows each account only its own events', async () => {
    await h.services.store.insertAccount({ accountId: OTHER_ACCOUNT, createdAt: h.clock.now() })
    await createAccessKey(h.services.store, h.services.rootKey, OTHER_ACCOUNT, rootArn(OTHER_ACCOUNT), OTHER_CREDENTIALS.accessKeyId, OTHER_CREDENTIALS.secretAccessKey, h.clock.now())
    assert.equal((await h.call('ListKeys', {}, OTHER_CREDENTIALS)).status, 200)
    assert.deepEqual(names(await h.lookup({}, OTHER_CREDENTIALS)), ['ListKeys'])
    assert.ok(!names(await h.lookup({})).includes('ListKeys'))
  })

  it('requires a signature scoped to the cloudtrail service', async () => {
    const res = await h.lookup({}, TEST_CREDENTIALS, 'kms')
    assertError(res, 'InvalidSignatureException', /Credential should be scoped to correct service: 'cloudtrail'/)
  })

  it('asks the authorizer for cloudtrail:LookupEvents with the request facts and audits a denial with its reason', async () => {
    const asked: string[] = []
    const denyLookups: Authorizer = {
      async authorize(principal, key, action, _conditions, facts) {
        asked.push(`${action}:${key === null ? 'account' : 'key'}:${facts?.sourceIp}:${facts?.region}:${facts?.now?.toISOString()}`)
        throw accessDenied(principal, action, `arn:aws:cloudtrail:us-east-1:${TEST_ACCOUNT}:*`, 'no identity-based policy allows the cloudtrail:LookupEvents action', 'no statement matched')
      },
    }
    h.services.authorizer = denyLookups
    const res = await h.lookup({})
    assertError(res, 'AccessDeniedException', /not authorized to perform: cloudtrail:LookupEvents/)
    assert.deepEqual(asked, [`cloudtrail:LookupEvents:account:127.0.0.1:us-east-1:${h.clock.now().toISOString()}`])
    const last = (await h.services.store.listAudit(0, 100)).at(-1)!.record
    assert.deepEqual([last.eventSource, last.eventName, last.errorCode, last.trentAuthorization],
      ['cloudtrail.amazonaws.com', 'LookupEvents', 'AccessDeniedException', 'cloudtrail:LookupEvents: no statement matched'])
  })
})
