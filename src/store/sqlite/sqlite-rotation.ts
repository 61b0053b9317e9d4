// The SQLite driver's rotation methods. A rotation is one IMMEDIATE transaction: the checks (still Enabled,
// still at the version and schedule the caller saw, on-demand limit), the new version row, the key's current
// version and its next rotation date commit together or not at all, so a crash can neither half-rotate a key
// nor rotate it without moving its schedule (which would rotate it again on the next run).
import type Database from 'better-sqlite3'
import type { OnDemandStart, RotationStore, RotationWrite } from '../rotation-store.js'
import { StoreLimitError } from '../store.js'
import { fetchSize, toPage } from '../page.js'
import { conflictAware } from './database.js'
import { rowToKey, rowToVersion, versionToRow, type KeyRow, type KeyVersionRow } from './rows.js'
import type { Statements } from './statements.js'

function rotationStatements(db: Database.Database) {
  return {
    setRotation: db.prepare<[number | null, number | null, string]>(
      'UPDATE keys SET rotation_period_days = ?, next_rotation_at = ? WHERE key_id = ?',
    ),
    keyAsSeen: db.prepare<[string], { current_version: number; key_state: string; next_rotation_at: number | null; on_demand_rotation_started_at: number | null }>(
      'SELECT current_version, key_state, next_rotation_at, on_demand_rotation_started_at FROM keys WHERE key_id = ?',
    ),
    markOnDemand: db.prepare<[number | null, string]>('UPDATE keys SET on_demand_rotation_started_at = ? WHERE key_id = ?'),
    countOnDemand: db.prepare<[string], { n: number }>(
      "SELECT COUNT(*) AS n FROM key_versions WHERE key_id = ? AND rotation_type = 'ON_DEMAND'",
    ),
    makeCurrent: db.prepare<[number, string]>('UPDATE keys SET current_version = ? WHERE key_id = ?'),
    moveSchedule: db.prepare<[number, string]>('UPDATE keys SET next_rotation_at = ? WHERE key_id = ?'),
    // Two partial indexes, one per arm of the OR (SQLite's multi-index OR plan).
    listDue: db.prepare<[number, number], KeyRow>(
      `SELECT * FROM keys
       WHERE (on_demand_rotation_started_at IS NOT NULL OR (next_rotation_at IS NOT NULL AND next_rotation_at <= ?))
         AND key_state = 'Enabled'
       ORDER BY on_demand_rotation_started_at IS NULL, next_rotation_at, key_id LIMIT ?`,
    ),
    listVersions: db.prepare<[string, number, number], KeyVersionRow>(
      'SELECT * FROM key_versions WHERE key_id = ? AND version > ? ORDER BY version LIMIT ?',
    ),
  }
}

export function rotationMethods(db: Database.Database, st: Pick<Statements, 'insertVersion'>): RotationStore {
  const rs = rotationStatements(db)

  const rotate = db.transaction((w: RotationWrite): boolean => {
    const seen = rs.keyAsSeen.get(w.version.keyId)
    if (!seen || seen.key_state !== 'Enabled' || seen.current_version !== w.expectedCurrentVersion) return false
    if (w.schedule && seen.next_rotation_at !== w.schedule.expected.getTime()) return false
    if ((w.onDemandStartedAt?.getTime() ?? null) !== seen.on_demand_rotation_started_at) return false
    if (w.maxOnDemand !== undefined && rs.countOnDemand.get(w.version.keyId)!.n >= w.maxOnDemand) {
      throw new StoreLimitError('on-demand rotation limit reached')
    }
    st.insertVersion.run(versionToRow(w.version))
    rs.makeCurrent.run(w.version.version, w.version.keyId)
    if (w.schedule) rs.moveSchedule.run(w.schedule.next.getTime(), w.version.keyId)
    if (w.onDemandStartedAt) rs.markOnDemand.run(null, w.version.keyId)
    return true
  })

  const startOnDemand = db.transaction((keyId: string, startedAt: Date, maxOnDemand: number): OnDemandStart => {
    const seen = rs.keyAsSeen.get(keyId)
    if (!seen || seen.key_state !== 'Enabled') return 'not-enabled'
    if (seen.on_demand_rotation_started_at !== null) return 'already-in-progress'
    if (rs.countOnDemand.get(keyId)!.n >= maxOnDemand) throw new StoreLimitError('on-demand rotation limit reached')
    rs.markOnDemand.run(startedAt.getTime(), keyId)
    return 'started'
  })

  return {
    async setKeyRotation(keyId, schedule) {
      rs.setRotation.run(schedule?.periodDays ?? null, schedule?.nextRotationDate.getTime() ?? null, keyId)
    },
    async startOnDemandRotation(keyId, startedAt, maxOnDemand) {
      return startOnDemand.immediate(keyId, startedAt, maxOnDemand)
    },
    async rotateKey(write) {
      return conflictAware('key version', () => rotate.immediate(write))
    },
    async listKeysDueForRotation(now, limit) {
      return rs.listDue.all(now.getTime(), limit).map(rowToKey)
    },
    async listKeyVersions(keyId, after, limit) {
      const rows = rs.listVersions.all(keyId, after ?? 0, fetchSize(limit))
      return toPage(rows.map(rowToVersion), limit, (v) => String(v.version))
    },
  }
}
