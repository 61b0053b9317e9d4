// Interoperability with the real `openssl` CLI against a real server: Trent's signatures verify in
// OpenSSL from the GetPublicKey key (RAW and DIGEST), OpenSSL's RSA-OAEP ciphertext decrypts in Trent,
// ECDH agrees with `openssl pkeyutl -derive`, and data-key-pair private keys load in OpenSSL.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { KMS } from '@aws-sdk/client-kms'
import { kmsClient } from './support/clients.js'
import { cleanupTrent, makeTempDir, startTrent } from './support/server.js'

const T = { timeout: 120_000 }
let kms: KMS
let dir: string
let fileCount = 0

function openssl(...args: string[]): Buffer {
  return execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] })
}

/** Writes bytes to a fresh file in the test directory and returns its path. */
function file(bytes: Uint8Array | string, name = 'f'): string {
  const path = join(dir, `${++fileCount}-${name}`)
  writeFileSync(path, bytes)
  return path
}

/** OpenSSL verification outcome: true when it exits 0 and says so. */
function opensslVerifies(args: string[]): boolean {
  try {
    return /Verified OK|Signature Verified Successfully/.test(openssl(...args).toString())
  } catch {
    return false
  }
}

async function newKey(spec: string, usage: string): Promise<string> {
  return (await kms.createKey({ KeySpec: spec as never, KeyUsage: usage as never })).KeyMetadata!.KeyId!
}

/** GetPublicKey's DER, converted by OpenSSL itself to PEM. */
async function publicPem(keyId: string): Promise<string> {
  const der = (await kms.getPublicKey({ KeyId: keyId })).PublicKey!
  const pem = join(dir, `${keyId}.pub.pem`)
  openssl('pkey', '-pubin', '-inform', 'DER', '-in', file(der, 'pub.der'), '-out', pem)
  return pem
}

before(async () => {
  dir = makeTempDir('trent-openssl-')
  const server = await startTrent()
  kms = kmsClient(server.url)
}, T)

after(async () => {
  kms?.destroy()
  await cleanupTrent()
}, T)

describe('signatures made by Trent verify in OpenSSL', () => {
  const message = randomBytes(300)
  const rsaAlgorithms = ['RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512', 'RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512']
  const cases: [string, string[]][] = [
    ['RSA_2048', rsaAlgorithms], ['RSA_3072', rsaAlgorithms], ['RSA_4096', rsaAlgorithms],
    ['ECC_NIST_P256', ['ECDSA_SHA_256']], ['ECC_NIST_P384', ['ECDSA_SHA_384']], ['ECC_NIST_P521', ['ECDSA_SHA_512']], ['ECC_SECG_P256K1', ['ECDSA_SHA_256']],
  ]

  /** The padding options OpenSSL needs for this algorithm (PSS: salt = digest length, MGF1 = same hash). */
  function paddingOptions(flag: '-sigopt' | '-pkeyopt', algorithm: string, hash: string): string[] {
    if (!algorithm.startsWith('RSASSA_PSS')) return []
    return [flag, 'rsa_padding_mode:pss', flag, 'rsa_pss_saltlen:digest', flag, `rsa_mgf1_md:${hash}`]
  }

  for (const [spec, algorithms] of cases) {
    it(`${spec}: ${algorithms.join(', ')} over RAW and DIGEST`, T, async () => {
      const keyId = await newKey(spec, 'SIGN_VERIFY')
      const pem = await publicPem(keyId)
      for (const algorithm of algorithms) {
        const hash = `sha${algorithm.slice(-3)}`
        const digest = createHash(hash).update(message).digest()
        const raw = (await kms.sign({ KeyId: keyId, Message: message, MessageType: 'RAW', SigningAlgorithm: algorithm as never })).Signature!
        const fromDigest = (await kms.sign({ KeyId: keyId, Message: digest, MessageType: 'DIGEST', SigningAlgorithm: algorithm as never })).Signature!
        for (const [form, signature] of [['RAW', raw], ['DIGEST', fromDigest]] as const) {
          const sig = file(signature, 'sig')
          const dgst = ['dgst', `-${hash}`, '-verify', pem, '-signature', sig, ...paddingOptions('-sigopt', algorithm, hash), file(message, 'msg')]
          assert.equal(opensslVerifies(dgst), true, `openssl dgst -verify, ${algorithm} ${form}`)
          const pkeyutl = ['pkeyutl', '-verify', '-pubin', '-inkey', pem, '-in', file(digest, 'digest'), '-sigfile', sig, '-pkeyopt', `digest:${hash}`, ...paddingOptions('-pkeyopt', algorithm, hash)]
          assert.equal(opensslVerifies(pkeyutl), true, `openssl pkeyutl -verify over the digest, ${algorithm} ${form}`)
        }
        const wrong = file(createHash(hash).update('another message').digest(), 'wrong')
        assert.equal(opensslVerifies(['pkeyutl', '-verify', '-pubin', '-inkey', pem, '-in', wrong, '-sigfile', file(raw, 'sig'), '-pkeyopt', `digest:${hash}`, ...paddingOptions('-pkeyopt', algorithm, hash)]), false)
      }
    })
  }

  it('ECC_NIST_EDWARDS25519: ED25519_SHA_512 over RAW verifies with pkeyutl -rawin', T, async () => {
    const keyId = await newKey('ECC_NIST_EDWARDS25519', 'SIGN_VERIFY')
    const pem = await publicPem(keyId)
    const signature = (await kms.sign({ KeyId: keyId, Message: message, MessageType: 'RAW', SigningAlgorithm: 'ED25519_SHA_512' })).Signature!
    assert.equal(signature.length, 64)
    const args = ['pkeyutl', '-verify', '-pubin', '-inkey', pem, '-rawin', '-in', file(message, 'msg'), '-sigfile', file(signature, 'sig')]
    assert.equal(opensslVerifies(args), true)
    assert.equal(opensslVerifies([...args.slice(0, -3), file(Buffer.from('other'), 'msg'), '-sigfile', file(signature, 'sig')]), false)
  })

  it('ECC_NIST_EDWARDS25519: ED25519_PH_SHA_512 over DIGEST verifies in OpenSSL 3.2+ (instance Ed25519ph)', {
    ...T, skip: supportsEd25519ph() ? false : 'this OpenSSL (3.0/3.1) has no Ed25519ph; RFC 8032 §7.3 known answers cover it in src/crypto/asymmetric/eddsa.test.ts',
  }, async () => {
    const keyId = await newKey('ECC_NIST_EDWARDS25519', 'SIGN_VERIFY')
    const pem = await publicPem(keyId)
    const digest = createHash('sha512').update(message).digest()
    const signature = (await kms.sign({ KeyId: keyId, Message: digest, MessageType: 'DIGEST', SigningAlgorithm: 'ED25519_PH_SHA_512' })).Signature!
    // AWS hashes the 64-byte DIGEST once more (Ed25519ph's own prehash), so OpenSSL is given it as the message.
    const args = ['pkeyutl', '-verify', '-pubin', '-inkey', pem, '-rawin', '-in', file(digest, 'digest'), '-sigfile', file(signature, 'sig'), '-pkeyopt', 'instance:Ed25519ph']
    assert.equal(opensslVerifies(args), true)
  })
})

