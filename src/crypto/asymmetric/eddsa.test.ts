// Known answers from RFC 8032 §7.1 (Ed25519, tests 1 and 2) and §7.3 (Ed25519ph, "abc").
import assert from 'node:assert/strict'
import { parsePrivateKey } from './private-key.js'
import { describe, it } from 'node:test'
import { publicKeyOf } from './key-pair.js'
import { signWith, verifyWith } from './signature.js'

/** PKCS#8 for an Ed25519 seed (RFC 8410): fixed prefix, then the 32-byte seed. */
const ed25519Pkcs8 = (seedHex: string) => new Uint8Array(Buffer.from(`302e020100300506032b657004220420${seedHex}`, 'hex'))
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')
const bytes = (h: string) => new Uint8Array(Buffer.from(h, 'hex'))

const vectors = [
  {
    name: 'RFC 8032 7.1 test 1', family: 'ed25519' as const, message: '',
    seed: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    publicKey: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    signature: 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    name: 'RFC 8032 7.1 test 2', family: 'ed25519' as const, message: '72',
    seed: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    publicKey: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    signature: '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
  {
    name: 'RFC 8032 7.3 Ed25519ph "abc"', family: 'ed25519ph' as const, message: '616263',
    seed: '833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42',
    publicKey: 'ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf',
    signature: '98a70222f0b8121aa9d30f813d683f809e462b469c7ff87639499bb94e6dae4131f85042463c2a355a2003d062adf5aaa10b8c61e636062aaad11c2a26083406',
  },
]

describe('EdDSA known answers', () => {
  for (const v of vectors) {
    it(`${v.name}: public key, signature and verification`, () => {
      const der = ed25519Pkcs8(v.seed)
      assert.equal(hex(publicKeyOf(parsePrivateKey(der))).slice(-64), v.publicKey)
      const input = { form: 'message' as const, bytes: bytes(v.message) }
      assert.equal(hex(signWith(parsePrivateKey(der), { family: v.family }, input)), v.signature)
      assert.equal(verifyWith(parsePrivateKey(der), { family: v.family }, input, bytes(v.signature)), true)
      const tampered = bytes(v.signature)
      tampered[5]! ^= 0x80
      assert.equal(verifyWith(parsePrivateKey(der), { family: v.family }, input, tampered), false)
    })
  }
})
