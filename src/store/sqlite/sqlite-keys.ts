// The SQLite driver's key and key-version methods. Each multi-row change runs in one IMMEDIATE
// transaction, so a crash never leaves a half-made or half-destroyed key.
import type Database from 'better-sqlite3'
import { StoreConflictError, StoreLimitError, type Store } from '../store.js'
import type { KeyRecord, KeyVersion, Tag } from '../../keys/key.js'
import { fetchSize, toPage } from '../page.js'
import { conflictAware } from './database.js'
import { keyToRow, rowToKey, rowToVersion, versionToRow } from './rows.js'
import type { Statements } from './statements.js'
import { truncateWal } from './wal-restart.js'

type KeyMethods = Pick<Store,
  | 'insertKey' | 'getKey' | 'listKeys' | 'updateKey' | 'listKeysDueForDeletion' | 'destroyKey'
  | 'getKeyVersion' | 'addKeyVersion' | 'listLegacyWrappedVersions' | 'rewrapKeyVersion'
  | 'listAllKeyVersions' | 'saveImportedVersion' | 'deleteImportedVersion' | 'listExpiredImportedVersions'
  | 'getPendingRotationVersion' | 'promotePendingVersion'>

/** Destroys one key's rows inside the caller's transaction: material overwritten first, then every row of it gone. */
export function destroyKeyRows(st: Pick<Statements, 'zeroVersions' | 'deleteVersions' | 'deleteAliasesOfKey' | 'deleteTagsOfKey' | 'deleteKey'>, keyId: string): void {
  // Overwrite before delete: the zeroed bytes, not the material, are what reach any page left behind.
  st.zeroVersions.run(keyId)
  st.deleteVersions.run(keyId)
  st.deleteAliasesOfKey.run(keyId)
  st.deleteTagsOfKey.run(keyId)
  st.deleteKey.run(keyId)
}

