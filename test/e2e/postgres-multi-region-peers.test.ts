// The two-deployment multi-Region suite again with both servers on PostgreSQL (each data directory its own schema,
// support/database.ts), so the outbox, the delivery job and applyKeySetSync are proven on both store drivers. Its
// own process, like postgres-multi-region.test.ts. Fails when CI=true and PostgreSQL is unreachable; elsewhere it skips.
import { test } from 'node:test'
import { postgresUnavailable } from '../../src/store/postgres/test-database.js'

process.env.TRENT_TEST_DATABASE = 'postgres'
const unavailable = await postgresUnavailable()
if (unavailable) {
  test('e2e two-deployment multi-Region suite on PostgreSQL', { skip: unavailable }, () => undefined)
} else {
  await import('./multi-region-peers.test.js')
}
