// Leases in the store: a row per named piece of once-only work. Taking one is a single upsert that only
// succeeds when the row is absent, already ours, or expired, so two processes can never both hold it.
import type Database from 'better-sqlite3'
import type { Store } from '../store.js'

export function leaseMethods(db: Database.Database): Pick<Store, 'takeLease' | 'releaseLease'> {
  const take = db.prepare<[string, string, number, number]>(
    `INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
       WHERE leases.holder = excluded.holder OR leases.expires_at <= ?`,
  )
  const release = db.prepare<[string, string]>('DELETE FROM leases WHERE name = ? AND holder = ?')
  return {
    async takeLease(name, holder, now, ttlMs) {
      return take.run(name, holder, now.getTime() + ttlMs, now.getTime()).changes === 1
    },
    async releaseLease(name, holder) {
      release.run(name, holder)
    },
  }
}
