// The PostgreSQL driver's rotation methods, with the SQLite driver's semantics. A rotation is one transaction
// that first locks the key's row (FOR UPDATE): the checks (still Enabled, still at the version and schedule the
// caller saw, the on-demand limit), the new version row, the current version and the next rotation date then
// commit together or not at all, and a second node rotating the same key waits and then finds it moved on.
// A multi-Region primary's new version is copied to its replicas in that same transaction.
import type pg from 'pg'
import type { OnDemandStart, RotationStore, RotationWrite } from '../rotation-store.js'
import { StoreLimitError } from '../store.js'
import { publicKeyId } from '../../keys/regional-key.js'
import { fetchSize, toPage } from '../page.js'
import { rowToKey, rowToVersion, versionToRow, type KeyRow, type KeyVersionRow } from '../sqlite/rows.js'
import { conflictAware, inTransaction, insertRow, type Query } from './pool.js'
import { VERSION_COLUMNS } from './pg-keys.js'

interface KeyAsSeen {
  current_version: number
  key_state: string
  next_rotation_at: number | null
  on_demand_rotation_started_at: number | null
}

/** The key's rotation-relevant fields, its row locked until the transaction ends; undefined for no key. */
async function lockKeyAsSeen(query: Query, keyId: string): Promise<KeyAsSeen | undefined> {
  const { rows } = await query(
    'SELECT current_version, key_state, next_rotation_at, on_demand_rotation_started_at FROM keys WHERE key_id = $1 FOR UPDATE', [keyId])
  return rows[0] as KeyAsSeen | undefined
}

/** The key's on-demand rotations so far (what the 25-per-key limit counts). */
export async function onDemandCount(query: Query, keyId: string): Promise<number> {
  const { rows } = await query("SELECT COUNT(*) AS n FROM key_versions WHERE key_id = $1 AND rotation_type = 'ON_DEMAND'", [keyId])
  return (rows[0] as { n: number }).n
}

/**
 * A multi-Region primary's rotation reaches every other regional key of its set in the same transaction, as in
 * the SQLite driver: the same wrapped material (bound to the public id, so it unwraps for any regional key)
 * becomes current on each. Their rows are locked in key_id order; a deadlock with a transaction locking the set
 * in another order is retried by inTransaction. The range is the set's (pg-multi-region.ts).
 */
async function copyToReplicas(query: Query, w: RotationWrite): Promise<void> {
  const publicId = publicKeyId(w.version.keyId)
  const { rows } = await query(
    `SELECT key_id FROM keys WHERE (key_id = $1 OR (key_id >= $2 AND key_id < $3)) AND key_id <> $4 AND multi_region = 1
     ORDER BY key_id FOR UPDATE`,
    [publicId, `${publicId}/`, `${publicId}0`, w.version.keyId])
  for (const { key_id } of rows as { key_id: string }[]) {
    await query(...insertRow<KeyVersionRow>('key_versions', VERSION_COLUMNS, versionToRow({ ...w.version, keyId: key_id })))
    await query('UPDATE keys SET current_version = $2 WHERE key_id = $1', [key_id, w.version.version])
  }
}

async function rotate(query: Query, w: RotationWrite): Promise<boolean> {
  const keyId = w.version.keyId
  const seen = await lockKeyAsSeen(query, keyId)
  if (!seen || seen.key_state !== 'Enabled' || seen.current_version !== w.expectedCurrentVersion) return false
  if (w.schedule && seen.next_rotation_at !== w.schedule.expected.getTime()) return false
  if ((w.onDemandStartedAt?.getTime() ?? null) !== seen.on_demand_rotation_started_at) return false
  if (w.maxOnDemand !== undefined && (await onDemandCount(query, keyId)) >= w.maxOnDemand) throw new StoreLimitError('on-demand rotation limit reached')
  await query(...insertRow<KeyVersionRow>('key_versions', VERSION_COLUMNS, versionToRow(w.version)))
  await copyToReplicas(query, w)
  await query(
    `UPDATE keys SET current_version = $2,
       next_rotation_at = CASE WHEN $3::bigint IS NULL THEN next_rotation_at ELSE $3::bigint END,
       on_demand_rotation_started_at = CASE WHEN $4 THEN NULL ELSE on_demand_rotation_started_at END
     WHERE key_id = $1`,
    [keyId, w.version.version, w.schedule?.next.getTime() ?? null, w.onDemandStartedAt !== undefined],
  )
  return true
}

async function startOnDemand(query: Query, keyId: string, startedAt: Date, maxOnDemand: number): Promise<OnDemandStart> {
  const seen = await lockKeyAsSeen(query, keyId)
  if (!seen || seen.key_state !== 'Enabled') return 'not-enabled'
  if (seen.on_demand_rotation_started_at !== null) return 'already-in-progress'
  if ((await onDemandCount(query, keyId)) >= maxOnDemand) throw new StoreLimitError('on-demand rotation limit reached')
  await query('UPDATE keys SET on_demand_rotation_started_at = $2 WHERE key_id = $1', [keyId, startedAt.getTime()])
  return 'started'
}

export function rotationMethods(pool: pg.Pool): RotationStore {
  return {
    async setKeyRotation(keyId, schedule) {
      await pool.query('UPDATE keys SET rotation_period_days = $2, next_rotation_at = $3 WHERE key_id = $1',
        [keyId, schedule?.periodDays ?? null, schedule?.nextRotationDate.getTime() ?? null])
    },
    async startOnDemandRotation(keyId, startedAt, maxOnDemand) {
      return inTransaction(pool, (query) => startOnDemand(query, keyId, startedAt, maxOnDemand))
    },
    async rotateKey(write) {
      return conflictAware('key version', () => inTransaction(pool, (query) => rotate(query, write)))
    },
    async listKeysDueForRotation(now, limit) {
      // NULLS FIRST: the order SQLite gives the same query, so both drivers hand the job keys alike.
      const { rows } = await pool.query(
        `SELECT * FROM keys
         WHERE (on_demand_rotation_started_at IS NOT NULL OR (next_rotation_at IS NOT NULL AND next_rotation_at <= $1))
           AND key_state = 'Enabled'
         ORDER BY on_demand_rotation_started_at IS NULL, next_rotation_at NULLS FIRST, key_id LIMIT $2`,
        [now.getTime(), limit])
      return (rows as KeyRow[]).map(rowToKey)
    },
    async listKeyVersions(keyId, after, limit) {
      const { rows } = await pool.query('SELECT * FROM key_versions WHERE key_id = $1 AND version > $2 ORDER BY version LIMIT $3',
        [keyId, after ?? 0, fetchSize(limit)])
      return toPage((rows as KeyVersionRow[]).map(rowToVersion), limit, (v) => String(v.version))
    },
  }
}
