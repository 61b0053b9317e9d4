// The PostgreSQL driver's last-use rows (GetKeyLastUsage): one per key, replaced only by a later use, written
// only while the key exists. The keys are held FOR KEY SHARE first, so a concurrent destroy waits for the flush
// (and then cascades its row away) instead of failing the flush on the foreign key.
import type pg from 'pg'
import { rowToLastUse, type LastUseRow } from '../sqlite/sqlite-key-usage.js'
import type { KeyUsageStore } from '../key-usage-store.js'
import { inTransaction } from './pool.js'


export function keyUsageMethods(pool: pg.Pool): KeyUsageStore {
  return {
    async recordKeyLastUses(uses) {
      if (uses.length === 0) return
      // Key order: flushes from several nodes take their row locks in one order.
      const ordered = [...uses].sort((a, b) => (a.keyId < b.keyId ? -1 : a.keyId > b.keyId ? 1 : 0))
      await inTransaction(pool, async (query) => {
        const ids = [...new Set(ordered.map((u) => u.keyId))]
        const { rows } = await query('SELECT key_id FROM keys WHERE key_id = ANY($1::text[]) ORDER BY key_id FOR KEY SHARE', [ids])
        const existing = new Set((rows as Array<{ key_id: string }>).map((r) => r.key_id))
        for (const u of ordered) {
          if (!existing.has(u.keyId)) continue
          await query(
            `INSERT INTO key_last_usage (key_id, operation, used_at, event_id, request_id) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (key_id) DO UPDATE SET operation = excluded.operation, used_at = excluded.used_at,
               event_id = excluded.event_id, request_id = excluded.request_id
             WHERE excluded.used_at > key_last_usage.used_at`,
            [u.keyId, u.operation, u.usedAt.getTime(), u.eventId, u.requestId])
        }
      })
    },
    async getKeyLastUse(keyId) {
      const row = (await pool.query('SELECT * FROM key_last_usage WHERE key_id = $1', [keyId])).rows[0] as LastUseRow | undefined
      return row && rowToLastUse(row)
    },
  }
}
