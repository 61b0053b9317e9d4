// The audit signing key (Ed25519): created once, its private half stored only wrapped under the root key,
// its public half stored in the clear so anyone can verify digests (and export and pin it).
import { createPrivateKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto'
import type { RootKey } from '../rootkey/root-key.js'
import type { Store } from '../store/store.js'
import { parsePublicKeyPem, publicKeyFingerprint, type DigestSigner } from './digest.js'

const SETTING = 'audit-signing-key'

interface StoredSigningKey {
  algorithm: 'Ed25519'
  publicKeyPem: string
  /** Base64 of the PKCS#8 DER private key wrapped under the root key. */
  wrappedPrivateKey: string
}

/** The aad binds the wrapped private key to its public key, so swapping the stored public key breaks unwrapping. */
function wrapAad(fingerprint: string): Uint8Array {
  return new TextEncoder().encode(`trent/audit-signing-key:${fingerprint}`)
}

async function createStoredKey(rootKey: RootKey): Promise<StoredSigningKey> {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519')
  const der = privateKey.export({ type: 'pkcs8', format: 'der' })
  try {
    const wrapped = await rootKey.wrap(new Uint8Array(der), wrapAad(publicKeyFingerprint(publicKey)))
    return { algorithm: 'Ed25519', publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), wrappedPrivateKey: Buffer.from(wrapped).toString('base64') }
  } finally {
    der.fill(0)
  }
}

/**
 * Returns the signer, creating and storing the key on first use. Processes racing on a new database all
 * end up with the single stored key. Throws KeyWrapError when the stored key does not unwrap (wrong root
 * key, or the stored public key was replaced).
 */
export async function loadOrCreateAuditSigner(store: Store, rootKey: RootKey): Promise<DigestSigner & { publicKeyPem: string }> {
  let text = await store.getSetting(SETTING)
  if (text === undefined) text = await store.getOrInitSetting(SETTING, JSON.stringify(await createStoredKey(rootKey)))
  const stored = JSON.parse(text) as StoredSigningKey
  const publicKey = parsePublicKeyPem(stored.publicKeyPem)
  const fingerprint = publicKeyFingerprint(publicKey)
  const der = await rootKey.unwrap(Buffer.from(stored.wrappedPrivateKey, 'base64'), wrapAad(fingerprint))
  let privateKey: KeyObject
  try {
    privateKey = createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' })
  } finally {
    der.fill(0)
  }
  return { fingerprint, publicKeyPem: stored.publicKeyPem, sign: (data) => sign(null, data, privateKey) }
}

/**
 * The wrapped private key in the stored setting text, its aad, and the same text with another wrapped blob
 * in its place: the root-key migration rewraps it without ever parsing the key.
 */
export function auditSigningKeyWrapped(text: string): { wrapped: Uint8Array; aad: Uint8Array; withWrapped(blob: Uint8Array): string } {
  const stored = JSON.parse(text) as StoredSigningKey
  return {
    wrapped: new Uint8Array(Buffer.from(stored.wrappedPrivateKey, 'base64')),
    aad: wrapAad(publicKeyFingerprint(parsePublicKeyPem(stored.publicKeyPem))),
    withWrapped: (blob) => JSON.stringify({ ...stored, wrappedPrivateKey: Buffer.from(blob).toString('base64') }),
  }
}

export const AUDIT_SIGNING_KEY_SETTING = SETTING

/** The stored public key (PEM), or undefined before the first digest was ever signed. */
export async function storedAuditPublicKey(store: Store): Promise<string | undefined> {
  const text = await store.getSetting(SETTING)
  return text === undefined ? undefined : (JSON.parse(text) as StoredSigningKey).publicKeyPem
}
