// The asymmetric operations a crypto worker can run, by name: the only code the worker thread executes.
import { deriveEcdhSecret } from './ecdh.js'
import { publicKeyOf } from './key-pair.js'
import { generateMlDsaKeyPair } from './ml-dsa.js'
import { oaepDecrypt, oaepEncrypt, type OaepHash } from './rsa-oaep.js'
import type { MlDsaKind, SignatureScheme, SignedInput } from './schemes.js'
import { signWith, verifyWith } from './signature.js'

export const asymmetricTasks = {
  generateMlDsa: (kind: MlDsaKind) => generateMlDsaKeyPair(kind),
  publicKey: (privateKey: Uint8Array) => publicKeyOf(privateKey),
  sign: (privateKey: Uint8Array, scheme: SignatureScheme, input: SignedInput) => signWith(privateKey, scheme, input),
  verify: (privateKey: Uint8Array, scheme: SignatureScheme, input: SignedInput, signature: Uint8Array) =>
    verifyWith(privateKey, scheme, input, signature),
  encrypt: (privateKey: Uint8Array, hash: OaepHash, plaintext: Uint8Array) => oaepEncrypt(privateKey, hash, plaintext),
  decrypt: (privateKey: Uint8Array, hash: OaepHash, ciphertext: Uint8Array) => oaepDecrypt(privateKey, hash, ciphertext),
  deriveSharedSecret: (privateKey: Uint8Array, peerPublicKey: Uint8Array) => deriveEcdhSecret(privateKey, peerPublicKey),
} as const

export type AsymmetricTasks = typeof asymmetricTasks
export type AsymmetricTaskName = keyof AsymmetricTasks
