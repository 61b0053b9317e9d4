// Random bytes and symmetric key material. (Material ids are derived in keys/material-binding.ts.)
import { randomSecret } from './random-pool.js'

export const symmetricMaterialBytes = 32

/** n cryptographically secure random bytes from OpenSSL's CSPRNG, as a plain Uint8Array (never pooled: fit for secrets). */
export function randomBytes(n: number): Uint8Array {
  return randomSecret(n)
}

/** Fresh 256-bit material for a symmetric key version. Throws Error if `random` returns the wrong length. */
export function generateSymmetricMaterial(random: (n: number) => Uint8Array): Uint8Array {
  const material = random(symmetricMaterialBytes)
  if (material.length !== symmetricMaterialBytes) throw new Error('random source returned the wrong number of bytes')
  return new Uint8Array(material)
}
