// The end-to-end multi-Region suite again with its server on PostgreSQL (support/database.ts), so ReplicateKey,
// UpdatePrimaryRegion, replicated rotations and the deletion choreography are proven on both store drivers. Its
// own process, not postgres-suite.test.ts: the other suites' cleanupTrent hooks would stop its shared server.
// Fails when CI=true and PostgreSQL is unreachable; elsewhere it skips with the reason.
import { test } from 'node:test'
import { postgresUnavailable } from '../../src/store/postgres/test-database.js'

process.env.TRENT_TEST_DATABASE = 'postgres'
const unavailable = await postgresUnavailable()
if (unavailable) {
  test('e2e multi-Region suite on PostgreSQL', { skip: unavailable }, () => undefined)
} else {
  await import('./multi-region.test.js')
}
