// The PostgreSQL connection pool and the one way the driver runs a transaction: BEGIN … COMMIT on one pooled
// client, retried (bounded, with backoff) when the database reports a serialization failure or a deadlock,
// which PostgreSQL raises under contention and CockroachDB/YugabyteDB raise as their normal way of resolving
// conflicts. A retried transaction re-runs from the start, so `work` must only touch the database.
import pg from 'pg'
import { StoreConflictError } from '../store.js'

export interface PostgresOptions {
  /** postgres://user@host:port/database (TRENT_DATABASE_URL). */
  url: string
  /** Schema holding Trent's tables (TRENT_DATABASE_SCHEMA); created when missing. The server's default search_path when absent. */
  schema?: string
  /** Most connections this process opens (default 10). */
  maxConnections?: number
}

/** SQLSTATEs after which re-running the whole transaction is safe and expected to succeed. */
const RETRYABLE = new Set(['40001', '40P01'])
const MAX_ATTEMPTS = 8
const BASE_BACKOFF_MS = 2

/** A schema name Trent accepts: a plain lower-case identifier, so it needs no quoting anywhere. */
export const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/

/** pg hands BIGINT back as text (it may exceed 2^53); Trent's BIGINTs are millisecond times, sequences and counts. */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === pg.types.builtins.INT8) return (text: string) => Number(text)
    return pg.types.getTypeParser(oid, format)
  },
}

export function sqlState(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : undefined
}

/** True for a primary-key or unique violation; foreign-key violations are bugs, not conflicts. */
export function isUniqueViolation(err: unknown): boolean {
  return sqlState(err) === '23505'
}

/** Runs `write`, turning a uniqueness violation into StoreConflictError; other errors pass through. */
export async function conflictAware<T>(what: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write()
  } catch (err) {
    if (isUniqueViolation(err)) throw new StoreConflictError(`${what} already exists`)
    throw err
  }
}

/**
 * Opens a pool with every connection's search_path on `schema` and synchronous_commit on (a COMMIT returns
 * only once it is flushed to disk, and to synchronous standbys where the operator configured them).
 * Throws when the schema name is not a plain identifier.
 */
export function openPool(options: PostgresOptions): pg.Pool {
  if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) {
    throw new Error(`database schema must be a lower-case identifier (letters, digits, _): ${options.schema}`)
  }
  const settings = ['-c synchronous_commit=on', ...(options.schema === undefined ? [] : [`-c search_path=${options.schema}`])]
  const pool = new pg.Pool({
    connectionString: options.url,
    options: settings.join(' '),
    max: options.maxConnections ?? 10,
    types,
    // A database that does not answer must fail requests (5xx) rather than hang them.
    connectionTimeoutMillis: 5_000,
    query_timeout: 30_000,
    idleTimeoutMillis: 30_000,
  })
  // An idle connection that the server drops (restart, failover) emits 'error' on the pool; unhandled, it
  // would crash the process. The pool discards that client and the next query opens a new one.
  pool.on('error', () => undefined)
  return pool
}

export type Query = (text: string, values?: unknown[]) => Promise<pg.QueryResult>

export interface TransactionOptions {
  /** Default READ COMMITTED with explicit row locks; REPEATABLE READ for multi-statement reads of one snapshot. */
  isolation?: 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE'
  readOnly?: boolean
}

/**
 * Runs `work` in one transaction and commits it; durable when this resolves. Rolls back and rethrows
 * whatever `work` throws, except serialization failures and deadlocks, which re-run it (up to 8 attempts).
 */
export async function inTransaction<T>(pool: pg.Pool, work: (query: Query) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  const begin = `BEGIN ISOLATION LEVEL ${options.isolation ?? 'READ COMMITTED'}${options.readOnly ? ' READ ONLY' : ''}`
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect()
    let broken = false
    // The server may end the connection between our statements (restart, failover): pg then emits 'error' on
    // the checked-out client, which would crash the process unheard. The next statement fails anyway.
    const onError = () => { broken = true }
    client.on('error', onError)
    try {
      await client.query(begin)
      const result = await work((text, values) => client.query(text, values))
      await client.query('COMMIT')
      return result
    } catch (err) {
      await client.query('ROLLBACK').catch(() => { broken = true })
      if (attempt < MAX_ATTEMPTS && RETRYABLE.has(sqlState(err) ?? '')) {
        await backoff(attempt)
        continue
      }
      throw err
    } finally {
      // A connection that could not even roll back is closed, not lent to the next caller.
      client.off('error', onError)
      client.release(broken)
    }
  }
}

/** Exponential backoff with full jitter: 2, 4, 8 … ms caps, so retrying writers spread out. */
function backoff(attempt: number): Promise<void> {
  const ms = Math.random() * BASE_BACKOFF_MS * 2 ** attempt
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/**
 * Takes a row lock, held until the transaction ends, on the named row of store_locks (creating it). The
 * per-key and per-principal limits are counted under it, so two writers cannot both slip under a limit. A
 * row lock, not an advisory lock: CockroachDB and YugabyteDB honour it too. Take it before the
 * transaction's first write, so every transaction acquires its locks in one order.
 */
export async function lockName(query: Query, name: string): Promise<void> {
  await query('INSERT INTO store_locks (name) VALUES ($1) ON CONFLICT (name) DO UPDATE SET name = excluded.name', [name])
}

/** `INSERT INTO table (columns) VALUES ($1…)` and the row's values in column order. */
export function insertRow<R>(table: string, columns: readonly (keyof R & string)[], row: R): [string, unknown[]] {
  const placeholders = columns.map((_, i) => `$${i + 1}`).join(', ')
  return [`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${placeholders})`, columns.map((c) => row[c])]
}

/**
 * Rewrites @name parameters (the SQLite driver's style, for SQL both drivers share) to $1…$n, returning the
 * text and a function that orders a parameter object accordingly.
 */
export function positional(sql: string): { text: string; values: (params: Record<string, unknown>) => unknown[] } {
  const names: string[] = []
  const text = sql.replace(/@([a-z_][a-z0-9_]*)/gi, (_m, name: string) => {
    let i = names.indexOf(name)
    if (i < 0) i = names.push(name) - 1
    return `$${i + 1}`
  })
  return { text, values: (params) => names.map((n) => params[n] ?? null) }
}
