// What the three import operations share: only EXTERNAL keys take imported material, and what a key's
// imported materials say about the key as a whole (DescribeKey's ExpirationModel and ValidTo).
import { keyArn, type ExpirationModelType, type KeyRecord, type KeyVersion } from '../keys/key.js'
import type { Store } from '../store/store.js'
import { keyErrors } from '../wire/messages.js'

/** Throws UnsupportedOperationException `<arn> origin is <origin> which is not valid for this operation.` unless EXTERNAL. */
export function requireExternalOrigin(key: KeyRecord): void {
  if (key.origin !== 'EXTERNAL') throw keyErrors.originNotValid(keyArn(key), key.origin)
}

export interface ImportSummary {
  expirationModel?: ExpirationModelType
  /** The earliest ValidTo of the key's imported materials that expire. */
  validTo?: Date
}

/**
 * The key-level view of its imported materials: KEY_MATERIAL_EXPIRES with the earliest ValidTo when any
 * material still imported expires; otherwise the current material's own model (material pending import no
 * longer expires, but keeps the model it was imported with); nothing before the first import.
 */
export function summarizeImports(key: Pick<KeyRecord, 'currentVersion'>, versions: readonly KeyVersion[]): ImportSummary {
  const expiries = versions.flatMap((v) => (v.imported?.importState === 'IMPORTED' && v.imported.validTo ? [v.imported.validTo.getTime()] : []))
  if (expiries.length > 0) return { expirationModel: 'KEY_MATERIAL_EXPIRES', validTo: new Date(Math.min(...expiries)) }
  const current = versions.find((v) => v.version === key.currentVersion)?.imported
  return current ? { expirationModel: current.expirationModel } : {}
}

/**
 * True when the key cannot be used until material is imported: an EXTERNAL key with no material yet, or with any
 * material deleted or expired. A state change that would make such a key usable must leave it PendingImport.
 */
export async function awaitsImport(store: Store, key: KeyRecord): Promise<boolean> {
  if (key.origin !== 'EXTERNAL') return false
  if (key.currentVersion === 0) return true
  return (await store.listAllKeyVersions(key.keyId)).some((v) => v.imported?.importState === 'PENDING_IMPORT')
}
