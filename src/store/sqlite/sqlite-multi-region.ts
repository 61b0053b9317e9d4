// The SQLite driver's multi-Region methods. The rows of one set are the public id itself plus the range of
// storage ids `<public id>/…` (every such id sorts between `<public id>/` and `<public id>0`, '0' following
// '/'), read through the primary-key index. Each multi-row change is one IMMEDIATE transaction.
import type Database from 'better-sqlite3'
import type { KeyRecord, KeyState, KeyVersion, Tag } from '../../keys/key.js'
import type { MultiRegionStore } from '../multi-region-store.js'
import { StoreConflictError, StoreLimitError } from '../store.js'
import { publicKeyId } from '../../keys/regional-key.js'
import { conflictAware } from './database.js'
import { keyToRow, rowToKey, versionToRow, type KeyRow } from './rows.js'
import type { Statements } from './statements.js'

const DAY_MS = 86_400_000

function setRange(publicId: string): [string, string, string] {
  return [publicId, `${publicId}/`, `${publicId}0`]
}

function multiRegionStatements(db: Database.Database) {
  return {
    regionalKeys: db.prepare<[string, string, string], KeyRow>(
      'SELECT * FROM keys WHERE key_id = ? OR (key_id >= ? AND key_id < ?) ORDER BY key_id',
    ),
    transition: db.prepare<[string, string, string]>('UPDATE keys SET key_state = ? WHERE key_id = ? AND key_state = ?'),
    inTransition: db.prepare<[], KeyRow>("SELECT * FROM keys WHERE key_state IN ('Creating', 'Updating') ORDER BY key_id"),
    setPrimary: db.prepare<[string, string]>('UPDATE keys SET primary_region = ? WHERE key_id = ?'),
    setSchedule: db.prepare<[number | null, number | null, string]>('UPDATE keys SET rotation_period_days = ?, next_rotation_at = ? WHERE key_id = ?'),
    startUpdating: db.prepare<[string]>("UPDATE keys SET key_state = 'Updating' WHERE key_id = ? AND key_state = 'Enabled'"),
    pendingReplicaDeletion: db.prepare<[], KeyRow>("SELECT * FROM keys WHERE key_state = 'PendingReplicaDeletion' ORDER BY key_id"),
    startDeletion: db.prepare<[number, string]>(
      "UPDATE keys SET key_state = 'PendingDeletion', deletion_date = ? WHERE key_id = ? AND key_state = 'PendingReplicaDeletion'",
    ),
  }
}

export function multiRegionMethods(db: Database.Database, st: Pick<Statements, 'insertKey' | 'insertVersion' | 'upsertTag' | 'countKeysOf' | 'getKey'>): MultiRegionStore {
  const ms = multiRegionStatements(db)
  const setOf = (publicId: string) => ms.regionalKeys.all(...setRange(publicId)).map(rowToKey)

  const insertReplica = db.transaction((replica: KeyRecord, versions: KeyVersion[], tags: Tag[], primaryKeyId: string, primaryVersion: number, maxKeys: number): boolean => {
    const primary = st.getKey.get(primaryKeyId)
    if (!primary || primary.current_version !== primaryVersion) return false
    // The set by its public id: after UpdatePrimaryRegion the primary may be a row under `<public id>/<region>`.
    const set = setOf(publicKeyId(primaryKeyId))
    if (set.some((k) => k.region === replica.region)) throw new StoreConflictError('the key already has a regional key in this region')
    if (st.countKeysOf.get(replica.accountId, replica.region)!.n >= maxKeys) {
      throw new StoreLimitError('the account already has the maximum number of keys in this region')
    }
    st.insertKey.run(keyToRow(replica))
    for (const v of versions) st.insertVersion.run(versionToRow(v))
    for (const t of tags) st.upsertTag.run(replica.keyId, t.tagKey, t.tagValue)
    return true
  })

  const updatePrimary = db.transaction((publicId: string, fromRegion: string, toRegion: string): boolean => {
    const set = setOf(publicId)
    const from = set.find((k) => k.region === fromRegion)
    const to = set.find((k) => k.region === toRegion)
    if (!from || !to || set.some((k) => (k.primaryRegion ?? k.region) !== fromRegion)) return false
    for (const k of set) ms.setPrimary.run(toRegion, k.keyId)
    // The schedule is a shared property kept on the primary's row: the rotation job rotates primaries only.
    ms.setSchedule.run(from.rotation?.periodDays ?? null, from.rotation?.nextRotationDate.getTime() ?? null, to.keyId)
    ms.setSchedule.run(null, null, from.keyId)
    ms.startUpdating.run(from.keyId)
    ms.startUpdating.run(to.keyId)
    return true
  })

  const startDeletions = db.transaction((now: Date, servedRegions: readonly string[] | undefined): KeyRecord[] => {
    const started: KeyRecord[] = []
    for (const key of ms.pendingReplicaDeletion.all().map(rowToKey)) {
      if (servedRegions?.includes(key.region) === false || setOf(publicKeyId(key.keyId)).length > 1) continue
      const deletionDate = new Date(now.getTime() + (key.pendingWindowDays ?? 30) * DAY_MS)
      ms.startDeletion.run(deletionDate.getTime(), key.keyId)
      started.push({ ...key, keyState: 'PendingDeletion', deletionDate })
    }
    return started
  })

  return {
    async listRegionalKeys(publicId) {
      return setOf(publicId)
    },
    async insertReplicaKey(replica, versions, tags, primaryKeyId, primaryVersion, maxKeys) {
      return conflictAware('key', () => insertReplica.immediate(replica, versions, tags, primaryKeyId, primaryVersion, maxKeys))
    },
    async finishKeyTransition(keyId: string, from: KeyState, to: KeyState) {
      return ms.transition.run(to, keyId, from).changes === 1
    },
    async listKeysInTransition() {
      return ms.inTransition.all().map(rowToKey)
    },
    async updatePrimaryRegion(publicId, fromRegion, toRegion) {
      return updatePrimary.immediate(publicId, fromRegion, toRegion)
    },
    async startReplicaFreeDeletions(now, servedRegions) {
      return startDeletions.immediate(now, servedRegions)
    },
  }
}
