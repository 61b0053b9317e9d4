// The SQLite driver's peer outbox (store/peer-outbox-store.ts): each method is one statement. The shared SQL
// numbers its placeholders; here they are the named parameters @p1, @p2 … bound from an object.
import type Database from 'better-sqlite3'
import { peerOutboxSql, rowToPeerMessage, type PeerOutboxRow } from '../peer-outbox-rows.js'
import type { PeerOutboxStore } from '../peer-outbox-store.js'

type Params = Record<string, string | number | null>

/** The positional values as @p1, @p2 …. */
const params = (...values: Array<string | number | null>): Params => Object.fromEntries(values.map((v, i) => [`p${i + 1}`, v]))

export function peerOutboxMethods(db: Database.Database): PeerOutboxStore {
  const sql = peerOutboxSql((n) => `@p${n}`)
  const enqueue = db.prepare<[Params]>(sql.enqueue)
  const due = db.prepare<[Params], PeerOutboxRow>(sql.due)
  const ofSet = db.prepare<[Params], PeerOutboxRow>(sql.ofSet)
  const complete = db.prepare<[Params]>(sql.complete)
  const defer = db.prepare<[Params]>(sql.defer)
  return {
    async enqueuePeerMessage(publicId, region, kind, now, replicaJson) {
      enqueue.run(params(publicId, region, kind, now.getTime(), replicaJson ?? null))
    },
    async listDuePeerMessages(now, limit) {
      return due.all(params(now.getTime(), limit)).map(rowToPeerMessage)
    },
    async listPeerMessages(publicId) {
      return ofSet.all(params(publicId)).map(rowToPeerMessage)
    },
    async completePeerMessage(publicId, region, kind, seq) {
      return complete.run(params(publicId, region, kind, seq)).changes === 1
    },
    async deferPeerMessage(publicId, region, kind, seq, dueAt, error) {
      return defer.run(params(publicId, region, kind, seq, dueAt.getTime(), error)).changes === 1
    },
  }
}
