// Encryption-context case rules end to end (issue 8, findings 3, 7 and 9): the real server, users made
// with the `trent` CLI, and @aws-sdk/client-kms. Condition keys match context keys case-insensitively,
// two context keys that differ only in case never collapse into one, grant constraints refuse such a
// context, the lockout check sees the caller's source IP, and a BOM in the context is ordinary text.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import type { KMS } from '@aws-sdk/client-kms'
import { assertSdkError, kmsClient } from './support/clients.js'
import { E2E_ACCOUNT_ID, cleanupTrent, startTrent, type TrentProcess } from './support/server.js'
import { createUserWithKey } from './support/trent-cli.js'

const T = { timeout: 120_000 }
const ROOT = `arn:aws:iam::${E2E_ACCOUNT_ID}:root`
const EXPLICIT_DENY = /with an explicit deny in a resource-based policy$/
const NO_IDENTITY = /because no identity-based policy allows the kms:\w+ action$/
const LOCKOUT = 'The new key policy will not allow you to update the key policy in the future.'

let server: TrentProcess
let admin: KMS
const clients: KMS[] = []


async function userClient(name: string): Promise<{ kms: KMS; arn: string }> {
  const { arn, credentials } = await createUserWithKey(server.dataDir, E2E_ACCOUNT_ID, name)
  const kms = kmsClient(server.url, { credentials })
  clients.push(kms)
  return { kms, arn }
}

