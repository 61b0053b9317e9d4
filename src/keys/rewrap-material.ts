// Start-up step: moves every key version still wrapped in the legacy format (bound to key id and version
// only) to format 2 (bound to key id, version, key spec and key usage). Needs the root key, so it cannot be
// a SQL migration. Each row changes in one compare-and-set UPDATE: a kill -9 at any point leaves every row
// whole in one format or the other, a rerun carries on where it stopped, and concurrent processes agree.
import { KeyWrapError } from '../crypto/key-wrap.js'
import type { Logger } from '../logging/logger.js'
import type { RootKey } from '../rootkey/root-key.js'
import type { Store } from '../store/store.js'
import type { KeyVersion } from './key.js'
import { MaterialIntegrityError, requireOwnMaterialId } from './keyring.js'
import { boundMaterialAad, deriveMaterialId, legacyMaterialAad } from './material-binding.js'
import { publicKeyId } from './regional-key.js'

export interface RewrapReport {
  rewrapped: number
  /** Rows left in format 1 because they do not unwrap or their id is not their material's (see the log). */
  refused: number
}

type Outcome = 'rewrapped' | 'gone' | 'refused'

const batchSize = 500

/** Rewraps all legacy rows. Throws only on store or root-key faults other than a row that will not unwrap. */
export async function rewrapLegacyMaterial(store: Store, rootKey: RootKey, logger: Logger): Promise<RewrapReport> {
  const report: RewrapReport = { rewrapped: 0, refused: 0 }
  const refused = new Set<string>()
  for (;;) {
    const batch = (await store.listLegacyWrappedVersions(refused.size + batchSize)).filter((r) => !refused.has(`${r.keyId}/${r.version}`))
    if (batch.length === 0) break
    for (const ref of batch) {
      const outcome = await rewrapOne(store, rootKey, ref, logger)
      if (outcome === 'refused') refused.add(`${ref.keyId}/${ref.version}`)
      if (outcome !== 'gone') report[outcome]++
    }
  }
  if (report.rewrapped > 0 || report.refused > 0) logger.info({ ...report }, 'rewrapped legacy key material to the bound format')
  return report
}

/** Rewraps one row if it is still legacy. Exported for the crash-safety tests. */
export async function rewrapOne(store: Store, rootKey: RootKey, ref: { keyId: string; version: number }, logger: Logger): Promise<Outcome> {
  const key = await store.getKey(ref.keyId)
  const stored = await store.getKeyVersion(ref.keyId, ref.version)
  if (!key || !stored || stored.wrapFormat !== 1) return 'gone'
  let material: Uint8Array
  try {
    material = await rootKey.unwrap(stored.wrappedMaterial, legacyMaterialAad(ref.keyId, ref.version))
    requireOwnMaterialId(stored, material)
  } catch (e) {
    if (!(e instanceof KeyWrapError || e instanceof MaterialIntegrityError)) throw e
    // Left as it is: requests that need it keep failing as a server fault, and every start reports it again.
    logger.error({ keyId: ref.keyId, version: ref.version, reason: e.name }, 'legacy key material cannot be rewrapped')
    return 'refused'
  }
  const binding = { keyId: publicKeyId(key.keyId), version: ref.version, keySpec: key.keySpec, keyUsage: key.keyUsage }
  const wrappedMaterial = await rootKey.wrap(material, boundMaterialAad(binding))
  const id = rewrappedId(key.keySpec, stored, material)
  material.fill(0)
  // False means another process rewrapped (or someone destroyed) the row since we read it: nothing to do.
  return await store.rewrapKeyVersion(stored, { wrappedMaterial, ...id }) ? 'rewrapped' : 'gone'
}

/**
 * SYMMETRIC_DEFAULT keys keep their id: AWS clients see it (DescribeKey's CurrentKeyMaterialId, the
 * KeyMaterialId of Encrypt, Decrypt and GenerateDataKey) and may have recorded it, and for them no MAC
 * under the material is ever served. Every other key's id was never shown, and for an HMAC key the legacy
 * id is a valid GenerateMac answer, so it gets the format-2 id.
 */
function rewrappedId(keySpec: string, stored: KeyVersion, material: Uint8Array): Pick<KeyVersion, 'materialId' | 'materialIdFormat'> {
  if (keySpec === 'SYMMETRIC_DEFAULT') return { materialId: stored.materialId, materialIdFormat: stored.materialIdFormat }
  return { materialId: deriveMaterialId(2, publicKeyId(stored.keyId), material), materialIdFormat: 2 }
}
