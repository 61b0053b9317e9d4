// The SQLite driver's applyKeySetSync (store/peer-sync-store.ts): the set's rows and held versions read, the
// plan made (store/key-set-sync-plan.ts) and written in one IMMEDIATE transaction.
import type Database from 'better-sqlite3'
import { planKeySetSync } from '../key-set-sync-plan.js'
import { StoreLimitError } from '../store.js'
import type { KeySetSyncWrite, PeerSyncStore } from '../peer-sync-store.js'
import { conflictAware } from './database.js'
import { keyToRow, rowToKey, versionToRow, type KeyRow } from './rows.js'
import { destroyKeyRows } from './sqlite-keys.js'
import type { Statements } from './statements.js'
import { truncateWal } from './wal-restart.js'

export function peerSyncMethods(db: Database.Database, st: Statements): PeerSyncStore {
  const ps = {
    setRows: db.prepare<[string, string, string], KeyRow>('SELECT * FROM keys WHERE key_id = ? OR (key_id >= ? AND key_id < ?) ORDER BY key_id'),
    heldVersions: db.prepare<[string], { version: number; material_id: string }>('SELECT version, material_id FROM key_versions WHERE key_id = ?'),
    ensureAccount: db.prepare<[string, number]>('INSERT OR IGNORE INTO accounts (account_id, created_at) VALUES (?, ?)'),
    setShared: db.prepare<[number, string, string]>('UPDATE keys SET current_version = ?, primary_region = ? WHERE key_id = ?'),
    setSchedule: db.prepare<[number | null, number | null, string]>('UPDATE keys SET rotation_period_days = ?, next_rotation_at = ? WHERE key_id = ?'),
    finishUpdating: db.prepare<[string]>("UPDATE keys SET key_state = 'Enabled' WHERE key_id = ? AND key_state = 'Updating'"),
  }
  const apply = db.transaction((write: KeySetSyncWrite) => {
    const existing = ps.setRows.all(write.publicId, `${write.publicId}/`, `${write.publicId}0`).map(rowToKey)
    const held = new Map(existing.map((k) => [k.keyId, new Map(ps.heldVersions.all(k.keyId).map((v) => [v.version, v.material_id]))]))
    const plan = planKeySetSync(write, existing, held)
    const created = plan.result.created
    if (created && st.countKeysOf.get(created.accountId, created.region)!.n >= write.maxKeys) {
      throw new StoreLimitError('the account already has the maximum number of keys in this region')
    }
    ps.ensureAccount.run(write.accountId, write.now.getTime())
    for (const keyId of plan.deletes) destroyKeyRows(st, keyId)
    for (const { key, tags } of plan.inserts) {
      st.insertKey.run(keyToRow(key))
      for (const t of tags) st.upsertTag.run(key.keyId, t.tagKey, t.tagValue)
    }
    for (const v of plan.versions) st.insertVersion.run(versionToRow(v))
    for (const u of plan.updates) ps.setShared.run(u.currentVersion, u.primaryRegion, u.keyId)
    for (const s of plan.schedules) ps.setSchedule.run(s.rotation?.periodDays ?? null, s.rotation?.nextRotationDate.getTime() ?? null, s.keyId)
    for (const keyId of plan.finishUpdating) ps.finishUpdating.run(keyId)
    for (const keyId of plan.awaitImport) st.keyAwaitsImport.run(keyId)
    return plan
  })
  return {
    async applyKeySetSync(write) {
      const plan = conflictAware('key', () => apply.immediate(write))
      // As destroyKey: destroyed mirrors' pre-delete page images leave the WAL now.
      if (plan.deletes.length > 0) await truncateWal(db)
      return plan.result
    },
  }
}
