// AWS's import wrapping of key material in transit. RSAES_OAEP_* wrap the material directly with RSA-OAEP;
// RSA_AES_KEY_WRAP_* send RSA-OAEP(ephemeral AES-256 key) || AES key wrap with padding (RFC 5649) of the
// material. The RSA step runs on the asymmetric engine; this file holds the split and the AES step.
import { createCipheriv, createDecipheriv } from 'node:crypto'

/** RFC 5649 §3: the alternative initial value's fixed half. */
const KWP_IV = Buffer.from('A65959A6', 'hex')
const AES_256_KEY_BYTES = 32

export interface WrappingScheme {
  oaepHash: 'sha1' | 'sha256'
  /** True for the RSA_AES_KEY_WRAP algorithms. */
  aesKeyWrap: boolean
}

/** The scheme of an AWS wrapping algorithm Trent accepts, or undefined (RSAES_PKCS1_V1_5, SM2PKE, unknown). */
export function wrappingScheme(algorithm: string): WrappingScheme | undefined {
  switch (algorithm) {
    case 'RSAES_OAEP_SHA_1': return { oaepHash: 'sha1', aesKeyWrap: false }
    case 'RSAES_OAEP_SHA_256': return { oaepHash: 'sha256', aesKeyWrap: false }
    case 'RSA_AES_KEY_WRAP_SHA_1': return { oaepHash: 'sha1', aesKeyWrap: true }
    case 'RSA_AES_KEY_WRAP_SHA_256': return { oaepHash: 'sha256', aesKeyWrap: true }
    default: return undefined
  }
}

/** The RSA-OAEP part (the first `modulusBytes`) and the AES-KWP part of an RSA_AES_KEY_WRAP payload, or undefined if too short. */
export function splitAesKeyWrapPayload(payload: Uint8Array, modulusBytes: number): { wrappedKey: Uint8Array; wrappedMaterial: Uint8Array } | undefined {
  // RFC 5649 output is at least 16 bytes (one 8-byte block of data plus the integrity block).
  if (payload.length < modulusBytes + 16) return undefined
  return { wrappedKey: payload.subarray(0, modulusBytes), wrappedMaterial: payload.subarray(modulusBytes) }
}

/** RFC 5649 unwrap under an AES-256 key; undefined when the key has another length or the integrity check fails. */
export function aesKeyUnwrapPadded(kek: Uint8Array, wrapped: Uint8Array): Uint8Array | undefined {
  if (kek.length !== AES_256_KEY_BYTES) return undefined
  try {
    const decipher = createDecipheriv('id-aes256-wrap-pad', kek, KWP_IV)
    const out = Buffer.concat([decipher.update(wrapped), decipher.final()])
    const copy = new Uint8Array(out)
    out.fill(0)
    return copy
  } catch {
    return undefined
  }
}

/** RFC 5649 wrap under an AES-256 key (tests and tools: what a client does before ImportKeyMaterial). */
export function aesKeyWrapPadded(kek: Uint8Array, material: Uint8Array): Uint8Array {
  const cipher = createCipheriv('id-aes256-wrap-pad', kek, KWP_IV)
  return new Uint8Array(Buffer.concat([cipher.update(material), cipher.final()]))
}
