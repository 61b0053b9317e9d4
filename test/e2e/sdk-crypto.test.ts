// The real server driven by @aws-sdk/client-kms: Encrypt, Decrypt, ReEncrypt, data keys and random bytes.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import type { KMS } from '@aws-sdk/client-kms'
import { assertSdkError, kmsClient } from './support/clients.js'
import { E2E_ACCOUNT_ID, cleanupTrent, startTrent } from './support/server.js'

const T = { timeout: 60_000 }
const INVALID_CIPHERTEXT = null

let kms: KMS
let keyA: { keyId: string; arn: string; materialId: string }
let keyB: { keyId: string; arn: string; materialId: string }

async function newKey(): Promise<{ keyId: string; arn: string; materialId: string }> {
  const { KeyMetadata } = await kms.createKey({})
  return { keyId: KeyMetadata!.KeyId!, arn: KeyMetadata!.Arn!, materialId: KeyMetadata!.CurrentKeyMaterialId! }
}

before(async () => {
  const server = await startTrent()
  kms = kmsClient(server.url)
  keyA = await newKey()
  keyB = await newKey()
  await kms.createAlias({ AliasName: 'alias/e2e-crypto-a', TargetKeyId: keyA.keyId })
}, T)

after(async () => {
  kms?.destroy()
  await cleanupTrent()
}, T)

test('Encrypt by key id, key ARN, alias name and alias ARN all decrypt, with and without a KeyId', T, async () => {
  const names = [keyA.keyId, keyA.arn, 'alias/e2e-crypto-a', `arn:aws:kms:us-east-1:${E2E_ACCOUNT_ID}:alias/e2e-crypto-a`]
  for (const name of names) {
    const plaintext = randomBytes(100)
    const sealed = await kms.encrypt({ KeyId: name, Plaintext: plaintext })
    assert.equal(sealed.KeyId, keyA.arn, `Encrypt via ${name}`)
    assert.equal(sealed.EncryptionAlgorithm, 'SYMMETRIC_DEFAULT')
    for (const decryptKeyId of [undefined, name]) {
      const opened = await kms.decrypt({ CiphertextBlob: sealed.CiphertextBlob, ...(decryptKeyId ? { KeyId: decryptKeyId } : {}) })
      assert.deepEqual(Buffer.from(opened.Plaintext!), plaintext, `Decrypt via ${decryptKeyId ?? 'the blob alone'}`)
      assert.equal(opened.KeyId, keyA.arn)
      assert.equal(opened.EncryptionAlgorithm, 'SYMMETRIC_DEFAULT')
      assert.equal(opened.KeyMaterialId, keyA.materialId)
    }
  }
})

test('Encrypt takes 4096 bytes and rejects 4097; Decrypt needs the exact encryption context', T, async () => {
  const max = randomBytes(4096)
  const context = { tenant: 'acme', purpose: 'e2e' }
  const sealed = await kms.encrypt({ KeyId: keyA.keyId, Plaintext: max, EncryptionContext: context })
  const opened = await kms.decrypt({ CiphertextBlob: sealed.CiphertextBlob, EncryptionContext: { purpose: 'e2e', tenant: 'acme' } })
  assert.deepEqual(Buffer.from(opened.Plaintext!), max)
  await assertSdkError(kms.decrypt({ CiphertextBlob: sealed.CiphertextBlob }), 'InvalidCiphertextException', INVALID_CIPHERTEXT)
  await assertSdkError(kms.decrypt({ CiphertextBlob: sealed.CiphertextBlob, EncryptionContext: { ...context, tenant: 'Acme' } }),
    'InvalidCiphertextException', INVALID_CIPHERTEXT)
  await assertSdkError(kms.encrypt({ KeyId: keyA.keyId, Plaintext: randomBytes(4097) }), 'ValidationException',
    "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096")
})

test('Decrypt naming a different key than the one that encrypted is IncorrectKeyException', T, async () => {
  const sealed = await kms.encrypt({ KeyId: keyA.keyId, Plaintext: Buffer.from('mine') })
  for (const wrong of [keyB.keyId, keyB.arn]) {
    await assertSdkError(kms.decrypt({ CiphertextBlob: sealed.CiphertextBlob, KeyId: wrong }), 'IncorrectKeyException',
      'The key ID in the request does not identify a CMK that can perform this operation.')
  }
})

test('Decrypt of a tampered ciphertext is InvalidCiphertextException', T, async () => {
  const sealed = await kms.encrypt({ KeyId: keyA.keyId, Plaintext: Buffer.from('do not touch') })
  const tampered = Buffer.from(sealed.CiphertextBlob!)
  tampered[tampered.length - 1]! ^= 0x01
  await assertSdkError(kms.decrypt({ CiphertextBlob: tampered }), 'InvalidCiphertextException', INVALID_CIPHERTEXT)
})

