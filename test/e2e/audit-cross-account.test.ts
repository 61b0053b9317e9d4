// A cross-account call is visible to both the caller's account and the key owner's account, as in
// CloudTrail, through the real server: account B's user uses account A's key (allowed to B's root by the key
// policy) with @aws-sdk/client-kms, then LookupEvents through @aws-sdk/client-cloudtrail as A, B and a third
// account C, and `trent audit verify` over the one chain that holds every record once.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { after, before, test } from 'node:test'
import { promisify } from 'node:util'
import { CloudTrail, type Event, type LookupAttributeKey } from '@aws-sdk/client-cloudtrail'
import type { KMS } from '@aws-sdk/client-kms'
import type { ChainedAuditRecord } from '../../src/audit/record.js'
import { kmsClient, type Credentials } from './support/clients.js'
import { E2E_ACCOUNT_ID, E2E_CREDENTIALS, E2E_REGION, cleanupTrent, startTrent, type TrentProcess } from './support/server.js'
import { CLI_JS, trentCli } from './support/trent-cli.js'

const T = { timeout: 120_000 }
const OWNER = E2E_ACCOUNT_ID
const CALLER = '444455556666'
const THIRD = '777788889999'
const run = promisify(execFile)

let server: TrentProcess
const kmsClients: KMS[] = []
let keyArn = ''
let callerKeyId = ''
let callerRoot: Credentials
let thirdRoot: Credentials
const plaintext = randomBytes(32)

const trent = (...args: string[]) => trentCli(server.dataDir, ...args)

async function accessKey(...args: string[]): Promise<Credentials> {
  const key = await trent('access-key', 'create', ...args)
  return { accessKeyId: String(key.AccessKeyId), secretAccessKey: String(key.SecretAccessKey) }
}

/** Every event `credentials`' account sees for one lookup attribute (or none), newest first, in small pages. */
async function lookup(credentials: Credentials, attribute?: [LookupAttributeKey, string]): Promise<Event[]> {
  const client = new CloudTrail({ endpoint: server.url, region: E2E_REGION, credentials, maxAttempts: 1 })
  const events: Event[] = []
  let NextToken: string | undefined
  try {
    do {
      const LookupAttributes = attribute && [{ AttributeKey: attribute[0], AttributeValue: attribute[1] }]
      const page = await client.lookupEvents({ LookupAttributes, MaxResults: 2, NextToken })
      events.push(...(page.Events ?? []))
      NextToken = page.NextToken
    } while (NextToken)
  } finally {
    client.destroy()
  }
  return events
}

const kmsNames = (events: Event[]) => events.filter((e) => e.EventSource === 'kms.amazonaws.com').map((e) => e.EventName)
const records = (events: Event[]) => events.map((e) => JSON.parse(e.CloudTrailEvent!) as ChainedAuditRecord)

before(async () => {
  server = await startTrent()
  const owner = kmsClient(server.url)
  kmsClients.push(owner)
  await trent('account', 'create', '--account-id', CALLER)
  await trent('account', 'create', '--account-id', THIRD)
  callerRoot = await accessKey('--account', CALLER)
  thirdRoot = await accessKey('--account', THIRD)
  const created = await owner.createKey({ Description: 'shared with another account' })
  keyArn = created.KeyMetadata!.Arn!
  await owner.putKeyPolicy({
    KeyId: keyArn, PolicyName: 'default', Policy: JSON.stringify({ Version: '2012-10-17', Statement: [
      { Sid: 'Owner', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER}:root` }, Action: 'kms:*', Resource: '*' },
      { Sid: 'CallerAccountUses', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${CALLER}:root` }, Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey'], Resource: '*' },
    ] }),
  })
  // The caller account's user bob may use the key as far as his own account allows (AWS's two-sided rule).
  await trent('user', 'create', '--account', CALLER, '--name', 'bob')
  await trent('identity-policy', 'put', '--account', CALLER, '--user', 'bob', '--name', 'use-shared-key', '--document',
    JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey'], Resource: keyArn }] }))
  const bobKey = await accessKey('--account', CALLER, '--user', 'bob')
  callerKeyId = bobKey.accessKeyId
  const bob = kmsClient(server.url, { credentials: bobKey })
  kmsClients.push(bob)

  const sealed = await bob.encrypt({ KeyId: keyArn, Plaintext: plaintext })
  await bob.decrypt({ CiphertextBlob: sealed.CiphertextBlob!, KeyId: keyArn })
  await bob.describeKey({ KeyId: keyArn })
  // bob's own account allows GenerateDataKey, but the key policy does not: denied.
  await assert.rejects(bob.generateDataKey({ KeyId: keyArn, KeySpec: 'AES_256' }), { name: 'AccessDeniedException' })
}, T)

