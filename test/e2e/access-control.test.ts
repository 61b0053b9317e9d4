// Access control end to end: the real server, principals made with the `trent` CLI, and
// @aws-sdk/client-kms as two users of one account and one user of a second account.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import type { KMS } from '@aws-sdk/client-kms'
import { assertSdkError, kmsClient } from './support/clients.js'
import { E2E_ACCOUNT_ID, cleanupTrent, startTrent, type TrentProcess } from './support/server.js'
import { createUserWithKey, trentCli } from './support/trent-cli.js'

const T = { timeout: 120_000 }
const OTHER_ACCOUNT = '444455556666'
const PURPOSE = { purpose: 'e2e' }

let server: TrentProcess
let admin: KMS
const clients: KMS[] = []

const trent = (...args: string[]) => trentCli(server.dataDir, ...args)

async function userClient(account: string, name: string, policy?: object): Promise<{ kms: KMS; arn: string }> {
  const { arn, credentials } = await createUserWithKey(server.dataDir, account, name, policy)
  const kms = kmsClient(server.url, { credentials })
  clients.push(kms)
  return { kms, arn }
}

const denied = (who: string, action: string, resource: string, tail: string) => `User: ${who} is not authorized to perform: ${action} on resource: ${resource} ${tail}`
const noIdentity = (action: string) => `because no identity-based policy allows the ${action} action`
const noResource = (action: string) => `because no resource-based policy allows the ${action} action`
const statement = (sid: string, principal: string, action: string | string[], condition?: object) =>
  ({ Sid: sid, Effect: 'Allow', Principal: { AWS: principal }, Action: action, Resource: '*', ...(condition ? { Condition: condition } : {}) })
const adminStatement = statement('Admin', `arn:aws:iam::${E2E_ACCOUNT_ID}:root`, 'kms:*')
const purposeIsE2e = { StringEquals: { 'kms:EncryptionContext:purpose': 'e2e' } }

let alice: { kms: KMS; arn: string }
let bob: { kms: KMS; arn: string }
let carol: { kms: KMS; arn: string }
let keyArn: string
let keyId: string

function keyPolicy(...extra: object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [
    adminStatement,
    statement('AliceEncryptsE2e', alice.arn, 'kms:Encrypt', purposeIsE2e),
    statement('BobDecryptsE2e', bob.arn, 'kms:Decrypt', purposeIsE2e),
    ...extra,
  ] })
}

before(async () => {
  server = await startTrent()
  admin = kmsClient(server.url)
  await trent('account', 'create', '--account-id', OTHER_ACCOUNT)
  alice = await userClient(E2E_ACCOUNT_ID, 'alice')
  bob = await userClient(E2E_ACCOUNT_ID, 'bob')
  const created = await admin.createKey({ Description: 'access-control e2e' })
  keyArn = created.KeyMetadata!.Arn!
  keyId = created.KeyMetadata!.KeyId!
  carol = await userClient(OTHER_ACCOUNT, 'carol', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: keyArn }] })
  await admin.putKeyPolicy({ KeyId: keyId, PolicyName: 'default', Policy: keyPolicy() })
}, T)

after(async () => {
  admin?.destroy()
  for (const c of clients) c.destroy()
  await cleanupTrent()
}, T)

test('user A may only encrypt and user B may only decrypt, under the encryption-context condition', T, async () => {
  const sealed = await alice.kms.encrypt({ KeyId: keyArn, Plaintext: Buffer.from('for bob'), EncryptionContext: PURPOSE })
  await assertSdkError(alice.kms.encrypt({ KeyId: keyArn, Plaintext: Buffer.from('x'), EncryptionContext: { purpose: 'other' } }),
    'AccessDeniedException', denied(alice.arn, 'kms:Encrypt', keyArn, noIdentity('kms:Encrypt')))
  await assertSdkError(alice.kms.decrypt({ CiphertextBlob: sealed.CiphertextBlob, EncryptionContext: PURPOSE }),
    'AccessDeniedException', denied(alice.arn, 'kms:Decrypt', keyArn, noIdentity('kms:Decrypt')))
  const opened = await bob.kms.decrypt({ CiphertextBlob: sealed.CiphertextBlob, EncryptionContext: PURPOSE })
  assert.equal(Buffer.from(opened.Plaintext!).toString(), 'for bob')
  await assertSdkError(bob.kms.encrypt({ KeyId: keyArn, Plaintext: Buffer.from('x'), EncryptionContext: PURPOSE }),
    'AccessDeniedException', denied(bob.arn, 'kms:Encrypt', keyArn, noIdentity('kms:Encrypt')))
})

test('a grant handed to B lets B encrypt under its constraint until B retires it', T, async () => {
  const { GrantId, GrantToken } = await admin.createGrant({
    KeyId: keyId, GranteePrincipal: bob.arn, Operations: ['Encrypt', 'RetireGrant'], Constraints: { EncryptionContextSubset: { purpose: 'grant' } },
  })
  const sealed = await bob.kms.encrypt({ KeyId: keyArn, Plaintext: Buffer.from('x'), EncryptionContext: { purpose: 'grant', extra: '1' }, GrantTokens: [GrantToken!] })
  assert.equal(sealed.KeyId, keyArn)
  await assertSdkError(bob.kms.encrypt({ KeyId: keyArn, Plaintext: Buffer.from('x'), EncryptionContext: { purpose: 'elsewhere' } }),
    'AccessDeniedException', denied(bob.arn, 'kms:Encrypt', keyArn, noIdentity('kms:Encrypt')))
  const listed = await admin.listGrants({ KeyId: keyId })
  assert.deepEqual(listed.Grants?.map((g) => [g.GrantId, g.GranteePrincipal, g.IssuingAccount]), [[GrantId, bob.arn, `arn:aws:iam::${E2E_ACCOUNT_ID}:root`]])
  await bob.kms.retireGrant({ GrantToken })
  assert.deepEqual((await admin.listGrants({ KeyId: keyId })).Grants, [])
  await assertSdkError(bob.kms.encrypt({ KeyId: keyArn, Plaintext: Buffer.from('x'), EncryptionContext: { purpose: 'grant' } }),
    'AccessDeniedException', denied(bob.arn, 'kms:Encrypt', keyArn, noIdentity('kms:Encrypt')))
  await assertSdkError(bob.kms.encrypt({ KeyId: keyArn, Plaintext: Buffer.from('x'), EncryptionContext: PURPOSE, GrantTokens: [GrantToken!] }),
    'InvalidGrantTokenException', 'The request was rejected because the specified grant token is not valid.')
})

