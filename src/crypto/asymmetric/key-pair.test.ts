import assert from 'node:assert/strict'
import { createPrivateKey } from 'node:crypto'
import { parsePrivateKey } from './private-key.js'
import { describe, it } from 'node:test'
import { generateOpenSslKeyPair, publicKeyOf } from './key-pair.js'

describe('generateOpenSslKeyPair()', () => {
  const expectations = [
    ['rsa-2048', 'rsa', { modulusLength: 2048, publicExponent: 65537n }],
    ['rsa-3072', 'rsa', { modulusLength: 3072, publicExponent: 65537n }],
    ['p-256', 'ec', { namedCurve: 'prime256v1' }],
    ['p-384', 'ec', { namedCurve: 'secp384r1' }],
    ['p-521', 'ec', { namedCurve: 'secp521r1' }],
    ['secp256k1', 'ec', { namedCurve: 'secp256k1' }],
    ['ed25519', 'ed25519', {}],
  ] as const
  for (const [kind, type, details] of expectations) {
    it(`${kind}: PKCS#8 that OpenSSL reads, and the matching SPKI`, async () => {
      const pair = await generateOpenSslKeyPair(kind)
      const key = createPrivateKey({ key: Buffer.from(pair.privateKey), format: 'der', type: 'pkcs8' })
      assert.equal(key.asymmetricKeyType, type)
      assert.deepEqual(key.asymmetricKeyDetails, details)
      assert.deepEqual(publicKeyOf(parsePrivateKey(pair.privateKey)), pair.publicKey)
    })
  }

  it('publicKeyOf() refuses material that is not a private key', () => {
    assert.throws(() => publicKeyOf(parsePrivateKey(new Uint8Array(32))), { name: 'AsymmetricCryptoError', reason: 'unusable-key' })
  })
})
