// Which bytes ImportKeyMaterial accepts for each key spec, as AWS documents the formats: a 256-bit AES key for
// SYMMETRIC_DEFAULT, raw HMAC key bytes within the spec's length range, and a PKCS#8 DER private key of
// exactly the key's type, size or curve (re-encoded canonically) for asymmetric keys.
import { canonicalImportedPrivateKey } from '../crypto/asymmetric/import-form.js'
import type { KeySpec } from '../keys/key.js'
import { keySpecProfile } from './key-specs.js'

/** Inclusive byte ranges of HMAC key material AWS accepts (developer guide, "Requirements for imported key material"). */
export const HMAC_MATERIAL_BYTES: Partial<Record<KeySpec, readonly [number, number]>> = {
  HMAC_224: [28, 64], HMAC_256: [32, 64], HMAC_384: [48, 128], HMAC_512: [64, 128],
}

const SYMMETRIC_MATERIAL_BYTES = 32

/**
 * The material to store for `spec`, or undefined when `plaintext` is not acceptable material for it. The
 * result is a new array (the caller zeroes `plaintext`); for symmetric and HMAC keys it is a copy.
 */
export function importableMaterial(spec: KeySpec, plaintext: Uint8Array): Uint8Array | undefined {
  const kind = keySpecProfile(spec).material
  if (kind.type === 'symmetric') return plaintext.length === SYMMETRIC_MATERIAL_BYTES ? new Uint8Array(plaintext) : undefined
  if (kind.type === 'hmac') {
    const [min, max] = HMAC_MATERIAL_BYTES[spec]!
    return plaintext.length >= min && plaintext.length <= max ? new Uint8Array(plaintext) : undefined
  }
  if (kind.type === 'key-pair') return canonicalImportedPrivateKey(plaintext, kind.kind)
  return undefined
}
