// Imported key material (BYOK) against a real server through @aws-sdk/client-kms, with the material made and
// wrapped by the `openssl` command line exactly as AWS's import guide does it: RSAES_OAEP_* with
// `openssl pkeyutl -encrypt` (OAEP, MGF1 on the same hash), RSA_AES_KEY_WRAP_* with an ephemeral AES-256 key,
// `openssl enc -id-aes256-wrap-pad` and RSA-OAEP of that key, concatenated. Then the imported keys are checked
// outside Trent: a symmetric blob decrypts by hand with the same material (docs/ciphertext-format.md), a MAC
// equals `openssl mac`, RSA and EC signatures verify in `openssl dgst` with the public key of the material.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { createDecipheriv, createHmac } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { KMS } from '@aws-sdk/client-kms'
import { assertSdkError, kmsClient } from './support/clients.js'
import { cleanupTrent, makeTempDir, startTrent } from './support/server.js'

const T = { timeout: 120_000 }
let kms: KMS
let dir: string
let fileCount = 0

function openssl(...args: string[]): Buffer {
  return execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] })
}

function path(name: string): string {
  return join(dir, `${++fileCount}-${name}`)
}

function file(bytes: Uint8Array | string, name = 'f'): string {
  const p = path(name)
  writeFileSync(p, bytes)
  return p
}

type Wrapping = 'RSAES_OAEP_SHA_1' | 'RSAES_OAEP_SHA_256' | 'RSA_AES_KEY_WRAP_SHA_1' | 'RSA_AES_KEY_WRAP_SHA_256'

/** `openssl pkeyutl -encrypt` with RSA-OAEP under the wrapping public key (DER file), MGF1 on the same hash. */
function oaepEncrypt(publicKeyDer: string, input: string, hash: 'sha1' | 'sha256'): Buffer {
  const out = path('oaep.bin')
  openssl('pkeyutl', '-encrypt', '-in', input, '-out', out, '-inkey', publicKeyDer, '-keyform', 'DER', '-pubin',
    '-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', `rsa_oaep_md:${hash}`, '-pkeyopt', `rsa_mgf1_md:${hash}`)
  return readFileSync(out)
}

/** EncryptedKeyMaterial as AWS's guide makes it with OpenSSL for `algorithm`. */
function wrapWithOpenssl(publicKeyDer: string, algorithm: Wrapping, materialFile: string): Buffer {
  const hash = algorithm.endsWith('SHA_1') ? 'sha1' : 'sha256'
  if (algorithm.startsWith('RSAES_OAEP')) return oaepEncrypt(publicKeyDer, materialFile, hash)
  const aesKey = path('aes-key.bin')
  openssl('rand', '-out', aesKey, '32')
  const wrappedMaterial = path('material.wrapped')
  openssl('enc', '-id-aes256-wrap-pad', '-K', readFileSync(aesKey).toString('hex'), '-iv', 'A65959A6', '-in', materialFile, '-out', wrappedMaterial)
  return Buffer.concat([oaepEncrypt(publicKeyDer, aesKey, hash), readFileSync(wrappedMaterial)])
}

/** GetParametersForImport, wrap with OpenSSL, ImportKeyMaterial; returns the KeyMaterialId. */
async function importWithOpenssl(keyId: string, materialFile: string, algorithm: Wrapping, wrappingKeySpec: 'RSA_2048' | 'RSA_3072' | 'RSA_4096' = 'RSA_2048'): Promise<string> {
  const params = await kms.getParametersForImport({ KeyId: keyId, WrappingAlgorithm: algorithm, WrappingKeySpec: wrappingKeySpec })
  assert.ok(params.ParametersValidTo instanceof Date)
  const publicKey = file(params.PublicKey!, 'wrapping-public.der')
  const imported = await kms.importKeyMaterial({
    KeyId: keyId, ImportToken: params.ImportToken!, EncryptedKeyMaterial: wrapWithOpenssl(publicKey, algorithm, materialFile),
    ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
  })
  assert.equal(imported.KeyId, params.KeyId)
  return imported.KeyMaterialId!
}

/** A private key made by `openssl genpkey`, in the PKCS#8 DER form AWS asks for, with its PEM. */
function opensslPrivateKey(genpkeyArgs: string[]): { pem: string; der: string; publicPem: string } {
  const pem = path('private.pem')
  openssl('genpkey', ...genpkeyArgs, '-out', pem)
  const der = path('private.der')
  openssl('pkcs8', '-topk8', '-outform', 'DER', '-nocrypt', '-in', pem, '-out', der)
  const publicPem = path('public.pem')
  openssl('pkey', '-in', pem, '-pubout', '-out', publicPem)
  return { pem, der, publicPem }
}

