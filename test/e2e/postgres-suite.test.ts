// The end-to-end SDK, audit and durability suites again, with every server on PostgreSQL (a fresh schema per
// data directory, support/database.ts), so the real server is proven on both store drivers. Fails when CI=true
// and PostgreSQL is unreachable; elsewhere it skips with the reason.
import { test } from 'node:test'
import { postgresUnavailable } from '../../src/store/postgres/test-database.js'

process.env.TRENT_TEST_DATABASE = 'postgres'
const unavailable = await postgresUnavailable()
if (unavailable) {
  test('e2e suites on PostgreSQL', { skip: unavailable }, () => undefined)
} else {
  await import('./sdk.test.js')
  await import('./audit.test.js')
  await import('./durability.test.js')
}
