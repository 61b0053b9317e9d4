// The PostgreSQL driver's custody methods: wrapped-secret listing and compare-and-set for root-key migration,
// and snapshot export/import for backup and restore, over the same logical tables and column names as the
// SQLite driver (src/store/snapshot.ts), so a SQLite backup restores here and the other way round.
import type pg from 'pg'
import { StoreNotEmptyError, type CustodyStore, type WrappedKind } from '../custody-store.js'
import { SNAPSHOT_TABLES, type SnapshotChunk, type SnapshotValue } from '../snapshot.js'
import { splitVersionId } from '../sqlite/sqlite-custody.js'
import type { Query } from './pool.js'

const CHUNK_ROWS = 1000
/** PostgreSQL takes at most 65535 parameters per statement. */
const MAX_PARAMETERS = 65_535

const SECRET_TABLES = {
  'access-key': { table: 'access_keys' },
  'role-session': { table: 'role_sessions' },
} as const

export function custodyMethods(pool: pg.Pool): CustodyStore {
  return {
    async listWrappedSecrets(kind, after, limit) {
      if (kind === 'key-version') {
        const [keyId, version] = after === undefined ? ['', 0] : splitVersionId(after)
        // Imported material whose bytes were deleted or expired keeps its row with an empty blob: nothing to rewrap.
        const { rows } = await pool.query(
          `SELECT key_id, version, wrapped_material FROM key_versions
           WHERE (key_id > $1 OR (key_id = $1 AND version > $2)) AND length(wrapped_material) > 0
           ORDER BY key_id, version LIMIT $3`, [keyId, version, limit])
        return (rows as Array<{ key_id: string; version: number; wrapped_material: Buffer }>)
          .map((r) => ({ kind, id: `${r.key_id}/${r.version}`, wrapped: new Uint8Array(r.wrapped_material) }))
      }
      const { rows } = await pool.query(
        `SELECT access_key_id, wrapped_secret FROM ${SECRET_TABLES[kind].table} WHERE access_key_id > $1 ORDER BY access_key_id LIMIT $2`,
        [after ?? '', limit])
      return (rows as Array<{ access_key_id: string; wrapped_secret: Buffer }>).map((r) => ({ kind, id: r.access_key_id, wrapped: new Uint8Array(r.wrapped_secret) }))
    },
    async replaceWrappedSecret(kind: WrappedKind, id, previous, next) {
      if (kind === 'key-version') {
        const [keyId, version] = splitVersionId(id)
        const result = await pool.query('UPDATE key_versions SET wrapped_material = $1 WHERE key_id = $2 AND version = $3 AND wrapped_material = $4',
          [next, keyId, version, previous])
        return result.rowCount === 1
      }
      const result = await pool.query(`UPDATE ${SECRET_TABLES[kind].table} SET wrapped_secret = $1 WHERE access_key_id = $2 AND wrapped_secret = $3`,
        [next, id, previous])
      return result.rowCount === 1
    },
    async replaceSetting(name, previous, next) {
      return (await pool.query('UPDATE settings SET value = $1 WHERE name = $2 AND value = $3', [next, name, previous])).rowCount === 1
    },
    exportSnapshot: () => exportSnapshot(pool),
    importSnapshot: (chunks) => importSnapshot(pool, chunks),
  }
}

/** The table's primary-key columns in key order: the order rows are exported in (the audit log by seq). */
async function primaryKey(query: Query, table: string): Promise<string[]> {
  const { rows } = await query(
    `SELECT a.attname AS name FROM pg_index i
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
     WHERE i.indrelid = to_regclass($1) AND i.indisprimary
     ORDER BY array_position(i.indkey::int2[], a.attnum)`, [table])
  return (rows as Array<{ name: string }>).map((r) => r.name)
}

function toValue(v: unknown): SnapshotValue {
  if (v === null || typeof v === 'number' || typeof v === 'string') return v
  if (Buffer.isBuffer(v)) return new Uint8Array(v)
  throw new TypeError(`unexpected column value of type ${typeof v}`)
}

/**
 * One REPEATABLE READ, READ ONLY transaction on one pooled connection: a fixed snapshot of every table that
 * blocks no writer. Each table is read through a server-side cursor, a chunk at a time.
 */
