// The PostgreSQL driver's peer outbox, with the SQLite driver's statements (store/peer-outbox-rows.ts). Each
// method is one statement; the upsert's row lock orders concurrent enqueues of the same message.
import type pg from 'pg'
import { peerOutboxSql, rowToPeerMessage, type PeerOutboxRow } from '../peer-outbox-rows.js'
import type { PeerOutboxStore } from '../peer-outbox-store.js'

export function peerOutboxMethods(pool: pg.Pool): PeerOutboxStore {
  const sql = peerOutboxSql((n) => `$${n}`)
  return {
    async enqueuePeerMessage(publicId, region, kind, now, replicaJson) {
      await pool.query(sql.enqueue, [publicId, region, kind, now.getTime(), replicaJson ?? null])
    },
    async listDuePeerMessages(now, limit) {
      const { rows } = await pool.query(sql.due, [now.getTime(), limit])
      return (rows as PeerOutboxRow[]).map(rowToPeerMessage)
    },
    async listPeerMessages(publicId) {
      const { rows } = await pool.query(sql.ofSet, [publicId])
      return (rows as PeerOutboxRow[]).map(rowToPeerMessage)
    },
    async completePeerMessage(publicId, region, kind, seq) {
      return (await pool.query(sql.complete, [publicId, region, kind, seq])).rowCount === 1
    },
    async deferPeerMessage(publicId, region, kind, seq, dueAt, error) {
      return (await pool.query(sql.defer, [publicId, region, kind, seq, dueAt.getTime(), error])).rowCount === 1
    },
  }
}