after(async () => {
  for (const c of kmsClients) c.destroy()
  await cleanupTrent()
}, T)

test('a cross-account call is visible to both the caller\'s account and the key owner\'s account', T, async () => {
  const bobsCalls = ['DescribeKey', 'Decrypt', 'Encrypt']
  // The key owner finds the other account's calls on its key by resource, by event name and by access key id.
  const byResource = await lookup(E2E_CREDENTIALS, ['ResourceName', keyArn])
  assert.deepEqual(kmsNames(byResource), [...bobsCalls, 'PutKeyPolicy', 'CreateKey'])
  const byName = await lookup(E2E_CREDENTIALS, ['EventName', 'Decrypt'])
  assert.deepEqual(byName.map((e) => [e.EventName, e.AccessKeyId, e.Username]), [['Decrypt', callerKeyId, 'bob']])
  const byAccessKey = await lookup(E2E_CREDENTIALS, ['AccessKeyId', callerKeyId])
  assert.deepEqual(kmsNames(byAccessKey), bobsCalls)
  assert.deepEqual(kmsNames(await lookup(E2E_CREDENTIALS, ['Username', 'bob'])), bobsCalls)
  assert.deepEqual(kmsNames(await lookup(E2E_CREDENTIALS, ['ReadOnly', 'true'])), bobsCalls, 'KMS records its cryptographic calls as read-only')
  assert.deepEqual(kmsNames(await lookup(E2E_CREDENTIALS, ['ReadOnly', 'false'])), ['PutKeyPolicy', 'CreateKey'])
  const [one] = byAccessKey
  assert.deepEqual(kmsNames(await lookup(E2E_CREDENTIALS, ['EventId', one!.EventId!])), ['DescribeKey'])

  // What the owner sees is the one record the caller's account holds, nothing more: the caller's identity,
  // recipientAccountId the caller's account, and no plaintext or ciphertext.
  const seen = records(byAccessKey)
  for (const r of seen) {
    assert.deepEqual([r.recipientAccountId, r.userIdentity?.accountId, r.userIdentity?.userName, r.errorCode], [CALLER, CALLER, 'bob', undefined])
    assert.deepEqual(r.resources, [{ ARN: keyArn, accountId: OWNER, type: 'AWS::KMS::Key' }])
  }
  const ownerView = byAccessKey.map((e) => e.CloudTrailEvent!).join('\n')
  for (const form of [plaintext.toString('base64'), plaintext.toString('hex')]) assert.equal(ownerView.includes(form), false)

  // The caller's account sees its calls too, including the denied one, which (as in AWS) the owner does not.
  const callerView = await lookup(callerRoot, ['AccessKeyId', callerKeyId])
  assert.deepEqual(kmsNames(callerView), ['GenerateDataKey', ...bobsCalls])
  assert.equal(records(callerView)[0]!.errorCode, 'AccessDeniedException')
  assert.deepEqual(kmsNames(await lookup(callerRoot, ['ResourceName', keyArn])), ['GenerateDataKey', ...bobsCalls])
  assert.deepEqual(kmsNames(await lookup(E2E_CREDENTIALS, ['EventName', 'GenerateDataKey'])), [])
  assert.deepEqual(callerView.slice(1).map((e) => e.CloudTrailEvent), byAccessKey.map((e) => e.CloudTrailEvent), 'the same records, byte for byte')

  // A third account sees none of it, by any attribute.
  assert.deepEqual(kmsNames(await lookup(thirdRoot)), [])
  for (const attribute of [['ResourceName', keyArn], ['EventName', 'Encrypt'], ['AccessKeyId', callerKeyId], ['EventId', one!.EventId!]] as [LookupAttributeKey, string][]) {
    assert.deepEqual(await lookup(thirdRoot, attribute), [], attribute[0])
  }
})

