// The short fixed-seed run of the fuzz suite that `npm test` includes (`npm run fuzz` runs long ones): a real
// server, SigV4-signed model-derived bodies with body and protocol mutations, and the whole pass rule.
import assert from 'node:assert/strict'
import { after, test } from 'node:test'
import { cleanupTrent } from '../e2e/support/server.js'
import { passed, runFuzz } from './run-fuzz.js'

after(cleanupTrent)

test('800 fuzzed requests (seed 1): no 5xx, hang, crash or non-AWS error shape, and the server still answers', { timeout: 120_000 }, async () => {
  const report = await runFuzz({ seed: 1, requests: 800, concurrency: 4 })
  assert.equal(report.requests, 800)
  assert.deepEqual(report.failures, [])
  assert.deepEqual([report.serverErrors, report.hangs, report.crashed, report.healthyAfter, report.errorLogLines], [0, 0, false, true, 0])
  assert.ok(passed(report))
  // Worth something only if cases reach the operations: successes, and many distinct AWS exceptions.
  assert.ok((report.byType.success ?? 0) >= 20, JSON.stringify(report.byType))
  assert.ok(Object.keys(report.byType).length >= 15, JSON.stringify(report.byType))
})