/** The canonical encryption context of docs/ciphertext-format.md, for ASCII keys and values. */
function canonicalContext(context: Record<string, string>): Buffer {
  const u16 = (n: number) => Buffer.from([n >> 8, n & 0xff])
  const entries = Object.entries(context).sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
  return Buffer.concat([u16(entries.length), ...entries.flatMap(([k, v]) => [u16(Buffer.byteLength(k)), Buffer.from(k), u16(Buffer.byteLength(v)), Buffer.from(v)])])
}

/** Decrypts a Trent symmetric blob (format v1) with the raw material, following docs/ciphertext-format.md only. */
function decryptBlobOutsideTrent(blob: Uint8Array, material: Buffer, context: Record<string, string>): { keyId: string; plaintext: Buffer } {
  const b = Buffer.from(blob)
  assert.equal(b[0], 0x01, 'format version 1')
  const n = b[1]!
  const keyId = b.subarray(2, 2 + n).toString('ascii')
  const nonce = b.subarray(6 + n, 22 + n)
  const iv = b.subarray(22 + n, 34 + n)
  const header = b.subarray(0, 34 + n)
  const ciphertext = b.subarray(34 + n, b.length - 16)
  const tag = b.subarray(b.length - 16)
  const label = Buffer.from('trent/symmetric-blob/v1')
  const k = createHmac('sha256', material).update(Buffer.concat([Buffer.from([0, 0, 0, 1]), label, Buffer.from([0]), nonce, Buffer.from([0, 0, 1, 0])])).digest()
  const decipher = createDecipheriv('aes-256-gcm', k, iv)
  decipher.setAAD(Buffer.concat([header, canonicalContext(context)]))
  decipher.setAuthTag(tag)
  return { keyId, plaintext: Buffer.concat([decipher.update(ciphertext), decipher.final()]) }
}

before(async () => {
  dir = makeTempDir('trent-import-openssl-')
  const server = await startTrent()
  kms = kmsClient(server.url)
}, T)

after(async () => {
  kms?.destroy()
  await cleanupTrent()
}, T)

