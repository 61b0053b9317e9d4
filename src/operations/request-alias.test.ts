// kms:RequestAlias over the whole registry: every operation with a key-identifying member either applies the
// alias to its decision on that key (a Deny on kms:RequestAlias stops it) or refuses an alias there outright.
import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { b64, createHarness, type Harness } from '../../test/support/harness.js'
import { addUser, type TestIdentity } from '../../test/support/identities.js'
import { aliasArnFor, createAlias, createKey, ok, type TestKey } from '../../test/support/kms-fixtures.js'
import { wireModel } from '../wire/model.generated.js'
import { registry } from './registry.js'

const KEY_MEMBERS = ['KeyId', 'SourceKeyId', 'DestinationKeyId', 'TargetKeyId']
type KeyName = 'sym' | 'sign' | 'hmac' | 'ecdh'
type Body = Record<string, unknown>

describe('kms:RequestAlias in every alias-accepting member of every operation', () => {
  let h: Harness
  let user: TestIdentity
  const keys = {} as Record<KeyName, TestKey & { alias: string }>
  const blobs: Record<string, string> = {}

  before(async () => {
    h = await createHarness()
    const specs = { sym: {}, sign: { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }, hmac: { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }, ecdh: { KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT' } }
    for (const [name, spec] of Object.entries(specs)) {
      const key = await createKey(h, spec)
      await createAlias(h, `alias/guarded-${name}`, key.keyId)
      keys[name as KeyName] = { ...key, alias: `alias/guarded-${name}` }
    }
    user = await addUser(h, 'guarded', { use: [
      { Effect: 'Allow', Action: 'kms:*', Resource: '*' },
      { Effect: 'Deny', Action: 'kms:*', Resource: '*', Condition: { StringLike: { 'kms:RequestAlias': 'alias/guarded-*' } } },
    ] })
    blobs.ciphertext = (await ok(h, 'Encrypt', { KeyId: keys.sym.keyId, Plaintext: b64('x') })).CiphertextBlob as string
    blobs.signature = (await ok(h, 'Sign', { KeyId: keys.sign.keyId, Message: b64('x'), SigningAlgorithm: 'ECDSA_SHA_256' })).Signature as string
    blobs.mac = (await ok(h, 'GenerateMac', { KeyId: keys.hmac.keyId, Message: b64('x'), MacAlgorithm: 'HMAC_SHA_256' })).Mac as string
    blobs.peer = b64(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'der' }))
  })
  after(() => h.close())

  /** Requests whose key-identifying member (the one `id` fills) accepts an alias: [key, body]. */
  const accepting = (): Record<string, [KeyName, (id: string) => Body][]> => ({
    Encrypt: [['sym', (id) => ({ KeyId: id, Plaintext: b64('x') })]],
    Decrypt: [['sym', (id) => ({ KeyId: id, CiphertextBlob: blobs.ciphertext })]],
    ReEncrypt: [
      ['sym', (id) => ({ SourceKeyId: id, CiphertextBlob: blobs.ciphertext, DestinationKeyId: keys.sym.arn })],
      ['sym', (id) => ({ CiphertextBlob: blobs.ciphertext, DestinationKeyId: id })],
    ],
    GenerateDataKey: [['sym', (id) => ({ KeyId: id, KeySpec: 'AES_256' })]],
    GenerateDataKeyWithoutPlaintext: [['sym', (id) => ({ KeyId: id, KeySpec: 'AES_256' })]],
    GenerateDataKeyPair: [['sym', (id) => ({ KeyId: id, KeyPairSpec: 'ECC_NIST_P256' })]],
    GenerateDataKeyPairWithoutPlaintext: [['sym', (id) => ({ KeyId: id, KeyPairSpec: 'ECC_NIST_P256' })]],
    DescribeKey: [['sym', (id) => ({ KeyId: id })]],
    GetPublicKey: [['sign', (id) => ({ KeyId: id })]],
    Sign: [['sign', (id) => ({ KeyId: id, Message: b64('x'), SigningAlgorithm: 'ECDSA_SHA_256' })]],
    Verify: [['sign', (id) => ({ KeyId: id, Message: b64('x'), Signature: blobs.signature, SigningAlgorithm: 'ECDSA_SHA_256' })]],
    GenerateMac: [['hmac', (id) => ({ KeyId: id, Message: b64('x'), MacAlgorithm: 'HMAC_SHA_256' })]],
    VerifyMac: [['hmac', (id) => ({ KeyId: id, Message: b64('x'), Mac: blobs.mac, MacAlgorithm: 'HMAC_SHA_256' })]],
    DeriveSharedSecret: [['ecdh', (id) => ({ KeyId: id, KeyAgreementAlgorithm: 'ECDH', PublicKey: blobs.peer })]],
  })

  /** Operations whose key-identifying member takes only a key id or key ARN: the body with `id` there. */
  const refusing: Record<string, (id: string) => Body> = {
    CancelKeyDeletion: (id) => ({ KeyId: id }),
    CreateAlias: (id) => ({ AliasName: 'alias/new-one', TargetKeyId: id }),
    CreateGrant: (id) => ({ KeyId: id, GranteePrincipal: user.arn, Operations: ['Encrypt'] }),
    DeleteImportedKeyMaterial: (id) => ({ KeyId: id }),
    DisableKey: (id) => ({ KeyId: id }),
    DisableKeyRotation: (id) => ({ KeyId: id }),
    EnableKey: (id) => ({ KeyId: id }),
    GetParametersForImport: (id) => ({ KeyId: id, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' }),
    ImportKeyMaterial: (id) => ({ KeyId: id, ImportToken: b64('t'), EncryptedKeyMaterial: b64('m'), ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }),
    GetKeyLastUsage: (id) => ({ KeyId: id }),
    EnableKeyRotation: (id) => ({ KeyId: id }),
    GetKeyPolicy: (id) => ({ KeyId: id, PolicyName: 'default' }),
    GetKeyRotationStatus: (id) => ({ KeyId: id }),
    ListAliases: (id) => ({ KeyId: id }),
    ListGrants: (id) => ({ KeyId: id }),
    ListKeyPolicies: (id) => ({ KeyId: id }),
    ListKeyRotations: (id) => ({ KeyId: id }),
    ListResourceTags: (id) => ({ KeyId: id }),
    PutKeyPolicy: (id) => ({ KeyId: id, PolicyName: 'default', Policy: '{"Version":"2012-10-17","Statement":[]}' }),
    RetireGrant: (id) => ({ KeyId: id, GrantId: 'a'.repeat(64) }),
    RevokeGrant: (id) => ({ KeyId: id, GrantId: 'a'.repeat(64) }),
    RotateKeyOnDemand: (id) => ({ KeyId: id }),
    ScheduleKeyDeletion: (id) => ({ KeyId: id, PendingWindowInDays: 7 }),
    TagResource: (id) => ({ KeyId: id, Tags: [{ TagKey: 'k', TagValue: 'v' }] }),
    UntagResource: (id) => ({ KeyId: id, TagKeys: ['k'] }),
    UpdateAlias: (id) => ({ AliasName: 'alias/guarded-sym', TargetKeyId: id }),
    UpdateKeyDescription: (id) => ({ KeyId: id, Description: 'd' }),
  }

  it('classifies every served operation that has a key-identifying member', () => {
    const table = { ...accepting(), ...refusing }
    for (const [name] of registry) {
      const input = wireModel.operations[name]!.input
      const shape = input ? wireModel.shapes[input] : undefined
      const members = shape?.type === 'structure' ? Object.keys(shape.members) : []
      if (members.some((m) => KEY_MEMBERS.includes(m))) assert.ok(table[name], `${name} has a key member but no case here`)
    }
  })

  it('denies each alias-accepting member through the alias (name or ARN) and allows it by key ARN', async () => {
    for (const [operation, cases] of Object.entries(accepting())) {
      for (const [keyName, body] of cases) {
        const key = keys[keyName]
        for (const named of [key.alias, aliasArnFor(key.alias)]) {
          const res = await h.call(operation, body(named), user.credentials)
          assert.equal(res.body.__type, 'AccessDeniedException', `${operation} through ${named}: ${JSON.stringify(res.body)}`)
          assert.match(String(res.body.message), /with an explicit deny in an identity-based policy$/)
        }
        const res = await h.call(operation, body(key.arn), user.credentials)
        assert.equal(res.status, 200, `${operation} by key ARN: ${JSON.stringify(res.body)}`)
      }
    }
  })

  it('refuses an alias in every member that takes only a key id or key ARN', async () => {
    for (const [operation, body] of Object.entries(refusing)) {
      const byName = await h.call(operation, body(keys.sym.alias), user.credentials)
      assert.equal(byName.body.__type, 'NotFoundException', `${operation}: ${JSON.stringify(byName.body)}`)
      const byArn = await h.call(operation, body(aliasArnFor(keys.sym.alias)), user.credentials)
      assert.ok(['InvalidArnException', 'NotFoundException'].includes(String(byArn.body.__type)), `${operation}: ${JSON.stringify(byArn.body)}`)
    }
  })
})
