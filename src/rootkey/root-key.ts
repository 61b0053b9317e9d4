// The root of trust: wraps and unwraps key material. Providers differ in where the root key lives: in this
// process (file, env) or inside a PKCS#11 token (pkcs11/), where it never leaves the token.
import { createHmac } from 'node:crypto'
import { KeyWrapError, unwrapKeyMaterial, wrapKeyMaterial } from '../crypto/key-wrap.js'
import { randomPublic } from '../crypto/random-pool.js'
import { labelBlob, readBlobLabel } from './labelled-blob.js'

export interface RootKey {
  /** Where the key comes from, e.g. 'file:/path' or 'env:TRENT_ROOT_KEY'. Never key bytes. */
  readonly description: string
  /** Public, stable id of this root key; every blob it wraps is labelled with it (labelled-blob.ts). */
  readonly id: string
  /** Returns a labelled blob. Throws RootKeyUnavailableError when the key cannot be reached right now. */
  wrap(material: Uint8Array, aad: Uint8Array): Promise<Uint8Array>
  /**
   * Throws KeyWrapError when the blob, the aad or the root key does not match (a blob labelled with another
   * root key's id included), RootKeyUnavailableError when the key cannot be reached right now.
   */
  unwrap(wrapped: Uint8Array, aad: Uint8Array): Promise<Uint8Array>
  /** Throws RootKeyUnavailableError unless the key can be used right now (for /readyz). */
  probe(): Promise<void>
  /** Releases what the provider holds open (PKCS#11 session). */
  close(): Promise<void>
}

/** The root key cannot be used right now (HSM token removed, module failing). A server fault: 500, retryable. */
export class RootKeyUnavailableError extends Error {
  override readonly name = 'RootKeyUnavailableError'
}

/** Seals and opens inner 0x01 blobs; labelledRootKey() adds the label and refuses other keys' blobs. */
export interface InnerSealer {
  seal(material: Uint8Array, aad: Uint8Array): Promise<Uint8Array>
  /** Throws KeyWrapError when the inner blob does not open under this key with this aad. */
  open(inner: Uint8Array, aad: Uint8Array): Promise<Uint8Array>
}

/**
 * A RootKey from a sealer. `opensUnlabelled` says the key may have written legacy unlabelled blobs (only the
 * in-process providers ever did); others refuse them at once.
 */
export function labelledRootKey(
  id: string, description: string, sealer: InnerSealer, options: { opensUnlabelled: boolean; probe?: () => Promise<void>; close?: () => Promise<void> },
): RootKey {
  return {
    id,
    description,
    wrap: async (material, aad) => labelBlob(id, await sealer.seal(material, aad)),
    async unwrap(wrapped, aad) {
      const { rootKeyId, inner } = readBlobLabel(wrapped)
      if (rootKeyId === undefined ? !options.opensUnlabelled : rootKeyId !== id) {
        throw new KeyWrapError('wrapped key material was wrapped by another root key')
      }
      return sealer.open(inner, aad)
    },
    probe: options.probe ?? (async () => {}),
    close: options.close ?? (async () => {}),
  }
}

/**
 * The id of an in-process root key: HMAC-SHA256(key, "trent/root-key-id/v1"), first 8 bytes in hex, after
 * "aes:". A PRF output, so it identifies the key without revealing anything about it.
 */
export function inProcessRootKeyId(key: Uint8Array): string {
  return `aes:${createHmac('sha256', key).update('trent/root-key-id/v1').digest().subarray(0, 8).toString('hex')}`
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
  return labelledRootKey(inProcessRootKeyId(secret), description, {
    seal: async (material, aad) => wrapKeyMaterial(secret, material, aad, random),
    open: async (inner, aad) => unwrapKeyMaterial(secret, inner, aad),
  }, { opensUnlabelled: true })
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
