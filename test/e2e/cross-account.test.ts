// Cross-account use end to end: account A's key policies give account B's root kms:*, and B drives the real
// server with @aws-sdk/client-kms. Only the operations AWS documents as "Cross-account use: Yes" reach A's keys.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { CloudTrail } from '@aws-sdk/client-cloudtrail'
import * as sdk from '@aws-sdk/client-kms'
import type { KMS } from '@aws-sdk/client-kms'
import { registry } from '../../src/operations/registry.js'
import { wireModel } from '../../src/wire/model.generated.js'
import { assertSdkError, kmsClient, type Credentials } from './support/clients.js'
import { E2E_ACCOUNT_ID, E2E_REGION, cleanupTrent, startTrent, type TrentProcess } from './support/server.js'
import { trentCli } from './support/trent-cli.js'

const T = { timeout: 180_000 }
const B = '444455556666'
const A_ROOT = `arn:aws:iam::${E2E_ACCOUNT_ID}:root`
const B_ROOT = `arn:aws:iam::${B}:root`
const ABSENT_KEY_ID = '0badc0de-1111-4222-8333-944445555666'

let server: TrentProcess
let a: KMS
let b: KMS
let bCredentials: Credentials
const keys: Record<'sym' | 'sign' | 'hmac' | 'ecdh', { arn: string; keyId: string }> = {} as never

const trent = (...args: string[]) => trentCli(server.dataDir, ...args)

/** A's key policy: A's root and B's root may both do anything, the pattern AWS makes safe. */
const sharedPolicy = JSON.stringify({ Version: '2012-10-17', Statement: [
  { Sid: 'Owner', Effect: 'Allow', Principal: { AWS: A_ROOT }, Action: 'kms:*', Resource: '*' },
  { Sid: 'OtherAccount', Effect: 'Allow', Principal: { AWS: B_ROOT }, Action: 'kms:*', Resource: '*' },
] })

/** Sends any KMS operation by its AWS name through the SDK's own command class. */
function send(client: KMS, operation: string, input: object): Promise<Record<string, unknown>> {
  const Command = (sdk as unknown as Record<string, new (input: object) => never>)[`${operation}Command`]
  assert.ok(Command, `the SDK has no ${operation}Command`)
  return client.send(new Command(input)) as unknown as Promise<Record<string, unknown>>
}

const arnOf = (keyId: string) => `arn:aws:kms:${E2E_REGION}:${E2E_ACCOUNT_ID}:key/${keyId}`
const notFound = (arn: string) => `Key '${arn}' does not exist`

