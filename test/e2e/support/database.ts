// Which store the e2e servers run on, and the few things the tests do to it directly. TRENT_TEST_DATABASE=
// postgres starts every server on PostgreSQL (TRENT_TEST_DATABASE_URL, default 127.0.0.1:5432/test), each data
// directory with a fresh schema of its own (a restart on the same directory finds the same schema; nodes may
// share one), dropped by cleanupTrent(). Otherwise the server uses SQLite in its data directory, as by default.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import pg from 'pg'
import { openPostgresStore } from '../../../src/store/postgres/postgres-store.js'
import { dropSchema, freshSchemaName, TEST_DATABASE_URL } from '../../../src/store/postgres/test-database.js'
import { openSqliteStore } from '../../../src/store/sqlite/sqlite-store.js'
import type { Store } from '../../../src/store/store.js'

export type E2eDatabase = 'sqlite' | 'postgres'

/** Read when a server starts, so a wrapper file may set TRENT_TEST_DATABASE before importing the tests. */
export function e2eDatabase(): E2eDatabase {
  return process.env.TRENT_TEST_DATABASE === 'postgres' ? 'postgres' : 'sqlite'
}

const schemas = new Map<string, string>()

/** The PostgreSQL schema of the data directory (assigned on first use). Throws on SQLite. */
export function schemaOf(dataDir: string): string {
  if (e2eDatabase() !== 'postgres') throw new Error('the e2e servers run on SQLite (TRENT_TEST_DATABASE is not postgres)')
  let schema = schemas.get(dataDir)
  if (schema === undefined) {
    schema = freshSchemaName()
    schemas.set(dataDir, schema)
  }
  return schema
}

/** Makes the server of `dataDir` use the same database as the one of `existing` (another node of one region). */
export function shareDatabase(dataDir: string, existing: string): void {
  schemas.set(dataDir, schemaOf(existing))
}

/** Environment a server or CLI on `dataDir` needs to reach its store ({} on SQLite, where the folder says it all). */
export function databaseEnv(dataDir: string): Record<string, string> {
  if (e2eDatabase() !== 'postgres') return {}
  return { TRENT_DATABASE_URL: TEST_DATABASE_URL, TRENT_DATABASE_SCHEMA: schemaOf(dataDir) }
}

/** Drops every schema the servers used (cleanupTrent calls it). */
export async function dropE2eSchemas(): Promise<void> {
  const used = [...new Set(schemas.values())]
  schemas.clear()
  for (const schema of used) await dropSchema(schema)
}

async function withClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

/** The store of the server on `dataDir`, opened beside it (as a second process would). */
export async function openServerStore(dataDir: string): Promise<Store> {
  if (e2eDatabase() === 'postgres') return openPostgresStore({ url: TEST_DATABASE_URL, schema: schemaOf(dataDir), maxConnections: 2 })
  return openSqliteStore(join(dataDir, 'trent.db'))
}

/** Every audit row in chain order. */
export async function auditRows(dataDir: string): Promise<{ event_name: string; record_json: string }[]> {
  const sql = 'SELECT event_name, record_json FROM audit ORDER BY seq'
  if (e2eDatabase() === 'postgres') {
    return withClient(async (c) => (await c.query(`SET search_path TO ${schemaOf(dataDir)}; ${sql}`) as unknown as pg.QueryResult[])[1]!.rows)
  }
  const db = new Database(join(dataDir, 'trent.db'), { readonly: true, fileMustExist: true })
  try {
    return db.prepare(sql).all() as { event_name: string; record_json: string }[]
  } finally {
    db.close()
  }
}

/**
 * What someone who can read the database sees: SQLite's trent.db with its -wal/-shm bytes, or on PostgreSQL
 * every row of every table of the schema as text (BYTEA in hex), concatenated.
 */
export async function databaseContents(dataDir: string): Promise<Buffer> {
  if (e2eDatabase() === 'postgres') {
    const schema = schemaOf(dataDir)
    return withClient(async (c) => {
      const tables = (await c.query('SELECT table_name FROM information_schema.tables WHERE table_schema = $1', [schema])).rows as { table_name: string }[]
      const parts: string[] = []
      for (const { table_name: t } of tables) {
        for (const row of (await c.query(`SELECT t::text AS r FROM ${schema}."${t}" t`)).rows as { r: string }[]) parts.push(row.r)
      }
      return Buffer.from(parts.join('\n'))
    })
  }
  const files = ['trent.db', 'trent.db-wal', 'trent.db-shm'].map((f) => join(dataDir, f)).filter((p) => existsSync(p))
  if (!files.includes(join(dataDir, 'trent.db'))) throw new Error(`no trent.db in ${dataDir}`)
  return Buffer.concat(files.map((p) => readFileSync(p)))
}

/** Makes every insert into the audit table fail ('disk full') until the returned function is called. */
export async function breakAuditWrites(dataDir: string): Promise<() => Promise<void>> {
  if (e2eDatabase() === 'postgres') {
    const schema = schemaOf(dataDir)
    await withClient((c) => c.query(`
      CREATE FUNCTION ${schema}.audit_broken() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$;
      CREATE TRIGGER audit_broken BEFORE INSERT ON ${schema}.audit FOR EACH ROW EXECUTE FUNCTION ${schema}.audit_broken();`))
    return async () => {
      await withClient((c) => c.query(`DROP TRIGGER audit_broken ON ${schema}.audit; DROP FUNCTION ${schema}.audit_broken()`))
    }
  }
  const db = new Database(join(dataDir, 'trent.db'))
  db.exec("CREATE TRIGGER audit_broken BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'disk full'); END")
  return async () => {
    db.exec('DROP TRIGGER audit_broken')
    db.close()
  }
}
