// The typed failures of Trent's asymmetric crypto, and how they cross the worker-thread boundary intact.

/** Why an input was refused; operations map each reason to the wire error they owe the caller. */
export type AsymmetricFailureReason =
  /** The peer's public key is not DER SubjectPublicKeyInfo, not on a curve, or on a different curve. */
  | 'invalid-peer-key'
  /** RSA-OAEP decryption failed: wrong key, wrong hash, or altered ciphertext. */
  | 'decryption-failed'
  /** The stored private key cannot be used with the requested scheme (a bug or corrupted material). */
  | 'unusable-key'

export class AsymmetricCryptoError extends Error {
  override readonly name = 'AsymmetricCryptoError'
  readonly reason: AsymmetricFailureReason
  constructor(reason: AsymmetricFailureReason, message: string) {
    super(message)
    this.reason = reason
  }
}

/** The structured-clone form of a failure inside a worker. */
export interface WireFailure {
  reason?: AsymmetricFailureReason
  message: string
}

export function failureToWire(error: unknown): WireFailure {
  if (error instanceof AsymmetricCryptoError) return { reason: error.reason, message: error.message }
  return { message: error instanceof Error ? error.message : 'non-error thrown in a crypto worker' }
}

/** Rebuilds a worker failure: typed failures keep their class; anything else becomes a plain Error. */
export function failureFromWire(failure: WireFailure): Error {
  if (failure.reason) return new AsymmetricCryptoError(failure.reason, failure.message)
  return new Error(`crypto worker task failed: ${failure.message}`)
}
