// Contract: a cross-account call is one record in the chain, seen by the caller's account and by the owner of
// each key it names, through every LookupEvents attribute, time bounds and pages; a denied call and a third
// account see nothing of it, and pruning takes the owner's view with the record.
import assert from 'node:assert/strict'
import { describe } from 'node:test'
import type { AuditRecord } from '../../audit/record.js'
import type { AuditLookupQuery } from '../audit-store.js'
import type { Store } from '../store.js'
import { ACCOUNT, REGION, keyIdOf, makeAudit, storeTest, type OpenStore } from './fixtures.js'

const OWNER = ACCOUNT
const CALLER = '444455556666'
const THIRD = '777788889999'
const CALLER_KEY_ID = 'AKIDCALLERACCOUNT001'

function at(second: number): string {
  return new Date(Date.UTC(2024, 0, 1, 0, 0, second)).toISOString()
}

function keyArn(account: string, n: number): string {
  return `arn:aws:kms:${REGION}:${account}:key/${keyIdOf(n)}`
}

/** A call made by `account`'s user bob on the keys `keys` (account, key number). */
function callBy(account: string, eventID: string, eventName: string, second: number, keys: [string, number][]): AuditRecord {
  const r = makeAudit(eventID, eventName, at(second))
  return {
    ...r, recipientAccountId: account, readOnly: eventName === 'DescribeKey',
    userIdentity: { type: 'IAMUser', principalId: 'AIDABOB', arn: `arn:aws:iam::${account}:user/bob`, accountId: account, accessKeyId: account === CALLER ? CALLER_KEY_ID : 'AKIDOWNERACCOUNT0001', userName: 'bob' },
    resources: keys.map(([owner, n]) => ({ ARN: keyArn(owner, n), accountId: owner, type: 'AWS::KMS::Key' as const })),
  }
}

/** The owner's own calls (o*) interleaved with the caller's calls on the owner's key 1 (x*), one denied. */
function sample(): AuditRecord[] {
  return [
    callBy(OWNER, 'o1', 'Encrypt', 1, [[OWNER, 1]]),
    callBy(CALLER, 'x1', 'Encrypt', 2, [[OWNER, 1]]),
    callBy(CALLER, 'x2', 'DescribeKey', 3, [[OWNER, 1]]),
    { ...callBy(CALLER, 'x3', 'Decrypt', 4, [[OWNER, 1]]), errorCode: 'AccessDeniedException', errorMessage: 'denied' },
    callBy(OWNER, 'o2', 'Decrypt', 4, [[OWNER, 1]]),
    // Failed after it was authorized: the key was used, so its owner sees it (only denials stay private).
    { ...callBy(CALLER, 'x4', 'Decrypt', 4, [[OWNER, 1]]), errorCode: 'InvalidCiphertextException', errorMessage: 'bad' },
    callBy(CALLER, 'c1', 'Encrypt', 5, [[CALLER, 2]]),
    callBy(CALLER, 'x5', 'ReEncrypt', 6, [[OWNER, 1], [THIRD, 3]]),
  ]
}

async function ids(store: Store, accountId: string, more: Partial<AuditLookupQuery> = {}): Promise<string[]> {
  return (await store.lookupAudit({ accountId, limit: 50, ...more })).map((r) => r.record.eventID)
}

const by = (key: NonNullable<AuditLookupQuery['attribute']>['key'], value: string) => ({ attribute: { key, value } })

