// The asymmetric operations a crypto worker can run, by name: the only code the worker thread executes.
// Tasks that use a private key receive it parsed (see private-key.ts), as their first argument.
import { deriveEcdhSecret } from './ecdh.js'
import { publicKeyOf } from './key-pair.js'
import { generateMlDsaKeyPair } from './ml-dsa.js'
import type { PrivateKey } from './private-key.js'
import { oaepDecrypt, oaepEncrypt, type OaepHash } from './rsa-oaep.js'
import type { MlDsaKind, SignatureScheme, SignedInput } from './schemes.js'
import { signWith, verifyWith } from './signature.js'

export const asymmetricTasks = {
  generateMlDsa: (kind: MlDsaKind) => generateMlDsaKeyPair(kind),
  publicKey: (key: PrivateKey) => publicKeyOf(key),
  sign: (key: PrivateKey, scheme: SignatureScheme, input: SignedInput) => signWith(key, scheme, input),
  verify: (key: PrivateKey, scheme: SignatureScheme, input: SignedInput, signature: Uint8Array) => verifyWith(key, scheme, input, signature),
  encrypt: (key: PrivateKey, hash: OaepHash, plaintext: Uint8Array) => oaepEncrypt(key, hash, plaintext),
  decrypt: (key: PrivateKey, hash: OaepHash, ciphertext: Uint8Array) => oaepDecrypt(key, hash, ciphertext),
  deriveSharedSecret: (key: PrivateKey, peerPublicKey: Uint8Array) => deriveEcdhSecret(key, peerPublicKey),
} as const

export type AsymmetricTasks = typeof asymmetricTasks
export type AsymmetricTaskName = keyof AsymmetricTasks

/** Tasks whose results are secret: the worker zeroes its copy once the result is posted. */
export const secretResultTasks: ReadonlySet<AsymmetricTaskName> = new Set(['generateMlDsa', 'decrypt', 'deriveSharedSecret'])