test('rule 2: a call on another account\'s key refused before any decision (an invalid grant token) stays out of the owner\'s view', T, async () => {
  // The third account has no permission on the key at all. Were the key recorded before the grant tokens are
  // checked, an InvalidGrantTokenException (unlike an AccessDeniedException) would be shared with the owner,
  // so any account could write into another account's LookupEvents just by naming its key.
  const third = kmsClient(server.url, { credentials: thirdRoot })
  kmsClients.push(third)
  const noSuchGrant = Buffer.concat([Buffer.from([1]), Buffer.alloc(32, 7), Buffer.alloc(16)]).toString('base64url')
  for (const GrantTokens of [['not-a-token'], [noSuchGrant]]) {
    await assert.rejects(third.encrypt({ KeyId: keyArn, Plaintext: plaintext, GrantTokens }), { name: 'InvalidGrantTokenException' })
    await assert.rejects(third.describeKey({ KeyId: keyArn, GrantTokens }), { name: 'InvalidGrantTokenException' })
  }
  const ownerByKey = await lookup(E2E_CREDENTIALS, ['AccessKeyId', thirdRoot.accessKeyId])
  assert.deepEqual(kmsNames(ownerByKey), [])
  assert.equal(kmsNames(await lookup(E2E_CREDENTIALS, ['ResourceName', keyArn])).includes('DescribeKey'), true)
  assert.deepEqual(records(await lookup(E2E_CREDENTIALS, ['ResourceName', keyArn])).filter((r) => r.recipientAccountId === THIRD), [])
  // The caller's own account still sees its refused calls.
  const own = await lookup(thirdRoot, ['AccessKeyId', thirdRoot.accessKeyId])
  assert.deepEqual(kmsNames(own), ['DescribeKey', 'Encrypt', 'DescribeKey', 'Encrypt'])
  assert.deepEqual(records(own).filter((r) => r.eventSource === 'kms.amazonaws.com').map((r) => r.errorCode), Array(4).fill('InvalidGrantTokenException'))
})

test('the chain still holds each cross-account call once, and trent audit verify accepts it', T, async () => {
  const status = await server.stop()
  assert.equal(status.code, 0, server.stderr())
  const { stdout } = await run(process.execPath, [CLI_JS, 'audit', 'verify', '--data-dir', server.dataDir, '--json'], { timeout: 60_000 })
  const report = JSON.parse(stdout) as { ok: boolean; records: number; problems: unknown[] }
  assert.deepEqual([report.ok, report.problems], [true, []])
  const exported = await run(process.execPath, [CLI_JS, 'audit', 'export', '--data-dir', server.dataDir], { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 })
  const lines = exported.stdout.trim().split('\n').filter((l) => l.includes('"eventVersion"')).map((l) => JSON.parse(l) as ChainedAuditRecord)
  assert.equal(lines.length, report.records)
  const bobs = lines.filter((r) => r.userIdentity?.userName === 'bob' && r.eventSource === 'kms.amazonaws.com')
  assert.deepEqual(bobs.map((r) => r.eventName), ['Encrypt', 'Decrypt', 'DescribeKey', 'GenerateDataKey'])
})
