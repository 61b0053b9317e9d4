// The PostgreSQL driver's multi-Region methods, with the SQLite driver's semantics (sqlite-multi-region.ts).
// The rows of one set are the public id itself plus the storage ids `<public id>/…`, which sort between
// `<public id>/` and `<public id>0` (key_id is COLLATE "C": byte order, as SQLite). Where SQLite relies on its
// single writer, each multi-row change here is one transaction that first locks the rows it checks (FOR UPDATE):
// a second node doing the same waits, then sees the first one's result.
import type pg from 'pg'
import type { KeyRecord, KeyState, KeyVersion, Tag } from '../../keys/key.js'
import { publicKeyId } from '../../keys/regional-key.js'
import type { MultiRegionStore } from '../multi-region-store.js'
import { StoreConflictError, StoreLimitError } from '../store.js'
import { keyToRow, rowToKey, versionToRow, type KeyRow, type KeyVersionRow } from '../sqlite/rows.js'
import { VERSION_COLUMNS } from './pg-keys.js'
import { conflictAware, inTransaction, insertRow, lockName, type Query } from './pool.js'

const DAY_MS = 86_400_000

const SET_ROWS = 'SELECT * FROM keys WHERE key_id = $1 OR (key_id >= $2 AND key_id < $3) ORDER BY key_id'

function setRange(publicId: string): [string, string, string] {
  return [publicId, `${publicId}/`, `${publicId}0`]
}

/** Every regional key of the set; with `lock`, their rows are held (in key_id order) until the transaction ends. */
export async function setOf(query: Query, publicId: string, lock = false): Promise<KeyRecord[]> {
  const { rows } = await query(lock ? `${SET_ROWS} FOR UPDATE` : SET_ROWS, setRange(publicId))
  return (rows as KeyRow[]).map(rowToKey)
}

/** A new key's row: every column keyToRow fills, primary_region included. */
export function insertKeyRow(key: KeyRecord): [string, unknown[]] {
  const row = keyToRow(key)
  return insertRow<KeyRow>('keys', Object.keys(row) as (keyof KeyRow)[], row)
}

/** The replica's own tags in one statement; a tag key given twice keeps its last value, as SQLite's upserts do. */
export async function insertTags(query: Query, keyId: string, tags: Tag[]): Promise<void> {
  if (tags.length === 0) return
  const last = new Map(tags.map((t) => [t.tagKey, t.tagValue]))
  await query('INSERT INTO tags (key_id, tag_key, tag_value) SELECT $1, k, v FROM unnest($2::text[], $3::text[]) AS t (k, v)',
    [keyId, [...last.keys()], [...last.values()]])
}

async function insertReplica(query: Query, replica: KeyRecord, versions: KeyVersion[], tags: Tag[],
  primaryKeyId: string, primaryVersion: number, maxKeys: number): Promise<boolean> {
  // The primary's row lock first: a rotation (which locks it too) cannot slip in between this check and the
  // copies, and two ReplicateKey calls for the same set run one after the other.
  const { rows } = await query('SELECT current_version FROM keys WHERE key_id = $1 FOR UPDATE', [primaryKeyId])
  const primary = rows[0] as { current_version: number } | undefined
  if (!primary || primary.current_version !== primaryVersion) return false
  // The set by its public id: after UpdatePrimaryRegion the primary may be a row under `<public id>/<region>`.
  if ((await setOf(query, publicKeyId(primaryKeyId))).some((k) => k.region === replica.region)) {
    throw new StoreConflictError('the key already has a regional key in this region')
  }
  // Counted under the account+region's lock row, as insertKey counts, so no creator on any node takes the last place too.
  await lockName(query, `keys/${replica.accountId}/${replica.region}`)
  const count = await query('SELECT COUNT(*) AS n FROM keys WHERE account_id = $1 AND region = $2', [replica.accountId, replica.region])
  if ((count.rows[0] as { n: number }).n >= maxKeys) throw new StoreLimitError('the account already has the maximum number of keys in this region')
  await query(...insertKeyRow(replica))
  for (const v of versions) await query(...insertRow<KeyVersionRow>('key_versions', VERSION_COLUMNS, versionToRow(v)))
  await insertTags(query, replica.keyId, tags)
  return true
}

async function updatePrimary(query: Query, publicId: string, fromRegion: string, toRegion: string): Promise<boolean> {
  const set = await setOf(query, publicId, true)
  const from = set.find((k) => k.region === fromRegion)
  const to = set.find((k) => k.region === toRegion)
  if (!from || !to || set.some((k) => (k.primaryRegion ?? k.region) !== fromRegion)) return false
  await query('UPDATE keys SET primary_region = $1 WHERE key_id = ANY($2::text[])', [toRegion, set.map((k) => k.keyId)])
  // The schedule is a shared property kept on the primary's row: the rotation job rotates primaries only.
  const setSchedule = 'UPDATE keys SET rotation_period_days = $2, next_rotation_at = $3 WHERE key_id = $1'
  await query(setSchedule, [to.keyId, from.rotation?.periodDays ?? null, from.rotation?.nextRotationDate.getTime() ?? null])
  await query(setSchedule, [from.keyId, null, null])
  await query("UPDATE keys SET key_state = 'Updating' WHERE key_id = ANY($1::text[]) AND key_state = 'Enabled'", [[from.keyId, to.keyId]])
  return true
}

async function startDeletions(query: Query, now: Date, servedRegions: readonly string[] | undefined): Promise<KeyRecord[]> {
  const { rows } = await query("SELECT * FROM keys WHERE key_state = 'PendingReplicaDeletion' ORDER BY key_id FOR UPDATE")
  const started: KeyRecord[] = []
  for (const key of (rows as KeyRow[]).map(rowToKey)) {
    if (servedRegions?.includes(key.region) === false || (await setOf(query, publicKeyId(key.keyId))).length > 1) continue
    const deletionDate = new Date(now.getTime() + (key.pendingWindowDays ?? 30) * DAY_MS)
    await query("UPDATE keys SET key_state = 'PendingDeletion', deletion_date = $2 WHERE key_id = $1 AND key_state = 'PendingReplicaDeletion'",
      [key.keyId, deletionDate.getTime()])
    started.push({ ...key, keyState: 'PendingDeletion', deletionDate })
  }
  return started
}

export function multiRegionMethods(pool: pg.Pool): MultiRegionStore {
  const read = (text: string, values: unknown[] = []) => pool.query(text, values)
  return {
    async listRegionalKeys(publicId) {
      return setOf(read, publicId)
    },
    async insertReplicaKey(replica, versions, tags, primaryKeyId, primaryVersion, maxKeys) {
      return conflictAware('key', () => inTransaction(pool, (query) => insertReplica(query, replica, versions, tags, primaryKeyId, primaryVersion, maxKeys)))
    },
    async finishKeyTransition(keyId: string, from: KeyState, to: KeyState) {
      const result = await pool.query('UPDATE keys SET key_state = $1 WHERE key_id = $2 AND key_state = $3', [to, keyId, from])
      return result.rowCount === 1
    },
    async listKeysInTransition() {
      const { rows } = await pool.query("SELECT * FROM keys WHERE key_state IN ('Creating', 'Updating') ORDER BY key_id")
      return (rows as KeyRow[]).map(rowToKey)
    },
    async updatePrimaryRegion(publicId, fromRegion, toRegion) {
      return inTransaction(pool, (query) => updatePrimary(query, publicId, fromRegion, toRegion))
    },
    async startReplicaFreeDeletions(now, servedRegions) {
      return inTransaction(pool, (query) => startDeletions(query, now, servedRegions))
    },
  }
}
