// Random bytes and symmetric key material, plus the public identifier of a piece of material.
import { createHmac, randomBytes as nodeRandomBytes } from 'node:crypto'

export const symmetricMaterialBytes = 32

/** n cryptographically secure random bytes from OpenSSL's CSPRNG, as a plain Uint8Array. */
export function randomBytes(n: number): Uint8Array {
  return new Uint8Array(nodeRandomBytes(n))
}

/** Fresh 256-bit material for a symmetric key version. Throws Error if `random` returns the wrong length. */
export function generateSymmetricMaterial(random: (n: number) => Uint8Array): Uint8Array {
  const material = random(symmetricMaterialBytes)
  if (material.length !== symmetricMaterialBytes) throw new Error('random source returned the wrong number of bytes')
  return new Uint8Array(material)
}

/**
 * 64 lowercase hex characters naming this material for this key: HMAC-SHA256 keyed by the material
 * over 'trent/key-material-id/v1:' + keyId. It is a one-way function, so it can be shown and logged.
 */
export function materialId(keyId: string, material: Uint8Array): string {
  return createHmac('sha256', material).update(`trent/key-material-id/v1:${keyId}`, 'utf8').digest('hex')
}