export function describeAuditCrossAccount(open: OpenStore): void {
  const test = storeTest(open)

  describe('audit cross-account visibility', () => {
    test('a cross-account call is visible to the caller and the key owner by every attribute, as one chained record', async (store) => {
      await store.appendAudit(sample())
      assert.equal((await store.listAudit(0, 100)).length, 8, 'one record per call, whoever sees it')
      assert.deepEqual(await ids(store, CALLER), ['x5', 'c1', 'x4', 'x3', 'x2', 'x1'])
      assert.deepEqual(await ids(store, OWNER), ['x5', 'x4', 'o2', 'x2', 'x1', 'o1'])
      assert.deepEqual(await ids(store, OWNER, by('ResourceName', keyArn(OWNER, 1))), ['x5', 'x4', 'o2', 'x2', 'x1', 'o1'])
      assert.deepEqual(await ids(store, OWNER, by('EventName', 'Encrypt')), ['x1', 'o1'])
      assert.deepEqual(await ids(store, OWNER, by('AccessKeyId', CALLER_KEY_ID)), ['x5', 'x4', 'x2', 'x1'])
      assert.deepEqual(await ids(store, OWNER, by('Username', 'bob')), ['x5', 'x4', 'o2', 'x2', 'x1', 'o1'])
      assert.deepEqual(await ids(store, OWNER, by('EventId', 'x2')), ['x2'])
      assert.deepEqual(await ids(store, OWNER, by('ReadOnly', 'true')), ['x2'])
      assert.deepEqual(await ids(store, OWNER, by('ReadOnly', 'false')), ['x5', 'x4', 'o2', 'x1', 'o1'])
      assert.deepEqual(await ids(store, OWNER, by('EventSource', 'kms.amazonaws.com')), ['x5', 'x4', 'o2', 'x2', 'x1', 'o1'])
      assert.deepEqual(await ids(store, OWNER, by('EventSource', 'cloudtrail.amazonaws.com')), [])
      assert.deepEqual(await ids(store, OWNER, { start: new Date(at(2)), end: new Date(at(4)) }), ['x4', 'o2', 'x2', 'x1'])
      const [owned] = await store.lookupAudit({ accountId: OWNER, ...by('EventId', 'x1'), limit: 1 })
      assert.deepEqual(owned!.record, (await store.listAudit(0, 100))[1]!.record, 'the owner sees the record exactly as stored')
    })

    test('a denied cross-account call, and the caller\'s own keys, stay the caller\'s', async (store) => {
      await store.appendAudit(sample())
      assert.deepEqual(await ids(store, OWNER, by('EventId', 'x3')), [])
      assert.deepEqual(await ids(store, OWNER, by('EventName', 'Decrypt')), ['x4', 'o2'])
      assert.deepEqual(await ids(store, OWNER, by('ResourceName', keyArn(CALLER, 2))), [])
      assert.deepEqual(await ids(store, CALLER, by('EventId', 'x3')), ['x3'])
      assert.deepEqual(await ids(store, CALLER, by('ResourceName', keyArn(OWNER, 1))), ['x5', 'x4', 'x3', 'x2', 'x1'])
    })

    test('every key owner a call names sees it, and an uninvolved account sees none of it', async (store) => {
      await store.appendAudit(sample())
      assert.deepEqual(await ids(store, THIRD), ['x5'])
      assert.deepEqual(await ids(store, THIRD, by('ResourceName', keyArn(OWNER, 1))), ['x5'])
      const outsider = '999900001111'
      assert.deepEqual(await ids(store, outsider), [])
      for (const [key, value] of [['ResourceName', keyArn(OWNER, 1)], ['EventName', 'Encrypt'], ['AccessKeyId', CALLER_KEY_ID], ['Username', 'bob'], ['EventId', 'x1'], ['ReadOnly', 'false'], ['EventSource', 'kms.amazonaws.com']] as const) {
        assert.deepEqual(await ids(store, outsider, by(key, value)), [], key)
      }
    })

    test('the owner pages through its own and the shared records, at equal times too, without loss or repeat', async (store) => {
      await store.appendAudit(sample())
      const seen: string[] = []
      let before: AuditLookupQuery['before']
      for (;;) {
        const page = await store.lookupAudit({ accountId: OWNER, before, limit: 2 })
        if (page.length === 0) break
        seen.push(...page.map((r) => r.record.eventID))
        before = { eventTime: page[page.length - 1]!.eventTime, sequence: page[page.length - 1]!.sequence }
      }
      assert.deepEqual(seen, ['x5', 'x4', 'o2', 'x2', 'x1', 'o1'])
    })

    test('pruneAudit() takes the owner\'s view of the pruned records with them', async (store) => {
      await store.appendAudit(sample())
      await store.pruneAudit(3, 0)
      assert.deepEqual(await ids(store, OWNER), ['x5', 'x4', 'o2'])
      assert.deepEqual(await ids(store, OWNER, by('AccessKeyId', CALLER_KEY_ID)), ['x5', 'x4'])
      assert.deepEqual(await ids(store, OWNER, by('ResourceName', keyArn(OWNER, 1))), ['x5', 'x4', 'o2'])
    })
  })
}