test('ReEncrypt moves a ciphertext from one key to another, and changes the context under one key', T, async () => {
  const plaintext = randomBytes(64)
  const underA = await kms.encrypt({ KeyId: keyA.keyId, Plaintext: plaintext, EncryptionContext: { stage: 'one' } })
  const moved = await kms.reEncrypt({
    CiphertextBlob: underA.CiphertextBlob, SourceEncryptionContext: { stage: 'one' }, DestinationKeyId: keyB.arn, DestinationEncryptionContext: { stage: 'two' },
  })
  assert.equal(moved.SourceKeyId, keyA.arn)
  assert.equal(moved.KeyId, keyB.arn)
  assert.equal(moved.SourceEncryptionAlgorithm, 'SYMMETRIC_DEFAULT')
  assert.equal(moved.DestinationEncryptionAlgorithm, 'SYMMETRIC_DEFAULT')
  assert.notDeepEqual(Buffer.from(moved.CiphertextBlob!), Buffer.from(underA.CiphertextBlob!))
  const opened = await kms.decrypt({ CiphertextBlob: moved.CiphertextBlob, EncryptionContext: { stage: 'two' } })
  assert.equal(opened.KeyId, keyB.arn)
  assert.deepEqual(Buffer.from(opened.Plaintext!), plaintext)
  await assertSdkError(kms.decrypt({ CiphertextBlob: moved.CiphertextBlob, EncryptionContext: { stage: 'one' } }), 'InvalidCiphertextException', INVALID_CIPHERTEXT)

  const recontexted = await kms.reEncrypt({
    CiphertextBlob: moved.CiphertextBlob, SourceEncryptionContext: { stage: 'two' }, DestinationKeyId: keyB.keyId, DestinationEncryptionContext: { stage: 'three' },
  })
  assert.equal(recontexted.SourceKeyId, keyB.arn)
  assert.equal(recontexted.KeyId, keyB.arn)
  const again = await kms.decrypt({ CiphertextBlob: recontexted.CiphertextBlob, EncryptionContext: { stage: 'three' } })
  assert.deepEqual(Buffer.from(again.Plaintext!), plaintext)
  await assertSdkError(kms.reEncrypt({ CiphertextBlob: underA.CiphertextBlob, SourceEncryptionContext: { stage: 'one' }, SourceKeyId: keyB.keyId, DestinationKeyId: keyB.keyId }),
    'IncorrectKeyException', 'The key ID in the request does not identify a CMK that can perform this operation.')
})

test('GenerateDataKey with AES_256, AES_128 and NumberOfBytes returns a key its CiphertextBlob decrypts to', T, async () => {
  const cases = [{ input: { KeySpec: 'AES_256' as const }, length: 32 }, { input: { KeySpec: 'AES_128' as const }, length: 16 }, { input: { NumberOfBytes: 7 }, length: 7 }, { input: { NumberOfBytes: 1024 }, length: 1024 }]
  for (const { input, length } of cases) {
    const dataKey = await kms.generateDataKey({ KeyId: 'alias/e2e-crypto-a', EncryptionContext: { file: 'x' }, ...input })
    assert.equal(dataKey.KeyId, keyA.arn)
    assert.equal(dataKey.KeyMaterialId, keyA.materialId)
    assert.equal(dataKey.Plaintext?.length, length, JSON.stringify(input))
    const opened = await kms.decrypt({ CiphertextBlob: dataKey.CiphertextBlob, EncryptionContext: { file: 'x' } })
    assert.deepEqual(Buffer.from(opened.Plaintext!), Buffer.from(dataKey.Plaintext!))
  }
  await assertSdkError(kms.generateDataKey({ KeyId: keyA.keyId }), 'ValidationException', 'Please specify either number of bytes or key spec.')
  await assertSdkError(kms.generateDataKey({ KeyId: keyA.keyId, KeySpec: 'AES_256', NumberOfBytes: 32 }), 'ValidationException', 'Please specify either number of bytes or key spec.')
})

test('GenerateDataKeyWithoutPlaintext returns only the sealed copy, which decrypts to a 32-byte key', T, async () => {
  const out = await kms.generateDataKeyWithoutPlaintext({ KeyId: keyB.keyId, KeySpec: 'AES_256' })
  assert.equal(out.KeyId, keyB.arn)
  assert.equal((out as { Plaintext?: unknown }).Plaintext, undefined)
  const opened = await kms.decrypt({ CiphertextBlob: out.CiphertextBlob })
  assert.equal(opened.Plaintext?.length, 32)
  assert.equal(opened.KeyId, keyB.arn)
})

test('GenerateRandom returns the bytes asked for, different each time, and refuses 1025', T, async () => {
  const one = await kms.generateRandom({ NumberOfBytes: 32 })
  const two = await kms.generateRandom({ NumberOfBytes: 32 })
  assert.equal(one.Plaintext?.length, 32)
  assert.equal(two.Plaintext?.length, 32)
  assert.notDeepEqual(Buffer.from(one.Plaintext!), Buffer.from(two.Plaintext!))
  assert.equal((await kms.generateRandom({ NumberOfBytes: 1024 })).Plaintext?.length, 1024)
  await assertSdkError(kms.generateRandom({ NumberOfBytes: 1025 }), 'ValidationException',
    "1 validation error detected: Value '1025' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024")
})
