import assert from 'node:assert/strict'
import { parsePrivateKey } from './private-key.js'
import { describe, it } from 'node:test'
import { deriveEcdhSecret } from './ecdh.js'
import { generateOpenSslKeyPair } from './key-pair.js'

const invalidPeer = (message: string) => ({ name: 'AsymmetricCryptoError', reason: 'invalid-peer-key', message })

describe('deriveEcdhSecret()', () => {
  for (const [kind, bytes] of [['p-256', 32], ['p-384', 48], ['p-521', 66]] as const) {
    it(`${kind}: both sides derive the same ${bytes}-byte secret`, async () => {
      const alice = await generateOpenSslKeyPair(kind)
      const bob = await generateOpenSslKeyPair(kind)
      const ab = deriveEcdhSecret(parsePrivateKey(alice.privateKey), bob.publicKey)
      assert.equal(ab.length, bytes)
      assert.deepEqual(ab, deriveEcdhSecret(parsePrivateKey(bob.privateKey), alice.publicKey))
    })
  }

  it('refuses a peer key on another curve', async () => {
    const own = await generateOpenSslKeyPair('p-256')
    const peer = await generateOpenSslKeyPair('p-384')
    assert.throws(() => deriveEcdhSecret(parsePrivateKey(own.privateKey), peer.publicKey), invalidPeer('peer public key is not on the same curve'))
  })

  it('refuses a non-EC peer key', async () => {
    const own = await generateOpenSslKeyPair('p-256')
    const peer = await generateOpenSslKeyPair('ed25519')
    assert.throws(() => deriveEcdhSecret(parsePrivateKey(own.privateKey), peer.publicKey), invalidPeer('peer public key is not on the same curve'))
  })

  it('refuses a point that is not on the curve', async () => {
    const own = await generateOpenSslKeyPair('p-256')
    const peer = new Uint8Array((await generateOpenSslKeyPair('p-256')).publicKey)
    peer[peer.length - 1]! ^= 0x01
    assert.throws(() => deriveEcdhSecret(parsePrivateKey(own.privateKey), peer), invalidPeer('peer public key is not a valid SubjectPublicKeyInfo'))
  })

  it('refuses trailing bytes and garbage', async () => {
    const own = await generateOpenSslKeyPair('p-256')
    const peer = (await generateOpenSslKeyPair('p-256')).publicKey
    const trailing = new Uint8Array([...peer, 0])
    assert.throws(() => deriveEcdhSecret(parsePrivateKey(own.privateKey), trailing), invalidPeer('peer public key is not one DER SubjectPublicKeyInfo'))
    assert.throws(() => deriveEcdhSecret(parsePrivateKey(own.privateKey), new Uint8Array([0x30, 0x03, 1, 2, 3])), invalidPeer('peer public key is not a valid SubjectPublicKeyInfo'))
  })
})
