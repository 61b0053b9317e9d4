// `npm run fuzz -- [--seed N] [--requests N] [--concurrency N]`: the seeded fuzz suite against a real server.
// Prints the report as JSON and exits 1 when the pass rule is broken. A failing case replays from its seed and index.
import { parseArgs } from 'node:util'
import { cleanupTrent } from '../e2e/support/server.js'
import { passed, runFuzz } from './run-fuzz.js'

const { values } = parseArgs({ options: { seed: { type: 'string' }, requests: { type: 'string' }, concurrency: { type: 'string' } }, strict: true })
const seed = Number(values.seed ?? '1')
const requests = Number(values.requests ?? '10000')
const concurrency = Number(values.concurrency ?? '4')
for (const [name, n] of [['--seed', seed], ['--requests', requests], ['--concurrency', concurrency]] as const) {
  if (!Number.isSafeInteger(n) || n < (name === '--seed' ? 0 : 1)) throw new Error(`${name} must be a whole number`)
}
const report = await runFuzz({
  seed, requests, concurrency,
  onProgress: (done, r) => process.stderr.write(`fuzz: ${done}/${requests} requests, ${r.serverErrors} 5xx, ${r.hangs} hangs, ${r.failures.length} failures\n`),
})
await cleanupTrent()
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
process.stderr.write(passed(report) ? `fuzz: PASS (${report.requests} requests, seed ${seed}, ${report.seconds} s)\n` : 'fuzz: FAIL\n')
process.exit(passed(report) ? 0 : 1)
