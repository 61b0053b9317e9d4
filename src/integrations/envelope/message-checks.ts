// What decrypting checks about a message beyond the ESDK's own checks: the encryption context pairs the
// caller expects, and how many encrypted data keys a message may carry.
import { EnvelopeError } from './envelope-error.js'

export type EncryptionContext = Readonly<Record<string, string>>

/**
 * Throws EnvelopeError('ContextMismatch') unless `actual` holds every pair of `expected` with the same value.
 * Extra pairs in the message are allowed (the ESDK adds its own, e.g. `aws-crypto-public-key`). The message
 * names the offending key, never a value: context values are not secret, but they are the caller's data.
 */
export function requireExpectedContext(actual: EncryptionContext, expected: EncryptionContext | undefined): void {
  for (const [key, value] of Object.entries(expected ?? {})) {
    if (!Object.hasOwn(actual, key)) throw new EnvelopeError('ContextMismatch', `the message's encryption context has no '${key}' pair`)
    if (actual[key] !== value) throw new EnvelopeError('ContextMismatch', `the message's encryption context has a different value for '${key}'`)
  }
}

/** A context as a plain object with only string values, copied (the ESDK hands out frozen objects). */
export function copyContext(context: Record<string, unknown>): Record<string, string> {
  // fromEntries defines own properties, so a key named `__proto__` stays an ordinary pair.
  return Object.fromEntries(Object.entries(context).map(([key, value]) => [key, String(value)]))
}

/** Messages with more encrypted data keys are refused before any KMS call (the ESDK's guard against a fan-out). */
export const DEFAULT_MAX_ENCRYPTED_DATA_KEYS = 10
