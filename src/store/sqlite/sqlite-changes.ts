// The SQLite driver's change feed: rows the triggers of migration changeFeedSchema() append.
import type Database from 'better-sqlite3'
import type { ChangeBatch, ChangeRow, ChangeStore } from '../change-store.js'

export function changeMethods(db: Database.Database): ChangeStore {
  const after = db.prepare<[number, number], ChangeRow>('SELECT seq, kind, entity, op FROM changes WHERE seq > ? ORDER BY seq LIMIT ?')
  const horizon = db.prepare<[], { pruned_through: number }>('SELECT pruned_through FROM change_horizon WHERE id = 1')
  const latest = db.prepare<[], { seq: number | null }>(
    'SELECT MAX(s) AS seq FROM (SELECT MAX(seq) AS s FROM changes UNION ALL SELECT pruned_through FROM change_horizon)',
  )
  const oldest = db.prepare<[number], { seq: number }>('SELECT seq FROM changes WHERE at < ? LIMIT 1')
  const lastBefore = db.prepare<[number], { seq: number | null }>('SELECT MAX(seq) AS seq FROM changes WHERE at < ?')
  const prune = db.prepare<[number]>('DELETE FROM changes WHERE seq <= ?')
  const moveHorizon = db.prepare<[number]>('UPDATE change_horizon SET pruned_through = MAX(pruned_through, ?) WHERE id = 1')
  // One read transaction: the horizon and the rows come from the same snapshot.
  const read = db.transaction((from: number, limit: number): ChangeBatch => ({
    changes: after.all(from, limit),
    prunedThrough: horizon.get()!.pruned_through,
  }))
  // Pruning by seq (not by time) keeps the horizon exact even when clocks of writers differ.
  const pruneBefore = db.transaction((cutoff: number): number => {
    const through = lastBefore.get(cutoff)!.seq
    if (through === null) return 0
    moveHorizon.run(through)
    return prune.run(through).changes
  })
  return {
    async readChanges(from, limit) {
      return read.deferred(from, limit)
    },
    async latestChangeSeq() {
      return latest.get()!.seq ?? 0
    },
    async pruneChanges(before) {
      // Most calls find nothing to prune: check with a read before taking the write lock.
      if (oldest.get(before.getTime()) === undefined) return 0
      return pruneBefore.immediate(before.getTime())
    },
  }
}