describe('symmetric material wrapped by openssl', () => {
  for (const algorithm of ['RSAES_OAEP_SHA_256', 'RSAES_OAEP_SHA_1', 'RSA_AES_KEY_WRAP_SHA_256', 'RSA_AES_KEY_WRAP_SHA_1'] as Wrapping[]) {
    it(`${algorithm}: Trent's ciphertext decrypts outside Trent with the same material`, T, async () => {
      const created = await kms.createKey({ Origin: 'EXTERNAL' })
      assert.equal(created.KeyMetadata!.KeyState, 'PendingImport')
      const keyId = created.KeyMetadata!.KeyId!
      const materialFile = path('symmetric.bin')
      openssl('rand', '-out', materialFile, '32')
      const materialId = await importWithOpenssl(keyId, materialFile, algorithm, algorithm.includes('AES') ? 'RSA_3072' : 'RSA_2048')
      const meta = (await kms.describeKey({ KeyId: keyId })).KeyMetadata!
      assert.equal(meta.KeyState, 'Enabled')
      assert.equal(meta.Origin, 'EXTERNAL')
      assert.equal(meta.ExpirationModel, 'KEY_MATERIAL_DOES_NOT_EXPIRE')
      assert.equal(meta.CurrentKeyMaterialId, materialId)
      const context = { purpose: 'byok', tenant: '42' }
      const encrypted = await kms.encrypt({ KeyId: keyId, Plaintext: Buffer.from('bring your own key'), EncryptionContext: context })
      const outside = decryptBlobOutsideTrent(encrypted.CiphertextBlob!, readFileSync(materialFile), context)
      assert.equal(outside.keyId, keyId)
      assert.equal(outside.plaintext.toString(), 'bring your own key')
    })
  }

  it('deleted material makes the key PendingImport; re-importing the same openssl file restores it and its ciphertexts', T, async () => {
    const keyId = (await kms.createKey({ Origin: 'EXTERNAL' })).KeyMetadata!.KeyId!
    const materialFile = path('symmetric.bin')
    openssl('rand', '-out', materialFile, '32')
    const materialId = await importWithOpenssl(keyId, materialFile, 'RSAES_OAEP_SHA_256')
    const blob = (await kms.encrypt({ KeyId: keyId, Plaintext: Buffer.from('survives') })).CiphertextBlob!
    const deleted = await kms.deleteImportedKeyMaterial({ KeyId: keyId })
    assert.equal(deleted.KeyMaterialId, materialId)
    assert.equal((await kms.describeKey({ KeyId: keyId })).KeyMetadata!.KeyState, 'PendingImport')
    const arn = (await kms.describeKey({ KeyId: keyId })).KeyMetadata!.Arn!
    await assertSdkError(kms.decrypt({ CiphertextBlob: blob }), 'KMSInvalidStateException', `${arn} is pending import.`)
    const other = path('other.bin')
    openssl('rand', '-out', other, '32')
    await assertSdkError(importWithOpenssl(keyId, other, 'RSAES_OAEP_SHA_256'), 'IncorrectKeyMaterialException', /not the same key material/)
    assert.equal(await importWithOpenssl(keyId, materialFile, 'RSA_AES_KEY_WRAP_SHA_256'), materialId)
    assert.equal(Buffer.from((await kms.decrypt({ CiphertextBlob: blob })).Plaintext!).toString(), 'survives')
  })

  it('a token for another key is InvalidImportTokenException; a payload openssl wrapped under another wrapping key is InvalidCiphertextException', T, async () => {
    const a = (await kms.createKey({ Origin: 'EXTERNAL' })).KeyMetadata!.KeyId!
    const b = (await kms.createKey({ Origin: 'EXTERNAL' })).KeyMetadata!.KeyId!
    const materialFile = path('symmetric.bin')
    openssl('rand', '-out', materialFile, '32')
    const forA = await kms.getParametersForImport({ KeyId: a, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' })
    const forB = await kms.getParametersForImport({ KeyId: b, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' })
    const wrappedForA = wrapWithOpenssl(file(forA.PublicKey!, 'a.der'), 'RSAES_OAEP_SHA_256', materialFile)
    await assertSdkError(kms.importKeyMaterial({ KeyId: b, ImportToken: forA.ImportToken!, EncryptedKeyMaterial: wrappedForA, ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }),
      'InvalidImportTokenException', 'The request was rejected because the provided import token is invalid or is associated with a different KMS key.')
    await assertSdkError(kms.importKeyMaterial({ KeyId: b, ImportToken: forB.ImportToken!, EncryptedKeyMaterial: wrappedForA, ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }),
      'InvalidCiphertextException', null)
  })
})

describe('HMAC, RSA and EC material made and wrapped by openssl', () => {
  const message = 'a message for the imported keys'

  it('a MAC from an imported HMAC_256 key equals `openssl mac` over the same message', T, async () => {
    const keyId = (await kms.createKey({ Origin: 'EXTERNAL', KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' })).KeyMetadata!.KeyId!
    const materialFile = path('hmac.bin')
    openssl('rand', '-out', materialFile, '48')
    await importWithOpenssl(keyId, materialFile, 'RSA_AES_KEY_WRAP_SHA_256')
    const mac = (await kms.generateMac({ KeyId: keyId, Message: Buffer.from(message), MacAlgorithm: 'HMAC_SHA_256' })).Mac!
    const hexkey = readFileSync(materialFile).toString('hex')
    const expected = openssl('mac', '-digest', 'SHA256', '-macopt', `hexkey:${hexkey}`, '-in', file(message, 'msg.txt'), 'HMAC').toString().trim().toLowerCase()
    assert.equal(Buffer.from(mac).toString('hex'), expected)
  })

  it('a signature from an imported RSA_2048 key (RSA_AES_KEY_WRAP) verifies in `openssl dgst` with the material\'s public key', T, async () => {
    const keyId = (await kms.createKey({ Origin: 'EXTERNAL', KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' })).KeyMetadata!.KeyId!
    const key = opensslPrivateKey(['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'])
    await importWithOpenssl(keyId, key.der, 'RSA_AES_KEY_WRAP_SHA_256', 'RSA_3072')
    const signature = (await kms.sign({ KeyId: keyId, Message: Buffer.from(message), SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256' })).Signature!
    const out = openssl('dgst', '-sha256', '-verify', key.publicPem, '-signature', file(signature, 'rsa.sig'), file(message, 'msg.txt')).toString()
    assert.match(out, /Verified OK/)
  })

  it('a signature from an imported ECC_NIST_P256 key (RSAES_OAEP_SHA_256) verifies in `openssl dgst` with the material\'s public key', T, async () => {
    const keyId = (await kms.createKey({ Origin: 'EXTERNAL', KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' })).KeyMetadata!.KeyId!
    const key = opensslPrivateKey(['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'])
    await importWithOpenssl(keyId, key.der, 'RSAES_OAEP_SHA_256')
    const signature = (await kms.sign({ KeyId: keyId, Message: Buffer.from(message), SigningAlgorithm: 'ECDSA_SHA_256' })).Signature!
    const out = openssl('dgst', '-sha256', '-verify', key.publicPem, '-signature', file(signature, 'ec.sig'), file(message, 'msg.txt')).toString()
    assert.match(out, /Verified OK/)
    const publicDer = (await kms.getPublicKey({ KeyId: keyId })).PublicKey!
    assert.deepEqual(Buffer.from(publicDer), openssl('pkey', '-pubin', '-in', key.publicPem, '-outform', 'DER'))
  })
})
