// Imported material of every kind AWS accepts, used through the real pipeline and checked outside Trent:
// HMAC keys MAC as the raw bytes say, RSA and EC private keys sign and decrypt as their public halves expect.
import assert from 'node:assert/strict'
import { constants, createHmac, createPublicKey, diffieHellman, generateKeyPairSync, publicEncrypt, randomBytes, verify, type KeyObject } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { b64, createHarness, unb64, type Harness } from '../../test/support/harness.js'
import { callImport, importMaterial } from '../../test/support/import-fixtures.js'
import { assertAwsError, createKey, encryptUnder, ok } from '../../test/support/kms-fixtures.js'

const pkcs8 = (key: KeyObject) => key.export({ type: 'pkcs8', format: 'der' })
const message = b64('message to sign')

describe('importing HMAC, RSA and ECC material', () => {
  let h: Harness
  before(async () => { h = await createHarness() })
  after(() => h.close())

  for (const [spec, hash, bytes] of [['HMAC_256', 'sha256', 40], ['HMAC_224', 'sha224', 28], ['HMAC_512', 'sha512', 128]] as const) {
    it(`${spec} material of ${bytes} bytes MACs as RFC 2104 HMAC over those bytes`, async () => {
      const key = await createKey(h, { Origin: 'EXTERNAL', KeySpec: spec, KeyUsage: 'GENERATE_VERIFY_MAC' })
      const material = randomBytes(bytes)
      await importMaterial(h, key.keyId, material)
      const algorithm = `HMAC_SHA_${hash.slice(3)}`
      const mac = await ok(h, 'GenerateMac', { KeyId: key.keyId, Message: message, MacAlgorithm: algorithm })
      assert.deepEqual(unb64(mac.Mac), createHmac(hash, material).update('message to sign').digest())
    })
  }

  it('an RSA signing key imported with RSA_AES_KEY_WRAP signs what its public key verifies, and GetPublicKey returns it', async () => {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const key = await createKey(h, { Origin: 'EXTERNAL', KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' })
    await importMaterial(h, key.keyId, pkcs8(pair.privateKey), { algorithm: 'RSA_AES_KEY_WRAP_SHA_256' })
    const signed = await ok(h, 'Sign', { KeyId: key.keyId, Message: message, SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256' })
    assert.ok(verify('sha256', Buffer.from('message to sign'), pair.publicKey, unb64(signed.Signature)))
    const pub = await ok(h, 'GetPublicKey', { KeyId: key.keyId })
    assert.deepEqual(unb64(pub.PublicKey), pair.publicKey.export({ type: 'spki', format: 'der' }))
  })

  it('an RSA encryption key decrypts what was encrypted outside Trent to its public key', async () => {
    const pair = generateKeyPairSync('rsa', { modulusLength: 3072 })
    const key = await createKey(h, { Origin: 'EXTERNAL', KeySpec: 'RSA_3072', KeyUsage: 'ENCRYPT_DECRYPT' })
    await importMaterial(h, key.keyId, pkcs8(pair.privateKey), { algorithm: 'RSA_AES_KEY_WRAP_SHA_1', spec: 'RSA_4096' })
    const ciphertext = publicEncrypt({ key: pair.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, Buffer.from('outside'))
    const res = await ok(h, 'Decrypt', { KeyId: key.keyId, CiphertextBlob: b64(ciphertext), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })
    assert.equal(unb64(res.Plaintext).toString(), 'outside')
  })

  for (const [spec, curve, algorithm, hash] of [
    ['ECC_NIST_P256', 'P-256', 'ECDSA_SHA_256', 'sha256'], ['ECC_NIST_P521', 'P-521', 'ECDSA_SHA_512', 'sha512'], ['ECC_SECG_P256K1', 'secp256k1', 'ECDSA_SHA_256', 'sha256'],
  ] as const) {
    it(`an ${spec} key imported with RSAES_OAEP_SHA_256 under RSA_3072 signs what its public key verifies`, async () => {
      const pair = generateKeyPairSync('ec', { namedCurve: curve })
      const key = await createKey(h, { Origin: 'EXTERNAL', KeySpec: spec, KeyUsage: 'SIGN_VERIFY' })
      await importMaterial(h, key.keyId, pkcs8(pair.privateKey), { algorithm: 'RSAES_OAEP_SHA_256', spec: 'RSA_3072' })
      const signed = await ok(h, 'Sign', { KeyId: key.keyId, Message: message, SigningAlgorithm: algorithm })
      assert.ok(verify(hash, Buffer.from('message to sign'), pair.publicKey, unb64(signed.Signature)))
    })
  }

  it('an Ed25519 key signs as RFC 8032 says, and an ECDH key derives the secret the peer derives', async () => {
    const ed = generateKeyPairSync('ed25519')
    const edKey = await createKey(h, { Origin: 'EXTERNAL', KeySpec: 'ECC_NIST_EDWARDS25519', KeyUsage: 'SIGN_VERIFY' })
    await importMaterial(h, edKey.keyId, pkcs8(ed.privateKey))
    const signed = await ok(h, 'Sign', { KeyId: edKey.keyId, Message: message, SigningAlgorithm: 'ED25519_SHA_512', MessageType: 'RAW' })
    assert.ok(verify(null, Buffer.from('message to sign'), ed.publicKey, unb64(signed.Signature)))
    const mine = generateKeyPairSync('ec', { namedCurve: 'P-384' })
    const peer = generateKeyPairSync('ec', { namedCurve: 'P-384' })
    const agreeKey = await createKey(h, { Origin: 'EXTERNAL', KeySpec: 'ECC_NIST_P384', KeyUsage: 'KEY_AGREEMENT' })
    await importMaterial(h, agreeKey.keyId, pkcs8(mine.privateKey), { algorithm: 'RSA_AES_KEY_WRAP_SHA_256' })
    const derived = await ok(h, 'DeriveSharedSecret', { KeyId: agreeKey.keyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: b64(peer.publicKey.export({ type: 'spki', format: 'der' })) })
    assert.deepEqual(unb64(derived.SharedSecret), diffieHellman({ privateKey: peer.privateKey, publicKey: createPublicKey(mine.privateKey) }))
  })

  it('an asymmetric key takes back only its own private key', async () => {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const key = await createKey(h, { Origin: 'EXTERNAL', KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' })
    const id = await importMaterial(h, key.keyId, pkcs8(pair.privateKey))
    await ok(h, 'DeleteImportedKeyMaterial', { KeyId: key.keyId })
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
    assert.equal((await callImport(h, key.keyId, pkcs8(other))).body.__type, 'IncorrectKeyMaterialException')
    assert.equal(await importMaterial(h, key.keyId, pkcs8(pair.privateKey)), id)
    assert.equal(((await ok(h, 'DescribeKey', { KeyId: key.keyId })).KeyMetadata as { KeyState: string }).KeyState, 'Enabled')
  })

  it('Decrypt of an imported key\'s ciphertext naming another imported key is IncorrectKeyException', async () => {
    const a = await createKey(h, { Origin: 'EXTERNAL' })
    const b = await createKey(h, { Origin: 'EXTERNAL' })
    const material = randomBytes(32)
    await importMaterial(h, a.keyId, material)
    await importMaterial(h, b.keyId, material)
    const blob = await encryptUnder(h, a.keyId, 'for a')
    assertAwsError(await h.call('Decrypt', { CiphertextBlob: blob, KeyId: b.keyId }), 'IncorrectKeyException',
      'The key ID in the request does not identify a CMK that can perform this operation.')
  })
})
