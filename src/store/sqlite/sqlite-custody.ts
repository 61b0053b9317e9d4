// The SQLite driver's custody methods: wrapped-secret listing and compare-and-set for root-key migration,
// and snapshot export/import for backup and restore.
import Database from 'better-sqlite3'
import type { CustodyStore, WrappedKind } from '../custody-store.js'
import { StoreNotEmptyError } from '../custody-store.js'
import { SNAPSHOT_TABLES, type SnapshotChunk, type SnapshotValue } from '../snapshot.js'

type CustodyMethods = Pick<CustodyStore, 'listWrappedSecrets' | 'replaceWrappedSecret' | 'replaceSetting' | 'exportSnapshot' | 'importSnapshot'>

const chunkRows = 1000

export function custodyMethods(db: Database.Database, path: string): CustodyMethods {
  const st = {
    listVersions: db.prepare<[{ key_id: string; version: number; limit: number }], { key_id: string; version: number; wrapped_material: Buffer }>(
      // Imported material whose bytes were deleted or expired keeps its row with an empty blob: nothing to rewrap.
      `SELECT key_id, version, wrapped_material FROM key_versions
       WHERE (key_id > @key_id OR (key_id = @key_id AND version > @version)) AND length(wrapped_material) > 0
       ORDER BY key_id, version LIMIT @limit`,
    ),
    listAccessKeys: db.prepare<[string, number], { access_key_id: string; wrapped_secret: Buffer }>(
      'SELECT access_key_id, wrapped_secret FROM access_keys WHERE access_key_id > ? ORDER BY access_key_id LIMIT ?',
    ),
    listSessions: db.prepare<[string, number], { access_key_id: string; wrapped_secret: Buffer }>(
      'SELECT access_key_id, wrapped_secret FROM role_sessions WHERE access_key_id > ? ORDER BY access_key_id LIMIT ?',
    ),
    replaceVersion: db.prepare<[Uint8Array, string, number, Uint8Array]>(
      'UPDATE key_versions SET wrapped_material = ? WHERE key_id = ? AND version = ? AND wrapped_material = ?',
    ),
    replaceAccessKey: db.prepare<[Uint8Array, string, Uint8Array]>('UPDATE access_keys SET wrapped_secret = ? WHERE access_key_id = ? AND wrapped_secret = ?'),
    replaceSession: db.prepare<[Uint8Array, string, Uint8Array]>('UPDATE role_sessions SET wrapped_secret = ? WHERE access_key_id = ? AND wrapped_secret = ?'),
    replaceSetting: db.prepare<[string, string, string]>('UPDATE settings SET value = ? WHERE name = ? AND value = ?'),
  }
  return {
    async listWrappedSecrets(kind, after, limit) {
      if (kind === 'key-version') {
        const [keyId, version] = after === undefined ? ['', 0] : splitVersionId(after)
        return st.listVersions.all({ key_id: keyId, version, limit }).map((r) => ({ kind, id: `${r.key_id}/${r.version}`, wrapped: new Uint8Array(r.wrapped_material) }))
      }
      const rows = (kind === 'access-key' ? st.listAccessKeys : st.listSessions).all(after ?? '', limit)
      return rows.map((r) => ({ kind, id: r.access_key_id, wrapped: new Uint8Array(r.wrapped_secret) }))
    },
    async replaceWrappedSecret(kind: WrappedKind, id, previous, next) {
      if (kind === 'key-version') {
        const [keyId, version] = splitVersionId(id)
        return st.replaceVersion.run(next, keyId, version, previous).changes === 1
      }
      return (kind === 'access-key' ? st.replaceAccessKey : st.replaceSession).run(next, id, previous).changes === 1
    },
    async replaceSetting(name, previous, next) {
      return st.replaceSetting.run(next, name, previous).changes === 1
    },
    exportSnapshot: () => exportSnapshot(db, path),
    importSnapshot: (chunks) => importSnapshot(db, chunks),
  }
}

