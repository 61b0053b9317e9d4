// ML-DSA through @noble/post-quantum: sizes, RFC 9881 key containers, hedged signing, external μ
// (FIPS 204 §6.2) agreeing with message signing, and tampering failing.
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, it } from 'node:test'
import { derChildren, derReadExactly, derTag } from './der.js'
import { expandMlDsaKey, generateMlDsaKeyPair, mlDsaKindOf, mlDsaPublicKey, mlDsaSign, mlDsaVerify } from './ml-dsa.js'
import type { MlDsaKind } from './schemes.js'

const message = new Uint8Array(Buffer.from('post-quantum hello'))
const sizes: Record<MlDsaKind, { publicKey: number; signature: number; spki: number; oidLastArc: number }> = {
  'ml-dsa-44': { publicKey: 1312, signature: 2420, spki: 1334, oidLastArc: 17 },
  'ml-dsa-65': { publicKey: 1952, signature: 3309, spki: 1974, oidLastArc: 18 },
  'ml-dsa-87': { publicKey: 2592, signature: 4627, spki: 2614, oidLastArc: 19 },
}

/** μ = SHAKE256(tr ‖ M′, 64) with tr = SHAKE256(pk, 64) and M′ = 0 ‖ |ctx| = 0 ‖ M (FIPS 204 Alg. 2, 7). */
function externalMu(rawPublicKey: Uint8Array, m: Uint8Array): Uint8Array {
  const tr = createHash('shake256', { outputLength: 64 }).update(rawPublicKey).digest()
  return new Uint8Array(createHash('shake256', { outputLength: 64 }).update(tr).update(Uint8Array.of(0, 0)).update(m).digest())
}

function rawPublicKey(spki: Uint8Array): Uint8Array {
  const [, bits] = derChildren(derReadExactly(spki, derTag.sequence).value)
  assert.equal(bits!.tag, derTag.bitString)
  assert.equal(bits!.value[0], 0, 'no unused bits')
  return bits!.value.subarray(1)
}

for (const kind of Object.keys(sizes) as MlDsaKind[]) {
  describe(`${kind}`, () => {
    const pair = generateMlDsaKeyPair(kind)
    const expected = sizes[kind]

    it('writes seed-form PKCS#8 and an SPKI with the NIST OID and no parameters', () => {
      assert.equal(pair.privateKey.length, 54)
      assert.equal(pair.privateKey[pair.privateKey.length - 33], 32, 'seed [0] length')
      assert.equal(pair.publicKey.length, expected.spki)
      assert.equal(Buffer.from(pair.publicKey.subarray(4, 17)).toString('hex'), `300b06096086480165030403${expected.oidLastArc.toString(16)}`)
      assert.equal(rawPublicKey(pair.publicKey).length, expected.publicKey)
      assert.equal(mlDsaKindOf(pair.privateKey), kind)
      assert.deepEqual(mlDsaPublicKey(expandMlDsaKey(pair.privateKey)), pair.publicKey)
    })

    it('signs a message (hedged: two signatures differ) and verifies it', () => {
      const input = { form: 'message' as const, bytes: message }
      const first = mlDsaSign(expandMlDsaKey(pair.privateKey), input)
      const second = mlDsaSign(expandMlDsaKey(pair.privateKey), input)
      assert.equal(first.length, expected.signature)
      assert.notDeepEqual(first, second)
      assert.equal(mlDsaVerify(expandMlDsaKey(pair.privateKey), input, first), true)
      assert.equal(mlDsaVerify(expandMlDsaKey(pair.privateKey), input, second), true)
    })

    it('external μ signatures verify as message signatures, and message signatures verify against μ', () => {
      const mu = { form: 'mu' as const, bytes: externalMu(rawPublicKey(pair.publicKey), message) }
      const fromMu = mlDsaSign(expandMlDsaKey(pair.privateKey), mu)
      assert.equal(mlDsaVerify(expandMlDsaKey(pair.privateKey), { form: 'message', bytes: message }, fromMu), true)
      const fromMessage = mlDsaSign(expandMlDsaKey(pair.privateKey), { form: 'message', bytes: message })
      assert.equal(mlDsaVerify(expandMlDsaKey(pair.privateKey), mu, fromMessage), true)
    })

    it('rejects a tampered signature, a tampered message and a wrong-length signature', () => {
      const input = { form: 'message' as const, bytes: message }
      const signature = mlDsaSign(expandMlDsaKey(pair.privateKey), input)
      const tampered = new Uint8Array(signature)
      tampered[100]! ^= 0x01
      assert.equal(mlDsaVerify(expandMlDsaKey(pair.privateKey), input, tampered), false)
      assert.equal(mlDsaVerify(expandMlDsaKey(pair.privateKey), { form: 'message', bytes: new Uint8Array(Buffer.from('post-quantum hellO')) }, signature), false)
      assert.equal(mlDsaVerify(expandMlDsaKey(pair.privateKey), input, signature.subarray(1)), false)
    })
  })
}

describe('ML-DSA input checks', () => {
  const pair = generateMlDsaKeyPair('ml-dsa-44', new Uint8Array(32).fill(1))
  it('is deterministic in its seed', () => {
    assert.deepEqual(generateMlDsaKeyPair('ml-dsa-44', new Uint8Array(32).fill(1)), pair)
  })
  it('refuses a μ that is not 64 bytes and the digest form', () => {
    assert.throws(() => mlDsaSign(expandMlDsaKey(pair.privateKey), { form: 'mu', bytes: new Uint8Array(63) }), RangeError)
    assert.throws(() => mlDsaSign(expandMlDsaKey(pair.privateKey), { form: 'digest', bytes: new Uint8Array(64) }), RangeError)
  })
  it('does not take an EC key for an ML-DSA key', () => {
    assert.equal(mlDsaKindOf(Buffer.from('302e020100300506032b657004220420' + '00'.repeat(32), 'hex')), undefined)
    assert.throws(() => mlDsaSign(expandMlDsaKey(Buffer.from('302e020100300506032b657004220420' + '00'.repeat(32), 'hex')), { form: 'message', bytes: message }), {
      name: 'AsymmetricCryptoError', message: 'private key is not an ML-DSA key',
    })
  })
})

describe('ML-DSA private key forms', () => {
  it('refuses the expandedKey form, which Trent never writes, as an unusable key', () => {
    const { privateKey } = generateMlDsaKeyPair('ml-dsa-44')
    const expandedForm = new Uint8Array(privateKey)
    expandedForm[expandedForm.length - 34] = derTag.octetString
    assert.equal(mlDsaKindOf(expandedForm), 'ml-dsa-44')
    assert.throws(() => mlDsaPublicKey(expandMlDsaKey(expandedForm)), { name: 'AsymmetricCryptoError', reason: 'unusable-key', message: 'ML-DSA private key is not in seed form' })
  })
})
