// The PostgreSQL driver's applyKeySetSync, with the SQLite driver's semantics (sqlite-peer-sync.ts): one
// transaction that first takes the set's name lock (so two nodes applying messages for the same set, even one
// with no rows yet, run one after the other) and locks the set's rows, then writes the shared plan.
import type pg from 'pg'
import { planKeySetSync } from '../key-set-sync-plan.js'
import { StoreLimitError } from '../store.js'
import type { PeerSyncStore } from '../peer-sync-store.js'
import { versionToRow, type KeyVersionRow } from '../sqlite/rows.js'
import { keyAwaitsImport } from './pg-imported.js'
import { destroyKeyRows, VERSION_COLUMNS } from './pg-keys.js'
import { insertKeyRow, insertTags, setOf } from './pg-multi-region.js'
import { conflictAware, inTransaction, insertRow, lockName } from './pool.js'

export function peerSyncMethods(pool: pg.Pool): PeerSyncStore {
  return {
    async applyKeySetSync(write) {
      return conflictAware('key', () => inTransaction(pool, async (query) => {
        await lockName(query, `key-set/${write.publicId}`)
        const existing = await setOf(query, write.publicId, true)
        const { rows } = await query('SELECT key_id, version, material_id FROM key_versions WHERE key_id = ANY($1::text[])', [existing.map((k) => k.keyId)])
        const held = new Map(existing.map((k) => [k.keyId, new Map<number, string>()]))
        for (const r of rows as { key_id: string; version: number; material_id: string }[]) held.get(r.key_id)?.set(Number(r.version), r.material_id)
        const plan = planKeySetSync(write, existing, held)
        const created = plan.result.created
        if (created) {
          // Under the account+region's lock row, as insertKey and insertReplicaKey count.
          await lockName(query, `keys/${created.accountId}/${created.region}`)
          const count = await query('SELECT COUNT(*) AS n FROM keys WHERE account_id = $1 AND region = $2', [created.accountId, created.region])
          if (Number((count.rows[0] as { n: number | string }).n) >= write.maxKeys) throw new StoreLimitError('the account already has the maximum number of keys in this region')
        }
        await query('INSERT INTO accounts (account_id, created_at) VALUES ($1, $2) ON CONFLICT (account_id) DO NOTHING', [write.accountId, write.now.getTime()])
        for (const keyId of plan.deletes) await destroyKeyRows(query, keyId)
        for (const { key, tags } of plan.inserts) {
          await query(...insertKeyRow(key))
          await insertTags(query, key.keyId, tags)
        }
        for (const v of plan.versions) await query(...insertRow<KeyVersionRow>('key_versions', VERSION_COLUMNS, versionToRow(v)))
        for (const u of plan.updates) await query('UPDATE keys SET current_version = $2, primary_region = $3 WHERE key_id = $1', [u.keyId, u.currentVersion, u.primaryRegion])
        for (const s of plan.schedules) {
          await query('UPDATE keys SET rotation_period_days = $2, next_rotation_at = $3 WHERE key_id = $1', [s.keyId, s.rotation?.periodDays ?? null, s.rotation?.nextRotationDate.getTime() ?? null])
        }
        for (const keyId of plan.finishUpdating) await query("UPDATE keys SET key_state = 'Enabled' WHERE key_id = $1 AND key_state = 'Updating'", [keyId])
        for (const keyId of plan.awaitImport) await keyAwaitsImport(query, keyId)
        return plan.result
      }))
    },
  }
}