const policyOf = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements })
const adminStatement = { Sid: 'Admin', Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' }
const denyTopSecret = (conditionKey: string) => ({
  Sid: 'NoTopSecret', Effect: 'Deny', Principal: '*', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'], Resource: '*',
  Condition: { StringEquals: { [conditionKey]: 'top-secret' } },
})

async function newKey(description: string): Promise<string> {
  return (await admin.createKey({ Description: description })).KeyMetadata!.KeyId!
}

before(async () => {
  server = await startTrent()
  admin = kmsClient(server.url)
}, T)

after(async () => {
  admin?.destroy()
  for (const c of clients) c.destroy()
  await cleanupTrent()
}, T)

test('a Deny on an encryption-context key is not bypassed by a second key that differs only in case (Encrypt, Decrypt, GenerateDataKey)', T, async () => {
  const keyId = await newKey('deny bypass')
  const twoKeys = { classification: 'top-secret', Classification: 'x' }
  const otherOrder = { Classification: 'x', classification: 'top-secret' }
  // Sealed before the Deny exists, so Decrypt has a real ciphertext bound to both pairs.
  const sealed = await admin.encrypt({ KeyId: keyId, Plaintext: Buffer.from('secret'), EncryptionContext: twoKeys })
  await admin.putKeyPolicy({ KeyId: keyId, PolicyName: 'default', Policy: policyOf(adminStatement, denyTopSecret('kms:EncryptionContext:classification')) })
  for (const context of [twoKeys, otherOrder]) {
    await assertSdkError(admin.encrypt({ KeyId: keyId, Plaintext: Buffer.from('x'), EncryptionContext: context }), 'AccessDeniedException', EXPLICIT_DENY)
    await assertSdkError(admin.decrypt({ CiphertextBlob: sealed.CiphertextBlob, EncryptionContext: context }), 'AccessDeniedException', EXPLICIT_DENY)
    await assertSdkError(admin.generateDataKey({ KeyId: keyId, KeySpec: 'AES_256', EncryptionContext: context }), 'AccessDeniedException', EXPLICIT_DENY)
  }
  // Only the denied value is refused: other contexts still work.
  await admin.encrypt({ KeyId: keyId, Plaintext: Buffer.from('x'), EncryptionContext: { classification: 'public', Classification: 'x' } })
})

test('a condition key matches an encryption-context key that differs from it only in case', T, async () => {
  const keyId = await newKey('case-insensitive condition key')
  await admin.putKeyPolicy({ KeyId: keyId, PolicyName: 'default', Policy: policyOf(adminStatement, denyTopSecret('kms:EncryptionContext:CLASSIFICATION')) })
  await assertSdkError(admin.encrypt({ KeyId: keyId, Plaintext: Buffer.from('x'), EncryptionContext: { Classification: 'top-secret' } }), 'AccessDeniedException', EXPLICIT_DENY)
  await assertSdkError(admin.generateDataKey({ KeyId: keyId, KeySpec: 'AES_256', EncryptionContext: { classification: 'top-secret' } }), 'AccessDeniedException', EXPLICIT_DENY)
  // Values stay case-sensitive under StringEquals.
  await admin.encrypt({ KeyId: keyId, Plaintext: Buffer.from('x'), EncryptionContext: { classification: 'TOP-SECRET' } })
})

test('a grant constraint refuses a context holding two keys that differ only in case (EncryptionContextEquals and EncryptionContextSubset)', T, async () => {
  const keyId = await newKey('grant constraints')
  const bob = await userClient('bob')
  const operations = ['Encrypt', 'Decrypt', 'GenerateDataKey'] as const
  const equals = await admin.createGrant({ KeyId: keyId, GranteePrincipal: bob.arn, Operations: [...operations], Constraints: { EncryptionContextEquals: { tenant: 'bob' } } })
  const tokens = [equals.GrantToken!]
  // Keys compare case-insensitively, values case-sensitively.
  const sealed = await bob.kms.encrypt({ KeyId: keyId, Plaintext: Buffer.from('x'), EncryptionContext: { TENANT: 'bob' }, GrantTokens: tokens })
  assert.equal(Buffer.from((await bob.kms.decrypt({ CiphertextBlob: sealed.CiphertextBlob, EncryptionContext: { TENANT: 'bob' }, GrantTokens: tokens })).Plaintext!).toString(), 'x')
  await assertSdkError(bob.kms.encrypt({ KeyId: keyId, Plaintext: Buffer.from('x'), EncryptionContext: { tenant: 'BOB' }, GrantTokens: tokens }), 'AccessDeniedException', NO_IDENTITY)

  const mixed = { TENANT: 'alice', tenant: 'bob' }
  const mixedSealed = await admin.encrypt({ KeyId: keyId, Plaintext: Buffer.from('alice data'), EncryptionContext: mixed })
  await assertSdkError(bob.kms.encrypt({ KeyId: keyId, Plaintext: Buffer.from('x'), EncryptionContext: mixed, GrantTokens: tokens }), 'AccessDeniedException', NO_IDENTITY)
  await assertSdkError(bob.kms.decrypt({ CiphertextBlob: mixedSealed.CiphertextBlob, EncryptionContext: mixed, GrantTokens: tokens }), 'AccessDeniedException', NO_IDENTITY)
  await assertSdkError(bob.kms.generateDataKey({ KeyId: keyId, KeySpec: 'AES_256', EncryptionContext: mixed, GrantTokens: tokens }), 'AccessDeniedException', NO_IDENTITY)
  await admin.revokeGrant({ KeyId: keyId, GrantId: equals.GrantId! })

  const subset = await admin.createGrant({ KeyId: keyId, GranteePrincipal: bob.arn, Operations: [...operations], Constraints: { EncryptionContextSubset: { tenant: 'bob' } } })
  const subsetTokens = [subset.GrantToken!]
  await bob.kms.encrypt({ KeyId: keyId, Plaintext: Buffer.from('x'), EncryptionContext: { Tenant: 'bob', extra: '1' }, GrantTokens: subsetTokens })
  await assertSdkError(bob.kms.encrypt({ KeyId: keyId, Plaintext: Buffer.from('x'), EncryptionContext: { Tenant: 'alice', tenant: 'bob' }, GrantTokens: subsetTokens }), 'AccessDeniedException', NO_IDENTITY)
  await assertSdkError(bob.kms.decrypt({ CiphertextBlob: mixedSealed.CiphertextBlob, EncryptionContext: mixed, GrantTokens: subsetTokens }), 'AccessDeniedException', NO_IDENTITY)
})

test('a grant passed on through a grant holds every constraint of its parent, both EncryptionContextEquals and EncryptionContextSubset', T, async () => {
  const keyId = await newKey('grant through grant')
  const dan = await userClient('dan')
  const erin = await userClient('erin')
  // dan's grant needs the context to be exactly {tenant: a} and to hold {stage: prod}: no context does.
  const parent = await admin.createGrant({ KeyId: keyId, GranteePrincipal: dan.arn, Operations: ['CreateGrant', 'Encrypt'],
    Constraints: { EncryptionContextEquals: { tenant: 'a' }, EncryptionContextSubset: { stage: 'prod' } } })
  const tokens = [parent.GrantToken!]
  await assertSdkError(dan.kms.encrypt({ KeyId: keyId, Plaintext: Buffer.from('x'), EncryptionContext: { tenant: 'a' }, GrantTokens: tokens }), 'AccessDeniedException', NO_IDENTITY)
  const child = (Constraints: object) => dan.kms.createGrant({ KeyId: keyId, GranteePrincipal: erin.arn, Operations: ['Encrypt'], Constraints, GrantTokens: tokens })
  // Dropping the Subset half would let erin do what dan never could.
  await assertSdkError(child({ EncryptionContextEquals: { tenant: 'a' } }), 'AccessDeniedException', /not authorized to perform: kms:CreateGrant/)
  await assertSdkError(erin.kms.encrypt({ KeyId: keyId, Plaintext: Buffer.from('x'), EncryptionContext: { tenant: 'a' } }), 'AccessDeniedException', /not authorized to perform: kms:Encrypt/)
  await child({ EncryptionContextEquals: { tenant: 'a' }, EncryptionContextSubset: { stage: 'prod' } })
})

test('the lockout safety check refuses a policy that denies the caller\'s own source IP, unless bypassed', T, async () => {
  const keyId = await newKey('lockout by source ip')
  const denyMyIp = { Sid: 'NoLoopback', Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': ['127.0.0.1/8', '::1/128'] } } }
  const policy = policyOf(adminStatement, denyMyIp)
  await assertSdkError(admin.putKeyPolicy({ KeyId: keyId, PolicyName: 'default', Policy: policy }), 'MalformedPolicyDocumentException', LOCKOUT)
  await assertSdkError(admin.createKey({ Policy: policy }), 'MalformedPolicyDocumentException', LOCKOUT)
  // The refused policy was not stored: the caller can still manage the key.
  assert.equal((await admin.describeKey({ KeyId: keyId })).KeyMetadata?.KeyId, keyId)

  await admin.putKeyPolicy({ KeyId: keyId, PolicyName: 'default', Policy: policy, BypassPolicyLockoutSafetyCheck: true })
  // The check was right: from this address the caller is now locked out.
  await assertSdkError(admin.putKeyPolicy({ KeyId: keyId, PolicyName: 'default', Policy: policyOf(adminStatement) }), 'AccessDeniedException', EXPLICIT_DENY)
  const created = await admin.createKey({ Policy: policy, BypassPolicyLockoutSafetyCheck: true })
  assert.ok(created.KeyMetadata?.KeyId)
})

test('an encryption context whose key and value start with U+FEFF round-trips, and is not interchangeable with the same text without it', T, async () => {
  const keyId = await newKey('bom context')
  const withBom = { '\uFEFFpurpose': '\uFEFFbackup' }
  const sealed = await admin.encrypt({ KeyId: keyId, Plaintext: Buffer.from('bom'), EncryptionContext: withBom })
  const opened = await admin.decrypt({ CiphertextBlob: sealed.CiphertextBlob, EncryptionContext: withBom })
  assert.equal(Buffer.from(opened.Plaintext!).toString(), 'bom')
  const invalid = null
  await assertSdkError(admin.decrypt({ CiphertextBlob: sealed.CiphertextBlob, EncryptionContext: { purpose: 'backup' } }), 'InvalidCiphertextException', invalid)
  await assertSdkError(admin.decrypt({ CiphertextBlob: sealed.CiphertextBlob, EncryptionContext: { '\uFEFFpurpose': 'backup' } }), 'InvalidCiphertextException', invalid)
  // Ill-formed UTF-16 (a lone surrogate) is still refused.
  await assertSdkError(admin.encrypt({ KeyId: keyId, Plaintext: Buffer.from('x'), EncryptionContext: { '\uFEFF\uDC00': 'v' } }), 'ValidationException', /well-formed/)
  await assertSdkError(admin.decrypt({ CiphertextBlob: sealed.CiphertextBlob, EncryptionContext: { '\uFEFFpurpose': '\uD800' } }), 'InvalidCiphertextException', invalid)
})
