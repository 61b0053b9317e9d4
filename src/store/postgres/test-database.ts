// For tests only: the PostgreSQL they use (TRENT_TEST_DATABASE_URL, default the machine's 127.0.0.1:5432/test)
// and throwaway schemas in it, so runs and tests never see one another's rows. When CI=true an unreachable
// database is an error; elsewhere tests skip with the reason.
import { randomBytes } from 'node:crypto'
import pg from 'pg'

export const TEST_DATABASE_URL = process.env.TRENT_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

/**
 * Undefined when the test database answers; otherwise why not (for a skip message). Throws instead when
 * CI=true: CI must fail, not skip, without PostgreSQL.
 */
export async function postgresUnavailable(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 3000 })
  try {
    await client.connect()
    await client.query('SELECT 1')
    return undefined
  } catch (e) {
    const reason = `PostgreSQL at ${TEST_DATABASE_URL} is unreachable (${e instanceof Error ? e.message : String(e)})`
    if (process.env.CI === 'true') throw new Error(`${reason}; CI needs it`)
    return reason
  } finally {
    await client.end().catch(() => undefined)
  }
}

/** A new unique schema name; the store creates the schema when it first opens it. */
export function freshSchemaName(): string {
  return `trent_test_${randomBytes(6).toString('hex')}`
}

/** Drops the schema and everything in it (no error when it is absent). */
export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL })
  await client.connect()
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
  } finally {
    await client.end()
  }
}
