// The PostgreSQL driver's change feed (rows the triggers of migrations.ts append, numbered in commit order by
// the change_counter row) and leases (one upsert that succeeds only when the lease is free, ours or expired).
import type pg from 'pg'
import type { ChangeBatch, ChangeRow, ChangeStore } from '../change-store.js'
import type { Store } from '../store.js'
import { inTransaction } from './pool.js'

export function changeMethods(pool: pg.Pool): ChangeStore {
  return {
    async readChanges(after, limit) {
      // One snapshot: the horizon and the rows agree.
      return inTransaction(pool, async (query): Promise<ChangeBatch> => {
        const changes = (await query('SELECT seq, kind, entity, op FROM changes WHERE seq > $1 ORDER BY seq LIMIT $2', [after, limit])).rows as ChangeRow[]
        const horizon = (await query('SELECT pruned_through FROM change_horizon WHERE id = 1')).rows[0] as { pruned_through: number }
        return { changes, prunedThrough: horizon.pruned_through }
      }, { isolation: 'REPEATABLE READ', readOnly: true })
    },
    async latestChangeSeq() {
      // The counter's committed value: the last seq any committed write recorded, pruned or not.
      return ((await pool.query('SELECT seq FROM change_counter WHERE id = 1')).rows[0] as { seq: number }).seq
    },
    async pruneChanges(before) {
      // Most calls find nothing to prune: check with a read before writing anything.
      if ((await pool.query('SELECT 1 FROM changes WHERE at < $1 LIMIT 1', [before.getTime()])).rows.length === 0) return 0
      return inTransaction(pool, async (query) => {
        // By seq, not by time, so the horizon stays exact even when the writers' clocks differ.
        const through = ((await query('SELECT MAX(seq) AS seq FROM changes WHERE at < $1', [before.getTime()])).rows[0] as { seq: number | null }).seq
        if (through === null) return 0
        await query('UPDATE change_horizon SET pruned_through = GREATEST(pruned_through, $1) WHERE id = 1', [through])
        return (await query('DELETE FROM changes WHERE seq <= $1', [through])).rowCount ?? 0
      })
    },
  }
}

export function leaseMethods(pool: pg.Pool): Pick<Store, 'takeLease' | 'releaseLease'> {
  return {
    async takeLease(name, holder, now, ttlMs) {
      const result = await pool.query(
        `INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, $3)
           ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
           WHERE leases.holder = excluded.holder OR leases.expires_at <= $4`,
        [name, holder, now.getTime() + ttlMs, now.getTime()])
      return result.rowCount === 1
    },
    async releaseLease(name, holder) {
      await pool.query('DELETE FROM leases WHERE name = $1 AND holder = $2', [name, holder])
    },
  }
}