before(async () => {
  server = await startTrent()
  a = kmsClient(server.url)
  await trent('account', 'create', '--account-id', B)
  const created = await trent('access-key', 'create', '--account', B)
  bCredentials = { accessKeyId: String(created.AccessKeyId), secretAccessKey: String(created.SecretAccessKey) }
  b = kmsClient(server.url, { credentials: bCredentials })
  const specs = { sym: {}, sign: { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }, hmac: { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }, ecdh: { KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT' } } as const
  for (const [name, spec] of Object.entries(specs)) {
    const meta = (await a.createKey({ ...spec, Description: `A's ${name} key`, Policy: sharedPolicy, Tags: [{ TagKey: 'team', TagValue: 'a' }] })).KeyMetadata!
    keys[name as keyof typeof keys] = { arn: meta.Arn!, keyId: meta.KeyId! }
  }
  await a.createAlias({ AliasName: 'alias/a-sym', TargetKeyId: keys.sym.keyId })
  const own = (await b.createKey({ Description: 'B\'s own key' })).KeyMetadata!
  await b.createAlias({ AliasName: 'alias/b-own', TargetKeyId: own.KeyId! })
}, T)

after(async () => {
  a?.destroy()
  b?.destroy()
  await cleanupTrent()
}, T)

/** Everything A can observe about a key: metadata, policy, tags and aliases. */
async function snapshot(keyId: string): Promise<unknown> {
  return {
    metadata: (await a.describeKey({ KeyId: keyId })).KeyMetadata,
    policy: (await a.getKeyPolicy({ KeyId: keyId, PolicyName: 'default' })).Policy,
    tags: (await a.listResourceTags({ KeyId: keyId })).Tags,
    aliases: (await a.listAliases({ KeyId: keyId })).Aliases,
  }
}

/** Each same-account operation's request from B naming `arn`, one of A's keys. */
const refusedRequests: Record<string, (arn: string) => object> = {
  CancelKeyDeletion: (arn) => ({ KeyId: arn }),
  CreateAlias: (arn) => ({ AliasName: 'alias/b-points-at-a', TargetKeyId: arn }),
  DeleteImportedKeyMaterial: (arn) => ({ KeyId: arn }),
  DisableKey: (arn) => ({ KeyId: arn }),
  DisableKeyRotation: (arn) => ({ KeyId: arn }),
  EnableKey: (arn) => ({ KeyId: arn }),
  GetParametersForImport: (arn) => ({ KeyId: arn, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' }),
  ImportKeyMaterial: (arn) => ({ KeyId: arn, ImportToken: Buffer.from('t'), EncryptedKeyMaterial: Buffer.from('m'), ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }),
  GetKeyLastUsage: (arn) => ({ KeyId: arn }),
  EnableKeyRotation: (arn) => ({ KeyId: arn, RotationPeriodInDays: 90 }),
  GetKeyPolicy: (arn) => ({ KeyId: arn, PolicyName: 'default' }),
  ListAliases: (arn) => ({ KeyId: arn }),
  ListKeyPolicies: (arn) => ({ KeyId: arn }),
  ListKeyRotations: (arn) => ({ KeyId: arn }),
  ListResourceTags: (arn) => ({ KeyId: arn }),
  PutKeyPolicy: (arn) => ({ KeyId: arn, PolicyName: 'default', BypassPolicyLockoutSafetyCheck: true, Policy: JSON.stringify({
    Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: B_ROOT }, Action: 'kms:*', Resource: '*' }] }) }),
  RotateKeyOnDemand: (arn) => ({ KeyId: arn }),
  ScheduleKeyDeletion: (arn) => ({ KeyId: arn, PendingWindowInDays: 7 }),
  TagResource: (arn) => ({ KeyId: arn, Tags: [{ TagKey: 'owner', TagValue: 'b' }] }),
  UntagResource: (arn) => ({ KeyId: arn, TagKeys: ['team'] }),
  UpdateAlias: (arn) => ({ AliasName: 'alias/b-own', TargetKeyId: arn }),
  UpdateKeyDescription: (arn) => ({ KeyId: arn, Description: 'taken over by B' }),
}

test('a key-scoped operation AWS keeps to its own account is refused another account\'s key, whatever the key policy grants', T, async () => {
  // The sweep covers every served key-scoped operation the model does not mark as cross-account.
  const sameAccountOnly = [...registry.values()].filter((op) => op.keyScoped && !wireModel.operations[op.name]!.crossAccount).map((op) => op.name)
  for (const name of sameAccountOnly) assert.ok(name === 'DeleteAlias' || refusedRequests[name], `no cross-account case for ${name}`)

  const before = await Promise.all(Object.values(keys).map((k) => snapshot(k.keyId)))
  const bAliasBefore = (await b.listAliases({})).Aliases
  for (const key of Object.values(keys)) {
    for (const [operation, request] of Object.entries(refusedRequests)) {
      await assertSdkError(send(b, operation, request(key.arn)), 'NotFoundException', notFound(key.arn))
      // The same answer as for a key that does not exist: the refusal reveals nothing.
      await assertSdkError(send(b, operation, request(arnOf(ABSENT_KEY_ID))), 'NotFoundException', notFound(arnOf(ABSENT_KEY_ID)))
    }
  }
  // DeleteAlias names an alias, and an alias name is always looked up in the caller's own account.
  await assertSdkError(b.deleteAlias({ AliasName: 'alias/a-sym' }), 'NotFoundException', `Alias arn:aws:kms:${E2E_REGION}:${B}:alias/a-sym is not found.`)

  assert.deepEqual(await Promise.all(Object.values(keys).map((k) => snapshot(k.keyId))), before)
  assert.deepEqual((await b.listAliases({})).Aliases, bAliasBefore)
  // B's own audit trail names none of A's keys as a resource: nothing shows that they exist.
  const trail = new CloudTrail({ endpoint: server.url, region: E2E_REGION, credentials: bCredentials, maxAttempts: 1 })
  try {
    const seen = await trail.lookupEvents({ LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: keys.sym.arn }], MaxResults: 50 })
    assert.deepEqual(seen.Events, [])
  } finally {
    trail.destroy()
  }

  // A keeps full control of its keys.
  await a.updateKeyDescription({ KeyId: keys.sym.keyId, Description: 'still A\'s' })
  await a.disableKey({ KeyId: keys.sym.keyId })
  await a.enableKey({ KeyId: keys.sym.keyId })
  await a.tagResource({ KeyId: keys.sym.keyId, Tags: [{ TagKey: 'checked', TagValue: 'yes' }] })
  await a.putKeyPolicy({ KeyId: keys.sym.keyId, PolicyName: 'default', Policy: sharedPolicy })
  const sealed = await a.encrypt({ KeyId: 'alias/a-sym', Plaintext: Buffer.from('mine') })
  assert.equal(Buffer.from((await a.decrypt({ CiphertextBlob: sealed.CiphertextBlob })).Plaintext!).toString(), 'mine')
  const scheduled = await a.scheduleKeyDeletion({ KeyId: keys.hmac.keyId, PendingWindowInDays: 7 })
  assert.equal(scheduled.KeyState, 'PendingDeletion')
  await a.cancelKeyDeletion({ KeyId: keys.hmac.keyId })
  await a.enableKey({ KeyId: keys.hmac.keyId })
  assert.equal((await a.describeKey({ KeyId: keys.sym.keyId })).KeyMetadata!.Description, 'still A\'s')
})

