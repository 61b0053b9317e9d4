// The import-expiry job: at an imported material's ValidTo, destroys its bytes (the row and id stay, so the
// same material can be imported again), moves the key to PendingImport, and audits a
// DeleteExpiredKeyMaterial service event. Only this job expires material; reading a key never does.
import type { JobDeps } from './delete-expired-keys.js'
import { isMirror } from '../keys/regional-key.js'
import { keyServiceEvent } from './service-event.js'

const BATCH = 100

export interface ExpiredMaterial {
  keyId: string
  materialId: string
}

/**
 * Expires every imported material whose ValidTo is at or before the clock's now; returns what it expired.
 * The audit record is written before the bytes go (a crash between the two leaves material the next run
 * expires, and audits again, rather than a destruction with no record). `mayContinue` is asked before each
 * material, as in deleteExpiredKeys: a process that lost the jobs lease stops.
 */
export async function expireImportedMaterial(deps: JobDeps, mayContinue: () => Promise<boolean> = async () => true): Promise<ExpiredMaterial[]> {
  const now = deps.clock.now()
  const expired: ExpiredMaterial[] = []
  const seen = new Set<string>()
  for (;;) {
    const due = (await deps.store.listExpiredImportedVersions(now, BATCH)).filter((v) => !seen.has(`${v.keyId}/${v.version}`))
    if (due.length === 0) return expired
    for (const version of due) {
      seen.add(`${version.keyId}/${version.version}`)
      if (!(await mayContinue())) return expired
      const key = await deps.store.getKey(version.keyId)
      // Re-read just before acting: a re-import since the listing may have moved ValidTo.
      const current = await deps.store.getKeyVersion(version.keyId, version.version)
      const stillDue = current?.imported?.importState === 'IMPORTED' && current.imported.validTo !== undefined && current.imported.validTo <= now
      // A mirror's material is never used and its expiry is its peer's business.
      if (!key || !stillDue || isMirror(key, deps.regions)) continue
      await deps.auditLog.write(keyServiceEvent(key, 'DeleteExpiredKeyMaterial', now))
      if (await deps.store.deleteImportedVersion(key.keyId, version.version, now)) expired.push({ keyId: key.keyId, materialId: version.materialId })
      await deps.keyring.forget(key.keyId) // here and in every crypto worker
    }
  }
}