export function keyMethods(db: Database.Database, st: Statements): KeyMethods {
  const insertKey = db.transaction((key: KeyRecord, version: KeyVersion | null, tags: Tag[], maxKeys: number | undefined) => {
    // Counted inside the write transaction, so concurrent creators cannot both take the last place.
    if (maxKeys !== undefined && st.countKeysOf.get(key.accountId, key.region)!.n >= maxKeys) {
      throw new StoreLimitError('the account already has the maximum number of keys in this region')
    }
    st.insertKey.run(keyToRow(key))
    if (version !== null) st.insertVersion.run(versionToRow(version))
    for (const t of tags) st.upsertTag.run(key.keyId, t.tagKey, t.tagValue)
  })

  const addKeyVersion = db.transaction((v: KeyVersion) => {
    st.insertVersion.run(versionToRow(v))
    st.setCurrentVersion.run(v.version, v.keyId)
  })

  const destroyKey = db.transaction((keyId: string, dueBy: Date | undefined): boolean => {
    const row = st.getKey.get(keyId)
    if (!row) return false
    if (dueBy !== undefined && !(row.key_state === 'PendingDeletion' && row.deletion_date !== null && row.deletion_date <= dueBy.getTime())) return false
    destroyKeyRows(st, keyId)
    return true
  })

  const saveImportedVersion = db.transaction((v: KeyVersion) => {
    if (st.upsertImportedVersion.run(versionToRow(v)).changes !== 1) throw new StoreConflictError('key version holds other material')
    st.keyTakesImport.run({ key_id: v.keyId, version: v.version })
  })

  const deleteImportedVersion = db.transaction((keyId: string, version: number, expiredBy: Date | undefined): boolean => {
    const zeroed = st.zeroImportedVersion.run({ key_id: keyId, version, expired_by: expiredBy?.getTime() ?? null })
    if (zeroed.changes !== 1) return false
    st.emptyImportedVersion.run(keyId, version)
    st.keyAwaitsImport.run(keyId)
    return true
  })

  const promotePendingVersion = db.transaction((keyId: string, version: number, rotatedAt: Date, maxOnDemand: number): boolean => {
    // Checked in the promoting transaction, as rotateKey does: a key disabled meanwhile does not rotate, and
    // concurrent promotions cannot both take the last of the key's on-demand rotations.
    if (st.getKey.get(keyId)?.key_state !== 'Enabled') return false
    if (st.countOnDemand.get(keyId)!.n >= maxOnDemand) throw new StoreLimitError('on-demand rotation limit reached')
    if (st.clearPendingRotation.run({ key_id: keyId, version, rotated_at: rotatedAt.getTime() }).changes !== 1) return false
    st.setCurrentVersion.run(version, keyId)
    return true
  })

  return {
    async listAllKeyVersions(keyId) {
      return st.listVersions.all(keyId).map(rowToVersion)
    },
    async saveImportedVersion(version) {
      saveImportedVersion.immediate(version)
    },
    async deleteImportedVersion(keyId, version, expiredBy) {
      const deleted = deleteImportedVersion.immediate(keyId, version, expiredBy)
      // As destroyKey: copy the overwritten pages back now, so the WAL keeps no image of the old bytes.
      if (deleted) await truncateWal(db)
      return deleted
    },
    async listExpiredImportedVersions(now, limit) {
      return st.listExpiredImported.all(now.getTime(), limit).map(rowToVersion)
    },
    async getPendingRotationVersion(keyId) {
      const row = st.getPendingRotation.get(keyId)
      return row && rowToVersion(row)
    },
    async promotePendingVersion(keyId, version, rotatedAt, maxOnDemand) {
      return promotePendingVersion.immediate(keyId, version, rotatedAt, maxOnDemand)
    },
    async insertKey(key, version, tags, maxKeys) {
      conflictAware('key', () => insertKey.immediate(key, version, tags, maxKeys))
    },
    async getKey(keyId) {
      const row = st.getKey.get(keyId)
      return row && rowToKey(row)
    },
    async listKeys(accountId, region, after, limit) {
      const rows = st.listKeys.all(accountId, region, after ?? '', fetchSize(limit))
      return toPage(rows.map(rowToKey), limit, (k) => k.keyId)
    },
    async updateKey(next, read) {
      const seen = keyToRow(read)
      return st.updateKey.run({
        ...keyToRow(next), read_key_state: seen.key_state, read_deletion_date: seen.deletion_date,
        read_pending_window_days: seen.pending_window_days, read_policy: seen.policy, read_policy_bindings: seen.policy_bindings,
        read_description: seen.description,
      }).changes === 1
    },
    async listKeysDueForDeletion(now) {
      return st.listDue.all(now.getTime()).map(rowToKey)
    },
    async destroyKey(keyId, dueBy) {
      if (!destroyKey.immediate(keyId, dueBy)) return false
      // The WAL still holds pre-destroy page images until checkpointed; copy back and truncate it now
      // rather than whenever the next automatic checkpoint happens to reuse those frames.
      await truncateWal(db)
      return true
    },
    async getKeyVersion(keyId, version) {
      const row = st.getVersion.get(keyId, version)
      return row && rowToVersion(row)
    },
    async addKeyVersion(v) {
      conflictAware('key version', () => addKeyVersion.immediate(v))
    },
    async listLegacyWrappedVersions(limit) {
      return st.listLegacyVersions.all(limit).map((r) => ({ keyId: r.key_id, version: r.version }))
    },
    async rewrapKeyVersion(previous, rewrapped) {
      const result = st.rewrapVersion.run({
        key_id: previous.keyId, version: previous.version, old_wrapped: previous.wrappedMaterial,
        wrapped_material: rewrapped.wrappedMaterial, material_id: rewrapped.materialId, material_id_format: rewrapped.materialIdFormat,
      })
      return result.changes === 1
    },
  }
}