test('every operation AWS allows across accounts works on another account\'s key when its policy allows', T, async () => {
  const used = new Set<string>()
  const call = async (operation: string, input: object) => {
    used.add(operation)
    return send(b, operation, input)
  }
  const aliasArn = `arn:aws:kms:${E2E_REGION}:${E2E_ACCOUNT_ID}:alias/a-sym`
  assert.equal(((await call('DescribeKey', { KeyId: aliasArn })).KeyMetadata as { Arn: string }).Arn, keys.sym.arn)
  const sealed = await call('Encrypt', { KeyId: aliasArn, Plaintext: Buffer.from('for b') })
  assert.equal(sealed.KeyId, keys.sym.arn)
  const opened = await call('Decrypt', { CiphertextBlob: sealed.CiphertextBlob, KeyId: keys.sym.arn })
  assert.equal(Buffer.from(opened.Plaintext as Uint8Array).toString(), 'for b')
  const moved = await call('ReEncrypt', { CiphertextBlob: sealed.CiphertextBlob, DestinationKeyId: keys.sym.arn })
  assert.equal(moved.SourceKeyId, keys.sym.arn)
  assert.equal((await call('GenerateDataKey', { KeyId: keys.sym.arn, KeySpec: 'AES_256' })).KeyId, keys.sym.arn)
  assert.equal((await call('GenerateDataKeyWithoutPlaintext', { KeyId: aliasArn, NumberOfBytes: 32 })).KeyId, keys.sym.arn)
  assert.equal((await call('GenerateDataKeyPair', { KeyId: keys.sym.arn, KeyPairSpec: 'ECC_NIST_P256' })).KeyId, keys.sym.arn)
  assert.equal((await call('GenerateDataKeyPairWithoutPlaintext', { KeyId: keys.sym.arn, KeyPairSpec: 'ECC_NIST_P256' })).KeyId, keys.sym.arn)

  const message = Buffer.from('signed across accounts')
  const signed = await call('Sign', { KeyId: keys.sign.arn, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' })
  assert.equal((await call('Verify', { KeyId: keys.sign.arn, Message: message, Signature: signed.Signature, SigningAlgorithm: 'ECDSA_SHA_256' })).SignatureValid, true)
  assert.equal((await call('GetPublicKey', { KeyId: keys.sign.arn })).KeyId, keys.sign.arn)
  const mac = await call('GenerateMac', { KeyId: keys.hmac.arn, Message: message, MacAlgorithm: 'HMAC_SHA_256' })
  assert.equal((await call('VerifyMac', { KeyId: keys.hmac.arn, Message: message, Mac: mac.Mac, MacAlgorithm: 'HMAC_SHA_256' })).MacValid, true)
  const peer = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'der' })
  assert.equal((await call('DeriveSharedSecret', { KeyId: keys.ecdh.arn, KeyAgreementAlgorithm: 'ECDH', PublicKey: peer })).KeyId, keys.ecdh.arn)

  const retired = await call('CreateGrant', { KeyId: keys.sym.arn, GranteePrincipal: B_ROOT, Operations: ['Decrypt', 'RetireGrant'] })
  const listed = await call('ListGrants', { KeyId: keys.sym.arn })
  assert.deepEqual((listed.Grants as { GrantId: string }[]).map((g) => g.GrantId), [retired.GrantId])
  await call('RetireGrant', { GrantToken: retired.GrantToken })
  const revoked = await call('CreateGrant', { KeyId: keys.sym.arn, GranteePrincipal: B_ROOT, Operations: ['Encrypt'] })
  await call('RevokeGrant', { KeyId: keys.sym.arn, GrantId: revoked.GrantId })
  assert.deepEqual((await a.listGrants({ KeyId: keys.sym.keyId })).Grants, [])

  // A bare key id or alias name always names a key of the caller's own account, even for these operations.
  await assertSdkError(b.describeKey({ KeyId: keys.sym.keyId }), 'NotFoundException', `Key 'arn:aws:kms:${E2E_REGION}:${B}:key/${keys.sym.keyId}' does not exist`)
  await assertSdkError(b.encrypt({ KeyId: 'alias/a-sym', Plaintext: Buffer.from('x') }), 'NotFoundException', `Alias arn:aws:kms:${E2E_REGION}:${B}:alias/a-sym is not found.`)

  await a.enableKeyRotation({ KeyId: keys.sym.keyId, RotationPeriodInDays: 180 })
  const status = await call('GetKeyRotationStatus', { KeyId: keys.sym.arn })
  assert.deepEqual([status.KeyId, status.KeyRotationEnabled, status.RotationPeriodInDays], [keys.sym.arn, true, 180])

  const crossAccount = [...registry.values()].filter((op) => op.keyScoped && wireModel.operations[op.name]!.crossAccount).map((op) => op.name)
  assert.deepEqual(crossAccount.filter((name) => !used.has(name)), [])
})

test('a key ARN or alias ARN of another partition names no key of this one, for its owner as for anyone', T, async () => {
  for (const partition of ['aws-cn', 'aws-us-gov']) {
    const keyArn = keys.sym.arn.replace(/^arn:aws:/, `arn:${partition}:`)
    await assertSdkError(a.describeKey({ KeyId: keyArn }), 'InvalidArnException', 'Invalid arn')
    await assertSdkError(a.encrypt({ KeyId: keyArn, Plaintext: Buffer.from('x') }), 'InvalidArnException', 'Invalid arn')
    await assertSdkError(b.describeKey({ KeyId: keyArn }), 'InvalidArnException', 'Invalid arn')
    const aliasArn = `arn:${partition}:kms:${E2E_REGION}:${E2E_ACCOUNT_ID}:alias/a-sym`
    await assertSdkError(a.describeKey({ KeyId: aliasArn }), 'InvalidArnException', 'Invalid arn')
  }
})
