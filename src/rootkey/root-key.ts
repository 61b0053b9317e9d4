// The root of trust: wraps and unwraps key material. Providers differ in where the root key lives.
import { unwrapKeyMaterial, wrapKeyMaterial } from '../crypto/key-wrap.js'
import { randomPublic } from '../crypto/random-pool.js'

export interface RootKey {
  /** Where the key comes from, e.g. 'file:/path' or 'env:TRENT_ROOT_KEY'. Never key bytes. */
  readonly description: string
  wrap(material: Uint8Array, aad: Uint8Array): Promise<Uint8Array>
  /** Throws KeyWrapError when the blob, the aad or the root key does not match. */
  unwrap(wrapped: Uint8Array, aad: Uint8Array): Promise<Uint8Array>
}

/**
 * A RootKey whose 32-byte key is held in this process (file and env providers). The bytes are copied
 * into a closure so they are not reachable as a property or printed by inspection. `random` supplies the
 * wrap IVs, which are stored in the clear, so the public pool serves them.
 * Throws RangeError unless the key is 32 bytes.
 */
export function inProcessRootKey(key: Uint8Array, description: string, random = randomPublic): RootKey {
  if (key.length !== 32) throw new RangeError('root key must be 32 bytes')
  const secret = new Uint8Array(key)
  return {
    description,
    wrap: async (material, aad) => wrapKeyMaterial(secret, material, aad, random),
    unwrap: async (wrapped, aad) => unwrapKeyMaterial(secret, wrapped, aad),
  }
}

/** Decodes canonical standard base64 (padded; surrounding whitespace ignored) of exactly 32 bytes, else undefined. */
export function decodeRootKeyBase64(text: string): Uint8Array | undefined {
  const trimmed = text.trim()
  const bytes = Buffer.from(trimmed, 'base64')
  const isCanonical = bytes.length === 32 && bytes.toString('base64') === trimmed
  const key = isCanonical ? new Uint8Array(bytes) : undefined
  bytes.fill(0)
  return key
}
