// GetParametersForImport's import token: the wrapping key pair's private half, sealed under the root key and
// bound to its key id, wrapping key spec, wrapping algorithm and expiry. Trent keeps no copy: the token
// itself is the only place the private key exists (wrapped), so nothing needs cleaning up when it expires.
// Layout: 0x01 | spec code | algorithm code | uint64 BE ParametersValidTo (ms) | root-key wrap of the PKCS#8.
// The root-key AAD is "trent/import-token" || 0x00 || 0x01 || str(keyId) || the 11 header bytes above.

/** What seals and opens secrets under the root key (the keyring). */
export interface SecretSealer {
  sealSecret(secret: Uint8Array, aad: Uint8Array): Promise<Uint8Array>
  /** Throws when the blob, aad or root key does not match. */
  openSecret(sealed: Uint8Array, aad: Uint8Array): Promise<Uint8Array>
}

export const WRAPPING_KEY_SPECS = ['RSA_2048', 'RSA_3072', 'RSA_4096'] as const
export const WRAPPING_ALGORITHMS = ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256', 'RSA_AES_KEY_WRAP_SHA_1', 'RSA_AES_KEY_WRAP_SHA_256'] as const
export type WrappingKeySpecName = (typeof WRAPPING_KEY_SPECS)[number]
export type WrappingAlgorithmName = (typeof WRAPPING_ALGORITHMS)[number]

/** How long a token and its public key may be used (AWS: 24 hours). */
export const IMPORT_TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1000

export interface ImportTokenContents {
  keyId: string
  wrappingKeySpec: WrappingKeySpecName
  wrappingAlgorithm: WrappingAlgorithmName
  validTo: Date
}

export interface OpenedImportToken extends ImportTokenContents {
  /** PKCS#8 DER of the wrapping private key; the caller zeroes it after use. */
  privateKey: Uint8Array
}

/** Why a token was refused: not Trent's for this key (or tampered), or past its ParametersValidTo. */
export class ImportTokenError extends Error {
  override readonly name = 'ImportTokenError'
  readonly reason: 'invalid' | 'expired'
  constructor(reason: 'invalid' | 'expired') {
    super(reason === 'invalid' ? 'import token is not valid for this key' : 'import token has expired')
    this.reason = reason
  }
}

const TOKEN_FORMAT = 0x01
const HEADER_BYTES = 11
const encoder = new TextEncoder()

function header(c: Omit<ImportTokenContents, 'keyId'>): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES)
  out[0] = TOKEN_FORMAT
  out[1] = WRAPPING_KEY_SPECS.indexOf(c.wrappingKeySpec) + 1
  out[2] = WRAPPING_ALGORITHMS.indexOf(c.wrappingAlgorithm) + 1
  new DataView(out.buffer).setBigUint64(3, BigInt(c.validTo.getTime()))
  return out
}

function tokenAad(keyId: string, head: Uint8Array): Uint8Array {
  const label = encoder.encode('trent/import-token')
  const id = encoder.encode(keyId)
  const out = new Uint8Array(label.length + 2 + 2 + id.length + head.length)
  out.set(label)
  out.set([0x00, 0x01], label.length)
  new DataView(out.buffer).setUint16(label.length + 2, id.length)
  out.set(id, label.length + 4)
  out.set(head, label.length + 4 + id.length)
  return out
}

/** Seals `privateKey` (PKCS#8 DER; not kept) into a token bound to `contents`. */
export async function sealImportToken(sealer: SecretSealer, contents: ImportTokenContents, privateKey: Uint8Array): Promise<Uint8Array> {
  const head = header(contents)
  const sealed = await sealer.sealSecret(privateKey, tokenAad(contents.keyId, head))
  const token = new Uint8Array(head.length + sealed.length)
  token.set(head)
  token.set(sealed, head.length)
  return token
}

/**
 * Opens a token presented for `keyId` at `now`. Throws ImportTokenError('invalid') when it was not made by
 * this Trent for this key (or was altered), and ImportTokenError('expired') from its ParametersValidTo on;
 * authenticity is checked first, so an expiry nobody sealed means nothing.
 */
export async function openImportToken(sealer: SecretSealer, token: Uint8Array, keyId: string, now: Date): Promise<OpenedImportToken> {
  if (token.length <= HEADER_BYTES || token[0] !== TOKEN_FORMAT) throw new ImportTokenError('invalid')
  const head = token.subarray(0, HEADER_BYTES)
  const wrappingKeySpec = WRAPPING_KEY_SPECS[head[1]! - 1]
  const wrappingAlgorithm = WRAPPING_ALGORITHMS[head[2]! - 1]
  if (!wrappingKeySpec || !wrappingAlgorithm) throw new ImportTokenError('invalid')
  let privateKey: Uint8Array
  try {
    privateKey = await sealer.openSecret(token.subarray(HEADER_BYTES), tokenAad(keyId, head))
  } catch {
    throw new ImportTokenError('invalid')
  }
  const validTo = new Date(Number(new DataView(head.buffer, head.byteOffset, head.byteLength).getBigUint64(3)))
  if (now.getTime() >= validTo.getTime()) {
    privateKey.fill(0)
    throw new ImportTokenError('expired')
  }
  return { keyId, wrappingKeySpec, wrappingAlgorithm, validTo, privateKey }
}