function supportsEd25519ph(): boolean {
  const [major, minor] = openssl('version').toString().split(' ')[1]!.split('.').map(Number)
  return major! > 3 || (major === 3 && minor! >= 2)
}

describe('RSA-OAEP ciphertext made by OpenSSL decrypts in Trent', () => {
  for (const spec of ['RSA_2048', 'RSA_3072', 'RSA_4096']) {
    it(`${spec}: RSAES_OAEP_SHA_1 and RSAES_OAEP_SHA_256`, T, async () => {
      const keyId = await newKey(spec, 'ENCRYPT_DECRYPT')
      const pem = await publicPem(keyId)
      for (const [algorithm, hash] of [['RSAES_OAEP_SHA_1', 'sha1'], ['RSAES_OAEP_SHA_256', 'sha256']] as const) {
        const plaintext = randomBytes(100)
        const ciphertext = openssl('pkeyutl', '-encrypt', '-pubin', '-inkey', pem, '-pkeyopt', 'rsa_padding_mode:oaep',
          '-pkeyopt', `rsa_oaep_md:${hash}`, '-pkeyopt', `rsa_mgf1_md:${hash}`, '-in', file(plaintext, 'pt'))
        assert.equal(ciphertext.length, Number(spec.slice(4)) / 8)
        const opened = await kms.decrypt({ KeyId: keyId, CiphertextBlob: ciphertext, EncryptionAlgorithm: algorithm })
        assert.deepEqual(Buffer.from(opened.Plaintext!), plaintext, `${spec} ${algorithm}`)
      }
    })
  }
})

describe('ECDH with OpenSSL on the other side', () => {
  for (const [spec, curve] of [['ECC_NIST_P256', 'P-256'], ['ECC_NIST_P384', 'P-384'], ['ECC_NIST_P521', 'P-521']]) {
    it(`${spec}: DeriveSharedSecret equals openssl pkeyutl -derive`, T, async () => {
      const keyId = await newKey(spec!, 'KEY_AGREEMENT')
      const trentPem = await publicPem(keyId)
      const peerKey = join(dir, `peer-${curve}.pem`)
      openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${curve}`, '-out', peerKey)
      const peerDer = openssl('pkey', '-in', peerKey, '-pubout', '-outform', 'DER')
      const fromTrent = (await kms.deriveSharedSecret({ KeyId: keyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: peerDer })).SharedSecret!
      const fromOpenssl = openssl('pkeyutl', '-derive', '-inkey', peerKey, '-peerkey', trentPem)
      assert.equal(Buffer.from(fromTrent).toString('hex'), fromOpenssl.toString('hex'))
    })
  }
})

describe('GenerateDataKeyPair private keys load in OpenSSL', () => {
  it('every KeyPairSpec, including ECC_SECG_P256K1 (secp256k1 is in OpenSSL 3.0)', T, async () => {
    const wrapping = (await kms.createKey({})).KeyMetadata!.KeyId!
    const specs: Record<string, RegExp> = {
      RSA_2048: /Private-Key: \(2048 bit/, RSA_3072: /Private-Key: \(3072 bit/, RSA_4096: /Private-Key: \(4096 bit/,
      ECC_NIST_P256: /ASN1 OID: prime256v1/, ECC_NIST_P384: /ASN1 OID: secp384r1/, ECC_NIST_P521: /ASN1 OID: secp521r1/,
      ECC_SECG_P256K1: /ASN1 OID: secp256k1/, ECC_NIST_EDWARDS25519: /ED25519 Private-Key/,
    }
    for (const [spec, description] of Object.entries(specs)) {
      const pair = await kms.generateDataKeyPair({ KeyId: wrapping, KeyPairSpec: spec as never })
      const privateDer = file(pair.PrivateKeyPlaintext!, 'priv.der')
      openssl('pkey', '-inform', 'DER', '-in', privateDer, '-check', '-noout')
      const publicFromPrivate = openssl('pkey', '-inform', 'DER', '-in', privateDer, '-pubout', '-outform', 'DER')
      assert.deepEqual(publicFromPrivate, Buffer.from(pair.PublicKey!), spec)
      assert.match(openssl('pkey', '-inform', 'DER', '-in', privateDer, '-noout', '-text').toString(), description, spec)
    }
  })
})