/** `<keyId>/<version>`; the key id has no slash. Throws RangeError otherwise. */
export function splitVersionId(id: string): [string, number] {
  const slash = id.lastIndexOf('/')
  const version = Number(id.slice(slash + 1))
  if (slash <= 0 || !Number.isInteger(version) || version < 1) throw new RangeError(`not a key version id: ${id}`)
  return [id.slice(0, slash), version]
}

/**
 * A file database is read through a second, read-only connection inside one read transaction: WAL gives it
 * a fixed snapshot while this process and others keep writing. An in-memory database (tests) has no second
 * connection, so it is read whole in one synchronous transaction.
 */
async function* exportSnapshot(db: Database.Database, path: string): AsyncGenerator<SnapshotChunk> {
  if (path === ':memory:' || path === '') {
    const all = db.transaction(() => SNAPSHOT_TABLES.flatMap((table) => [...readTable(db, table)]))()
    yield* all
    return
  }
  const reader = new Database(path, { readonly: true, fileMustExist: true })
  try {
    reader.exec('BEGIN')
    // The snapshot is fixed at the first read; take it now, before any chunk is handed out.
    reader.prepare('SELECT count(*) FROM settings').get()
    for (const table of SNAPSHOT_TABLES) yield* readTable(reader, table)
    reader.exec('COMMIT')
  } finally {
    reader.close()
  }
}

function* readTable(db: Database.Database, table: string): Generator<SnapshotChunk> {
  // Table names come from SNAPSHOT_TABLES, never from input. rowid order keeps the audit log in sequence.
  const stmt = db.prepare(`SELECT * FROM ${table}`).raw(true)
  const columns = stmt.columns().map((c) => c.name)
  let rows: SnapshotValue[][] = []
  for (const row of stmt.iterate() as Iterable<unknown[]>) {
    rows.push(row.map(toValue))
    if (rows.length === chunkRows) {
      yield { table, columns, rows }
      rows = []
    }
  }
  if (rows.length > 0) yield { table, columns, rows }
}

function toValue(v: unknown): SnapshotValue {
  if (v === null || typeof v === 'number' || typeof v === 'string') return v
  if (Buffer.isBuffer(v)) return new Uint8Array(v)
  if (typeof v === 'bigint') return Number(v)
  throw new TypeError(`unexpected column value of type ${typeof v}`)
}

async function importSnapshot(db: Database.Database, chunks: AsyncIterable<SnapshotChunk>): Promise<{ rows: number }> {
  const known = new Map(SNAPSHOT_TABLES.map((t) => [t, new Set(db.prepare(`SELECT * FROM ${t} LIMIT 0`).columns().map((c) => c.name))]))
  db.exec('BEGIN IMMEDIATE')
  let rows = 0
  try {
    requireEmpty(db)
    // The migration seeded the chain head of an empty log; the snapshot brings the real one.
    db.exec('DELETE FROM audit_chain')
    for await (const chunk of chunks) {
      const columns = known.get(chunk.table as typeof SNAPSHOT_TABLES[number])
      if (!columns) throw new Error(`snapshot table ${chunk.table} is not one this store knows`)
      const unknown = chunk.columns.find((c) => !columns.has(c))
      if (unknown !== undefined) throw new Error(`snapshot column ${chunk.table}.${unknown} is not one this store knows`)
      const insert = db.prepare(`INSERT INTO ${chunk.table} (${chunk.columns.map((c) => `"${c}"`).join(', ')}) VALUES (${chunk.columns.map(() => '?').join(', ')})`)
      for (const row of chunk.rows) insert.run(...row)
      rows += chunk.rows.length
    }
    db.exec('COMMIT')
  } catch (e) {
    if (db.inTransaction) db.exec('ROLLBACK')
    throw e
  }
  return { rows }
}

/** Empty: no rows anywhere but the chain head a new store starts with (no record chained yet). */
function requireEmpty(db: Database.Database): void {
  for (const table of SNAPSHOT_TABLES) {
    const count = table === 'audit_chain'
      ? (db.prepare('SELECT count(*) AS n FROM audit_chain WHERE seq <> 0 OR genesis_seq <> 0').get() as { n: number }).n
      : (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n
    if (count > 0) throw new StoreNotEmptyError(`the target store is not empty (table ${table} has ${count} rows); restore only into an empty one`)
  }
}
