// The peer_outbox row shape both drivers read and write (columns as in the migrations).
import type { PeerMessage, PeerMessageKind } from './peer-outbox-store.js'

export interface PeerOutboxRow {
  public_id: string
  region: string
  kind: string
  seq: number
  due_at: number
  attempts: number
  last_error: string | null
  replica_json: string | null
}

export function rowToPeerMessage(row: PeerOutboxRow): PeerMessage {
  return {
    publicId: row.public_id, region: row.region, kind: row.kind as PeerMessageKind, seq: row.seq,
    dueAt: new Date(row.due_at), attempts: row.attempts,
    ...(row.last_error !== null ? { lastError: row.last_error } : {}),
    ...(row.replica_json !== null ? { replicaJson: row.replica_json } : {}),
  }
}

/** The statements, with numbered placeholders in the style `p(n)` gives (SQLite `@pn`, PostgreSQL `$n`). */
export function peerOutboxSql(p: (n: number) => string) {
  const where = `public_id = ${p(1)} AND region = ${p(2)} AND kind = ${p(3)} AND seq = ${p(4)}`
  return {
    enqueue: `INSERT INTO peer_outbox (public_id, region, kind, seq, due_at, attempts, last_error, replica_json)
      VALUES (${p(1)}, ${p(2)}, ${p(3)}, 1, ${p(4)}, 0, NULL, ${p(5)})
      ON CONFLICT (public_id, region, kind) DO UPDATE SET seq = peer_outbox.seq + 1, due_at = excluded.due_at,
        attempts = 0, last_error = NULL, replica_json = COALESCE(excluded.replica_json, peer_outbox.replica_json)`,
    due: `SELECT * FROM peer_outbox WHERE due_at <= ${p(1)} ORDER BY due_at, public_id, region, kind LIMIT ${p(2)}`,
    ofSet: `SELECT * FROM peer_outbox WHERE public_id = ${p(1)} ORDER BY region, kind`,
    complete: `DELETE FROM peer_outbox WHERE ${where}`,
    defer: `UPDATE peer_outbox SET attempts = attempts + 1, due_at = ${p(5)}, last_error = ${p(6)} WHERE ${where}`,
  }
}
