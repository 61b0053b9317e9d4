// This deployment's transport key pair (docs/multi-region-peers-plan.md): the RSA-3072 pair peers seal key
// material for (transport-wrap.ts). One pair per (store, root key), kept in the settings table as JSON
// {publicKey: SPKI DER b64, wrappedPrivateKey: root-key wrap of the PKCS#8 DER, b64}. getOrInitSetting returns
// whichever candidate was stored first, so every process and node of the deployment ends up with the same pair;
// a root-key migration names a new setting, so the deployment simply gets a new pair (senders refetch it).
import { createPrivateKey, generateKeyPair, type KeyObject } from 'node:crypto'
import { promisify } from 'node:util'
import type { RootKey } from '../rootkey/root-key.js'
import type { Store } from '../store/store.js'
import { transportKeyId } from './transport-wrap.js'

const generate = promisify(generateKeyPair)

export interface TransportKeyPair {
  /** SPKI DER of the public half: what GetTransportKey returns. */
  publicKeyDer: Buffer
  /** SHA-256 (hex) of publicKeyDer: the id a sealed message names. */
  transportKeyId: string
  privateKey: KeyObject
}

interface StoredPair {
  publicKey: string
  wrappedPrivateKey: string
}

export function transportKeySettingName(rootKeyId: string): string {
  return `peer-transport-key/${rootKeyId}`
}

/** The root-key AAD of the private half: its own label, so the blob cannot pass for key material or a token. */
function privateKeyAad(publicKeyDer: Uint8Array): Uint8Array {
  return Buffer.concat([Buffer.from('trent/peer-transport-key/v1\0', 'utf8'), Buffer.from(transportKeyId(publicKeyDer), 'utf8')])
}

async function newCandidate(rootKey: RootKey): Promise<string> {
  const { publicKey, privateKey } = await generate('rsa', { modulusLength: 3072 })
  const spki = publicKey.export({ format: 'der', type: 'spki' })
  const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' })
  try {
    const wrapped = await rootKey.wrap(pkcs8, privateKeyAad(spki))
    const stored: StoredPair = { publicKey: spki.toString('base64'), wrappedPrivateKey: Buffer.from(wrapped).toString('base64') }
    return JSON.stringify(stored)
  } finally {
    pkcs8.fill(0)
  }
}

async function openStored(text: string, rootKey: RootKey): Promise<TransportKeyPair> {
  const stored = JSON.parse(text) as StoredPair
  const publicKeyDer = Buffer.from(stored.publicKey, 'base64')
  const pkcs8 = Buffer.from(await rootKey.unwrap(Buffer.from(stored.wrappedPrivateKey, 'base64'), privateKeyAad(publicKeyDer)))
  try {
    return { publicKeyDer, transportKeyId: transportKeyId(publicKeyDer), privateKey: createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }) }
  } finally {
    pkcs8.fill(0)
  }
}

async function load(store: Pick<Store, 'getSetting' | 'getOrInitSetting'>, rootKey: RootKey): Promise<TransportKeyPair> {
  const name = transportKeySettingName(rootKey.id)
  // Read first: generating an RSA-3072 pair costs most of a second, and only the very first load needs one.
  const text = (await store.getSetting(name)) ?? (await store.getOrInitSetting(name, await newCandidate(rootKey)))
  return openStored(text, rootKey)
}

/** Loads per store handle and root key, shared by concurrent callers; a failed load is not remembered. */
const loaded = new WeakMap<object, Map<string, Promise<TransportKeyPair>>>()

/** The deployment's transport key pair, created on first use. Throws what the store or root key throws. */
export function transportKeyPair(store: Pick<Store, 'getSetting' | 'getOrInitSetting'>, rootKey: RootKey): Promise<TransportKeyPair> {
  let byRootKey = loaded.get(store)
  if (!byRootKey) {
    byRootKey = new Map()
    loaded.set(store, byRootKey)
  }
  const hit = byRootKey.get(rootKey.id)
  if (hit) return hit
  const pending = load(store, rootKey)
  byRootKey.set(rootKey.id, pending)
  pending.catch(() => byRootKey.delete(rootKey.id))
  return pending
}