test('cross-account decrypt needs both the key policy and the caller\'s identity policy', T, async () => {
  const sealed = await admin.encrypt({ KeyId: keyId, Plaintext: Buffer.from('shared'), EncryptionContext: PURPOSE })
  const decrypt = () => carol.kms.decrypt({ CiphertextBlob: sealed.CiphertextBlob, EncryptionContext: PURPOSE, KeyId: keyArn })
  await assertSdkError(decrypt(), 'AccessDeniedException', denied(carol.arn, 'kms:Decrypt', keyArn, noResource('kms:Decrypt')))
  await admin.putKeyPolicy({ KeyId: keyId, PolicyName: 'default', Policy: keyPolicy(statement('OtherAccountDecrypts', OTHER_ACCOUNT, 'kms:Decrypt')) })
  assert.equal(Buffer.from((await decrypt()).Plaintext!).toString(), 'shared')

  await trent('identity-policy', 'delete', '--account', OTHER_ACCOUNT, '--user', 'carol', '--name', 'kms-use')
  await assertSdkError(decrypt(), 'AccessDeniedException', denied(carol.arn, 'kms:Decrypt', keyArn, noIdentity('kms:Decrypt')))
  await trent('identity-policy', 'put', '--account', OTHER_ACCOUNT, '--user', 'carol', '--name', 'kms-use',
    '--document', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: keyArn }] }))
  assert.equal(Buffer.from((await decrypt()).Plaintext!).toString(), 'shared')

  await admin.putKeyPolicy({ KeyId: keyId, PolicyName: 'default', Policy: keyPolicy() })
  await assertSdkError(decrypt(), 'AccessDeniedException', denied(carol.arn, 'kms:Decrypt', keyArn, noResource('kms:Decrypt')))
})

test('a principal with no policy is denied everything', T, async () => {
  const dave = await userClient(E2E_ACCOUNT_ID, 'dave')
  const sealed = await admin.encrypt({ KeyId: keyId, Plaintext: Buffer.from('x') })
  const attempts: [Promise<unknown>, string, string][] = [
    [dave.kms.listKeys({}), 'kms:ListKeys', '*'],
    [dave.kms.listAliases({}), 'kms:ListAliases', '*'],
    [dave.kms.createKey({}), 'kms:CreateKey', '*'],
    [dave.kms.generateRandom({ NumberOfBytes: 8 }), 'kms:GenerateRandom', '*'],
    [dave.kms.describeKey({ KeyId: keyArn }), 'kms:DescribeKey', keyArn],
    [dave.kms.encrypt({ KeyId: keyArn, Plaintext: Buffer.from('x') }), 'kms:Encrypt', keyArn],
    [dave.kms.decrypt({ CiphertextBlob: sealed.CiphertextBlob }), 'kms:Decrypt', keyArn],
    [dave.kms.generateDataKey({ KeyId: keyArn, KeySpec: 'AES_256' }), 'kms:GenerateDataKey', keyArn],
    [dave.kms.getKeyPolicy({ KeyId: keyArn, PolicyName: 'default' }), 'kms:GetKeyPolicy', keyArn],
    [dave.kms.createGrant({ KeyId: keyArn, GranteePrincipal: dave.arn, Operations: ['Decrypt'] }), 'kms:CreateGrant', keyArn],
    [dave.kms.scheduleKeyDeletion({ KeyId: keyArn }), 'kms:ScheduleKeyDeletion', keyArn],
  ]
  for (const [attempt, action, resource] of attempts) {
    await assertSdkError(attempt, 'AccessDeniedException', denied(dave.arn, action, resource, noIdentity(action)))
  }
})

test('a role session minted with the CLI signs requests with its session token', T, async () => {
  await trent('role', 'create', '--name', 'Auditor')
  await trent('identity-policy', 'put', '--role', 'Auditor', '--name', 'describe', '--document',
    JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:DescribeKey', Resource: keyArn }] }))
  const minted = await trent('role-session', 'create', '--role', 'Auditor', '--session-name', 'e2e', '--duration-seconds', '900')
  const c = minted.Credentials as Record<string, string>
  const session = kmsClient(server.url, { credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! } })
  clients.push(session)
  assert.equal((await session.describeKey({ KeyId: keyArn })).KeyMetadata?.Arn, keyArn)
  const sessionArn = `arn:aws:sts::${E2E_ACCOUNT_ID}:assumed-role/Auditor/e2e`
  await assertSdkError(session.encrypt({ KeyId: keyArn, Plaintext: Buffer.from('x') }), 'AccessDeniedException', denied(sessionArn, 'kms:Encrypt', keyArn, noIdentity('kms:Encrypt')))
  const forged = kmsClient(server.url, { credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: 'forged' } })
  clients.push(forged)
  await assertSdkError(forged.describeKey({ KeyId: keyArn }), 'UnrecognizedClientException', 'The security token included in the request is invalid.')
})
