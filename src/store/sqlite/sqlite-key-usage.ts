// Last-use rows for GetKeyLastUsage: one per key, replaced only by a later use, inserted only while the key
// exists (a flush may arrive after the deletion job destroyed it; the row then goes nowhere).
import type Database from 'better-sqlite3'
import type { KeyLastUse, TrackedOperation } from '../../keys/last-use.js'
import type { KeyUsageStore } from '../key-usage-store.js'

/** A key_last_usage row as both drivers store it. */
export interface LastUseRow {
  key_id: string
  operation: string
  used_at: number
  event_id: string
  request_id: string
}

/** The row as a KeyLastUse. */
export function rowToLastUse(row: LastUseRow): KeyLastUse {
  return { keyId: row.key_id, operation: row.operation as TrackedOperation, usedAt: new Date(Number(row.used_at)), eventId: row.event_id, requestId: row.request_id }
}

export function keyUsageMethods(db: Database.Database): KeyUsageStore {
  const upsert = db.prepare<[LastUseRow]>(
    `INSERT INTO key_last_usage (key_id, operation, used_at, event_id, request_id)
       SELECT @key_id, @operation, @used_at, @event_id, @request_id WHERE EXISTS (SELECT 1 FROM keys WHERE key_id = @key_id)
       ON CONFLICT (key_id) DO UPDATE SET operation = excluded.operation, used_at = excluded.used_at,
         event_id = excluded.event_id, request_id = excluded.request_id
       WHERE excluded.used_at > key_last_usage.used_at`,
  )
  const get = db.prepare<[string], LastUseRow>('SELECT * FROM key_last_usage WHERE key_id = ?')
  const recordAll = db.transaction((uses: readonly KeyLastUse[]) => {
    for (const u of uses) {
      upsert.run({ key_id: u.keyId, operation: u.operation, used_at: u.usedAt.getTime(), event_id: u.eventId, request_id: u.requestId })
    }
  })
  return {
    async recordKeyLastUses(uses) {
      if (uses.length > 0) recordAll.immediate(uses)
    },
    async getKeyLastUse(keyId) {
      const row = get.get(keyId)
      return row && rowToLastUse(row)
    },
  }
}
