// Trent's library API (the package's main export): envelope encryption in the AWS Encryption SDK message
// format with data keys from Trent. See README "Library". Messages interoperate with every ESDK and the AWS Encryption CLI.
import { Readable } from 'node:stream'
import { createEnvelope, type DecryptOptions, type DecryptResult, type Envelope, type EncryptOptions } from './envelope/envelope.js'

export { createEnvelope } from './envelope/envelope.js'
export type { DataKeyCacheOptions, DecryptOptions, DecryptResult, Envelope, EnvelopeOptions, EncryptOptions, MessageInfo } from './envelope/envelope.js'
export { EnvelopeError, type EnvelopeFailure } from './envelope/envelope-error.js'
export { algorithmSuites, type AlgorithmSuiteName } from './envelope/algorithm-suites.js'
export type { KmsConnection } from './envelope/kms-connection.js'

let fromEnvironment: Envelope | undefined

/** The process-wide envelope configured from the environment only (AWS_* variables, no data-key cache). */
function defaultEnvelope(): Envelope {
  fromEnvironment ??= createEnvelope()
  return fromEnvironment
}

/**
 * Encrypts with the envelope configured from the environment: a buffer or string gives a Promise of the
 * message, a stream gives a stream of it. For caching or an explicit endpoint use `createEnvelope(options)`.
 */
export function encrypt(plaintext: Uint8Array | string, options: EncryptOptions): Promise<Buffer>
export function encrypt(plaintext: Readable, options: EncryptOptions): Readable
export function encrypt(plaintext: Uint8Array | string | Readable, options: EncryptOptions): Promise<Buffer> | Readable {
  const envelope = defaultEnvelope()
  return plaintext instanceof Readable ? envelope.encrypt(plaintext, options) : envelope.encrypt(plaintext, options)
}

/** Decrypts with the envelope configured from the environment: a buffer gives a Promise of the result, a stream a plaintext stream. */
export function decrypt(ciphertext: Uint8Array, options?: DecryptOptions): Promise<DecryptResult>
export function decrypt(ciphertext: Readable, options?: DecryptOptions): Readable
export function decrypt(ciphertext: Uint8Array | Readable, options?: DecryptOptions): Promise<DecryptResult> | Readable {
  const envelope = defaultEnvelope()
  return ciphertext instanceof Readable ? envelope.decrypt(ciphertext, options) : envelope.decrypt(ciphertext, options)
}
