// kms:RequestAlias end to end: a user whose identity policy denies every request made through the
// alias/guarded-* aliases, driven with @aws-sdk/client-kms against the real server.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { constants, createPublicKey, generateKeyPairSync, publicEncrypt } from 'node:crypto'
import type { KMS } from '@aws-sdk/client-kms'
import { assertSdkError, kmsClient, type Credentials } from './support/clients.js'
import { E2E_ACCOUNT_ID, E2E_REGION, cleanupTrent, startTrent, type TrentProcess } from './support/server.js'
import { trentCli } from './support/trent-cli.js'

const T = { timeout: 180_000 }

let server: TrentProcess
let admin: KMS
let user: KMS
let userArn: string
type KeyName = 'sym' | 'rsa' | 'sign' | 'hmac' | 'ecdh'
const keys = {} as Record<KeyName, { arn: string; alias: string }>

const trent = (...args: string[]) => trentCli(server.dataDir, ...args)

before(async () => {
  server = await startTrent()
  admin = kmsClient(server.url)
  const specs = {
    sym: {}, rsa: { KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' }, sign: { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' },
    hmac: { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }, ecdh: { KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT' },
  } as const
  for (const [name, spec] of Object.entries(specs)) {
    const meta = (await admin.createKey(spec)).KeyMetadata!
    const alias = `alias/guarded-${name}`
    await admin.createAlias({ AliasName: alias, TargetKeyId: meta.KeyId! })
    keys[name as KeyName] = { arn: meta.Arn!, alias }
  }
  // The default key policy delegates to the account, so the user's identity policy decides.
  const created = await trent('user', 'create', '--account', E2E_ACCOUNT_ID, '--name', 'guarded')
  userArn = String(created.Arn)
  await trent('identity-policy', 'put', '--account', E2E_ACCOUNT_ID, '--user', 'guarded', '--name', 'no-guarded-aliases', '--document', JSON.stringify({
    Version: '2012-10-17', Statement: [
      { Effect: 'Allow', Action: 'kms:*', Resource: '*' },
      { Effect: 'Deny', Action: 'kms:*', Resource: '*', Condition: { StringLike: { 'kms:RequestAlias': 'alias/guarded-*' } } },
    ],
  }))
  const key = await trent('access-key', 'create', '--account', E2E_ACCOUNT_ID, '--user', 'guarded')
  const credentials: Credentials = { accessKeyId: String(key.AccessKeyId), secretAccessKey: String(key.SecretAccessKey) }
  user = kmsClient(server.url, { credentials })
}, T)

after(async () => {
  admin?.destroy()
  user?.destroy()
  await cleanupTrent()
}, T)

const aliasArn = (alias: string) => `arn:aws:kms:${E2E_REGION}:${E2E_ACCOUNT_ID}:${alias}`
const deniedThroughAlias = (action: string, arn: string) =>
  `User: ${userArn} is not authorized to perform: ${action} on resource: ${arn} with an explicit deny in an identity-based policy`

interface Case {
  /** Operation and the member that carries the alias. */
  name: string
  action: string
  key: KeyName
  /** The request with `id` in the key-identifying member under test. */
  request: (id: string) => Promise<unknown>
  /** What the same request answers when the key is named without the alias (undefined: success). */
  withoutAlias?: string
}

test('every operation that accepts an alias applies kms:RequestAlias to the key it names, in every member', T, async () => {
  const message = Buffer.from('guarded')
  const sym = await admin.encrypt({ KeyId: keys.sym.arn, Plaintext: message })
  const rsaPublic = (await admin.getPublicKey({ KeyId: keys.rsa.arn })).PublicKey!
  const rsaCiphertext = publicEncrypt({ key: createPublicKey({ key: Buffer.from(rsaPublic), format: 'der', type: 'spki' }), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, message)
  const signature = (await admin.sign({ KeyId: keys.sign.arn, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' })).Signature
  const mac = (await admin.generateMac({ KeyId: keys.hmac.arn, Message: message, MacAlgorithm: 'HMAC_SHA_256' })).Mac
  const peer = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'der' })
  const ignore = { DryRun: true, DryRunModifiers: ['IGNORE_CIPHERTEXT' as const] }
  const dryRunOk = 'DryRunOperationException'

  const cases: Case[] = [
    { name: 'Encrypt KeyId', action: 'kms:Encrypt', key: 'sym', request: (id) => user.encrypt({ KeyId: id, Plaintext: message }) },
    { name: 'Decrypt KeyId (symmetric)', action: 'kms:Decrypt', key: 'sym', request: (id) => user.decrypt({ KeyId: id, CiphertextBlob: sym.CiphertextBlob }) },
    { name: 'Decrypt KeyId (RSA key pair)', action: 'kms:Decrypt', key: 'rsa', request: (id) => user.decrypt({ KeyId: id, CiphertextBlob: rsaCiphertext, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }) },
    { name: 'Decrypt KeyId (dry run, ciphertext ignored)', action: 'kms:Decrypt', key: 'sym', request: (id) => user.decrypt({ KeyId: id, ...ignore }), withoutAlias: dryRunOk },
    { name: 'ReEncrypt SourceKeyId (symmetric)', action: 'kms:ReEncryptFrom', key: 'sym', request: (id) => user.reEncrypt({ SourceKeyId: id, CiphertextBlob: sym.CiphertextBlob, DestinationKeyId: keys.sym.arn }) },
    { name: 'ReEncrypt SourceKeyId (RSA key pair)', action: 'kms:ReEncryptFrom', key: 'rsa', request: (id) => user.reEncrypt({ SourceKeyId: id, CiphertextBlob: rsaCiphertext, SourceEncryptionAlgorithm: 'RSAES_OAEP_SHA_256', DestinationKeyId: keys.sym.arn }) },
    { name: 'ReEncrypt SourceKeyId (dry run)', action: 'kms:ReEncryptFrom', key: 'sym', request: (id) => user.reEncrypt({ SourceKeyId: id, DestinationKeyId: keys.sym.arn, ...ignore }), withoutAlias: dryRunOk },
    { name: 'ReEncrypt DestinationKeyId', action: 'kms:ReEncryptTo', key: 'sym', request: (id) => user.reEncrypt({ CiphertextBlob: sym.CiphertextBlob, DestinationKeyId: id }) },
    { name: 'ReEncrypt DestinationKeyId (dry run)', action: 'kms:ReEncryptTo', key: 'sym', request: (id) => user.reEncrypt({ SourceKeyId: keys.sym.arn, DestinationKeyId: id, ...ignore }), withoutAlias: dryRunOk },
    { name: 'GenerateDataKey KeyId', action: 'kms:GenerateDataKey', key: 'sym', request: (id) => user.generateDataKey({ KeyId: id, KeySpec: 'AES_256' }) },
    { name: 'GenerateDataKeyWithoutPlaintext KeyId', action: 'kms:GenerateDataKeyWithoutPlaintext', key: 'sym', request: (id) => user.generateDataKeyWithoutPlaintext({ KeyId: id, KeySpec: 'AES_256' }) },
    { name: 'GenerateDataKeyPair KeyId', action: 'kms:GenerateDataKeyPair', key: 'sym', request: (id) => user.generateDataKeyPair({ KeyId: id, KeyPairSpec: 'ECC_NIST_P256' }) },
    { name: 'GenerateDataKeyPairWithoutPlaintext KeyId', action: 'kms:GenerateDataKeyPairWithoutPlaintext', key: 'sym', request: (id) => user.generateDataKeyPairWithoutPlaintext({ KeyId: id, KeyPairSpec: 'ECC_NIST_P256' }) },
    { name: 'DescribeKey KeyId', action: 'kms:DescribeKey', key: 'sym', request: (id) => user.describeKey({ KeyId: id }) },
    { name: 'GetPublicKey KeyId', action: 'kms:GetPublicKey', key: 'sign', request: (id) => user.getPublicKey({ KeyId: id }) },
    { name: 'Sign KeyId', action: 'kms:Sign', key: 'sign', request: (id) => user.sign({ KeyId: id, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' }) },
    { name: 'Verify KeyId', action: 'kms:Verify', key: 'sign', request: (id) => user.verify({ KeyId: id, Message: message, Signature: signature, SigningAlgorithm: 'ECDSA_SHA_256' }) },
    { name: 'GenerateMac KeyId', action: 'kms:GenerateMac', key: 'hmac', request: (id) => user.generateMac({ KeyId: id, Message: message, MacAlgorithm: 'HMAC_SHA_256' }) },
    { name: 'VerifyMac KeyId', action: 'kms:VerifyMac', key: 'hmac', request: (id) => user.verifyMac({ KeyId: id, Message: message, Mac: mac, MacAlgorithm: 'HMAC_SHA_256' }) },
    { name: 'DeriveSharedSecret KeyId', action: 'kms:DeriveSharedSecret', key: 'ecdh', request: (id) => user.deriveSharedSecret({ KeyId: id, KeyAgreementAlgorithm: 'ECDH', PublicKey: peer }) },
  ]
  for (const c of cases) {
    const { arn, alias } = keys[c.key]
    for (const named of [alias, aliasArn(alias)]) {
      await assertSdkError(c.request(named), 'AccessDeniedException', deniedThroughAlias(c.action, arn)).catch((e: Error) => {
        throw new Error(`${c.name} through ${named}: ${e.message}`)
      })
    }
    if (c.withoutAlias) await assertSdkError(c.request(arn), c.withoutAlias, /./)
    else await assert.doesNotReject(c.request(arn), c.name)
  }
})
