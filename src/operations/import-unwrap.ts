// Recovers the plaintext key material of an ImportKeyMaterial request with the import token's wrapping key,
// on the asymmetric engine (RSA private-key work never runs on the event loop).
import { randomUUID } from 'node:crypto'
import { AsymmetricCryptoError } from '../crypto/asymmetric/errors.js'
import { aesKeyUnwrapPadded, splitAesKeyWrapPayload, wrappingScheme } from '../crypto/import-wrapping.js'
import type { OpenedImportToken } from '../keys/import-token.js'
import { keyErrors } from '../wire/messages.js'
import type { OperationContext } from './operation.js'

const modulusBytes = { RSA_2048: 256, RSA_3072: 384, RSA_4096: 512 } as const

/**
 * The material `encrypted` carries under the token's wrapping key and algorithm. Zeroes the token's private key
 * and drops its parsed form from every worker before returning. Throws InvalidCiphertextException (bare, as AWS
 * sends it) when the payload does not unwrap.
 */
export async function unwrapImportedMaterial(ctx: OperationContext, token: OpenedImportToken, encrypted: Uint8Array): Promise<Uint8Array> {
  const scheme = wrappingScheme(token.wrappingAlgorithm)!
  // A one-off name: the parsed wrapping key must never be found again by another request.
  const owner = `import-wrapping/${randomUUID()}`
  const ref = { owner, name: owner, material: token.privateKey }
  try {
    if (!scheme.aesKeyWrap) return await ctx.asymmetric.decrypt(ref, scheme.oaepHash, encrypted)
    const parts = splitAesKeyWrapPayload(encrypted, modulusBytes[token.wrappingKeySpec])
    if (!parts) throw keyErrors.invalidCiphertext()
    const aesKey = await ctx.asymmetric.decrypt(ref, scheme.oaepHash, parts.wrappedKey)
    try {
      const material = aesKeyUnwrapPadded(aesKey, parts.wrappedMaterial)
      if (!material) throw keyErrors.invalidCiphertext()
      return material
    } finally {
      aesKey.fill(0)
    }
  } catch (e) {
    if (e instanceof AsymmetricCryptoError && e.reason === 'decryption-failed') throw keyErrors.invalidCiphertext()
    throw e
  } finally {
    token.privateKey.fill(0)
    await ctx.asymmetric.forget(owner)
  }
}