async function* exportSnapshot(pool: pg.Pool): AsyncGenerator<SnapshotChunk> {
  const client = await pool.connect()
  let broken = false
  const onError = () => { broken = true }
  client.on('error', onError)
  const query: Query = (text, values) => client.query(text, values)
  try {
    await query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
    for (const table of SNAPSHOT_TABLES) {
      const order = await primaryKey(query, table)
      // Table and column names come from SNAPSHOT_TABLES and the catalog, never from input.
      await query(`DECLARE snapshot_rows NO SCROLL CURSOR FOR SELECT * FROM ${table}${order.length > 0 ? ` ORDER BY ${order.map((c) => `"${c}"`).join(', ')}` : ''}`)
      for (;;) {
        const result = await query(`FETCH ${CHUNK_ROWS} FROM snapshot_rows`)
        if (result.rows.length === 0) break
        const columns = result.fields.map((f) => f.name)
        yield { table, columns, rows: (result.rows as Record<string, unknown>[]).map((r) => columns.map((c) => toValue(r[c]))) }
      }
      await query('CLOSE snapshot_rows')
    }
    await query('COMMIT')
  } finally {
    // Also when the consumer stops early: the transaction ends and the connection goes back clean.
    await query('ROLLBACK').catch(() => { broken = true })
    client.off('error', onError)
    client.release(broken)
  }
}

/** Empty: no rows anywhere but the chain head a new store starts with (no record chained yet). */
async function requireEmpty(query: Query): Promise<void> {
  for (const table of SNAPSHOT_TABLES) {
    const where = table === 'audit_chain' ? ' WHERE seq <> 0 OR genesis_seq <> 0' : ''
    const n = ((await query(`SELECT count(*) AS n FROM ${table}${where}`)).rows[0] as { n: number }).n
    if (n > 0) throw new StoreNotEmptyError(`the target store is not empty (table ${table} has ${n} rows); restore only into an empty one`)
  }
}

async function insertChunk(query: Query, chunk: SnapshotChunk): Promise<void> {
  const names = chunk.columns.map((c) => `"${c}"`).join(', ')
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / Math.max(1, chunk.columns.length)))
  for (let start = 0; start < chunk.rows.length; start += perStatement) {
    const rows = chunk.rows.slice(start, start + perStatement)
    const values: unknown[] = []
    const tuples = rows.map((row) => `(${row.map((v) => `$${values.push(v)}`).join(', ')})`)
    await query(`INSERT INTO ${chunk.table} (${names}) VALUES ${tuples.join(', ')}`, values)
  }
}

/**
 * One transaction on one connection, not retried (the chunks can be read only once): all of the snapshot or,
 * on any error or crash, none of it. The tables are locked against writers for its length.
 */
async function importSnapshot(pool: pg.Pool, chunks: AsyncIterable<SnapshotChunk>): Promise<{ rows: number }> {
  const client = await pool.connect()
  let broken = false
  const onError = () => { broken = true }
  client.on('error', onError)
  const query: Query = (text, values) => client.query(text, values)
  let rows = 0
  try {
    await query('BEGIN')
    await query(`LOCK TABLE ${SNAPSHOT_TABLES.join(', ')} IN SHARE ROW EXCLUSIVE MODE`)
    const known = new Map<string, Set<string>>()
    for (const table of SNAPSHOT_TABLES) {
      known.set(table, new Set((await query(`SELECT * FROM ${table} LIMIT 0`)).fields.map((f) => f.name)))
    }
    await requireEmpty(query)
    // The migration seeded the chain head of an empty log; the snapshot brings the real one.
    await query('DELETE FROM audit_chain')
    for await (const chunk of chunks) {
      const columns = known.get(chunk.table)
      if (!columns) throw new Error(`snapshot table ${chunk.table} is not one this store knows`)
      const unknown = chunk.columns.find((c) => !columns.has(c))
      if (unknown !== undefined) throw new Error(`snapshot column ${chunk.table}.${unknown} is not one this store knows`)
      if (chunk.rows.length > 0) await insertChunk(query, chunk)
      rows += chunk.rows.length
    }
    await query('COMMIT')
    return { rows }
  } catch (e) {
    await query('ROLLBACK').catch(() => { broken = true })
    throw e
  } finally {
    client.off('error', onError)
    client.release(broken)
  }
}
