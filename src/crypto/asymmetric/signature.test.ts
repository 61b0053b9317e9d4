// Signatures over messages and over digests must be the same signatures: what one form signs, the other
// verifies, and OpenSSL's own message verification accepts the digest path's output.
import assert from 'node:assert/strict'
import { createHash, createPrivateKey, generateKeyPairSync, sign as nodeSign, verify as nodeVerify } from 'node:crypto'
import { before, describe, it } from 'node:test'
import { parsePrivateKey } from './private-key.js'
import { generateOpenSslKeyPair } from './key-pair.js'
import type { EcKind, SignatureScheme } from './schemes.js'
import { signWith, verifyWith } from './signature.js'

const message = new Uint8Array(Buffer.from('Trent signs this message.'))
const digestOf = (hash: string, bytes: Uint8Array) => new Uint8Array(createHash(hash).update(bytes).digest())
const flip = (bytes: Uint8Array, at: number) => {
  const copy = new Uint8Array(bytes)
  copy[at]! ^= 0x01
  return copy
}

function pkcs8(bits: number): Uint8Array {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: bits })
  assert.equal(privateKey.asymmetricKeyDetails?.modulusLength, bits)
  return new Uint8Array(privateKey.export({ type: 'pkcs8', format: 'der' }))
}

describe('RSA signatures', () => {
  // 1537 bits (≡ 1 mod 8) gives an encoded message one byte shorter than the modulus, and 2050 bits
  // leaves six spare top bits: EMSA-PSS edge cases that 2048 and 3072 never reach. (OpenSSL rounds
  // odd sizes of 2048 bits and up down by one, hence 1537.)
  const keys = new Map<number, Uint8Array>()
  before(() => {
    for (const bits of [1537, 2048, 2050, 3072]) keys.set(bits, pkcs8(bits))
  })
  for (const family of ['rsa-pss', 'rsa-pkcs1'] as const) {
    for (const hash of ['sha256', 'sha384', 'sha512'] as const) {
      const scheme = { family, hash }
      it(`${family} ${hash}: digest signatures verify as message signatures and back, at odd modulus sizes too`, () => {
        for (const [bits, der] of keys) {
          const digest = { form: 'digest' as const, bytes: digestOf(hash, message) }
          const fromDigest = signWith(parsePrivateKey(der), scheme, digest)
          assert.equal(fromDigest.length, Math.ceil(bits / 8), `signature length for ${bits} bits`)
          assert.equal(verifyWith(parsePrivateKey(der), scheme, { form: 'message', bytes: message }, fromDigest), true, `digest→message at ${bits}`)
          const fromMessage = signWith(parsePrivateKey(der), scheme, { form: 'message', bytes: message })
          assert.equal(verifyWith(parsePrivateKey(der), scheme, digest, fromMessage), true, `message→digest at ${bits}`)
          assert.equal(verifyWith(parsePrivateKey(der), scheme, digest, flip(fromMessage, 10)), false)
          assert.equal(verifyWith(parsePrivateKey(der), scheme, { form: 'digest', bytes: flip(digest.bytes, 0) }, fromDigest), false)
        }
      })
    }
  }
  it('PKCS#1 v1.5 over a digest equals OpenSSL signing the message (the scheme is deterministic)', () => {
    const der = keys.get(2048)!
    const key = createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' })
    const expected = nodeSign('sha384', message, key)
    const actual = signWith(parsePrivateKey(der), { family: 'rsa-pkcs1', hash: 'sha384' }, { form: 'digest', bytes: digestOf('sha384', message) })
    assert.equal(Buffer.from(actual).toString('hex'), expected.toString('hex'))
  })
  it('PSS verification insists on salt length = hash length', () => {
    const der = keys.get(2048)!
    const key = createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' })
    const shortSalt = nodeSign('sha256', message, { key, padding: 6, saltLength: 20 })
    const scheme = { family: 'rsa-pss', hash: 'sha256' } as const
    assert.equal(verifyWith(parsePrivateKey(der), scheme, { form: 'digest', bytes: digestOf('sha256', message) }, shortSalt), false)
    assert.equal(verifyWith(parsePrivateKey(der), scheme, { form: 'message', bytes: message }, shortSalt), false)
  })
  it('a digest of the wrong length is a RangeError, and a short signature is simply invalid', () => {
    const der = keys.get(2048)!
    const scheme = { family: 'rsa-pss', hash: 'sha256' } as const
    assert.throws(() => signWith(parsePrivateKey(der), scheme, { form: 'digest', bytes: new Uint8Array(31) }), RangeError)
    assert.equal(verifyWith(parsePrivateKey(der), scheme, { form: 'digest', bytes: new Uint8Array(32) }, new Uint8Array(255)), false)
  })
})

describe('ECDSA signatures', () => {
  const cases: [EcKind, 'sha256' | 'sha384' | 'sha512'][] = [['p-256', 'sha256'], ['p-384', 'sha384'], ['p-521', 'sha512'], ['secp256k1', 'sha256']]
  for (const [kind, hash] of cases) {
    it(`${kind} with ${hash}: DER signatures cross between message and digest forms`, async () => {
      const { privateKey: der, publicKey } = await generateOpenSslKeyPair(kind)
      const scheme: SignatureScheme = { family: 'ecdsa', hash }
      const digest = { form: 'digest' as const, bytes: digestOf(hash, message) }
      const fromDigest = signWith(parsePrivateKey(der), scheme, digest)
      assert.equal(fromDigest[0], 0x30, 'DER SEQUENCE')
      const spki = { key: Buffer.from(publicKey), format: 'der', type: 'spki' } as const
      assert.equal(nodeVerify(hash, message, { ...spki, dsaEncoding: 'der' }, fromDigest), true, 'OpenSSL accepts the digest signature')
      const fromMessage = signWith(parsePrivateKey(der), scheme, { form: 'message', bytes: message })
      assert.equal(verifyWith(parsePrivateKey(der), scheme, digest, fromMessage), true)
      assert.equal(verifyWith(parsePrivateKey(der), scheme, digest, flip(fromMessage, fromMessage.length - 1)), false)
      assert.equal(verifyWith(parsePrivateKey(der), scheme, digest, new Uint8Array([0x30, 0x00])), false)
    })
  }
  it('a digest signature is hedged: two signatures of one digest differ', async () => {
    const { privateKey: der } = await generateOpenSslKeyPair('p-256')
    const digest = { form: 'digest' as const, bytes: digestOf('sha256', message) }
    const scheme: SignatureScheme = { family: 'ecdsa', hash: 'sha256' }
    assert.notDeepEqual(signWith(parsePrivateKey(der), scheme, digest), signWith(parsePrivateKey(der), scheme, digest))
  })
})

describe('Ed25519 signatures', () => {
  it('pure Ed25519 signs messages only', async () => {
    const { privateKey: der } = await generateOpenSslKeyPair('ed25519')
    const signature = signWith(parsePrivateKey(der), { family: 'ed25519' }, { form: 'message', bytes: message })
    assert.equal(signature.length, 64)
    assert.equal(verifyWith(parsePrivateKey(der), { family: 'ed25519' }, { form: 'message', bytes: message }, signature), true)
    assert.equal(verifyWith(parsePrivateKey(der), { family: 'ed25519ph' }, { form: 'message', bytes: message }, signature), false, 'ph is a different scheme')
    assert.throws(() => signWith(parsePrivateKey(der), { family: 'ed25519' }, { form: 'digest', bytes: new Uint8Array(64) }), RangeError)
  })
})
