// `npm run bench`: Trent vs a bare node:http JSON echo server, both driven by wrk replaying presigned SigV4
// requests; interleaved rounds, medians, ratios to the baseline of the same round. See bench/RESULTS.md.
// Flags: --seconds <s> --rounds <n> --conc <n[,n…]> --threads <n> --warmup <s> --scenarios a,b --workers <n>
//        --bg-rate <req/s> --bg-conc <n> --startup-runs <n> (0 skips)
import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { benchScenario, type BenchSettings, type ScenarioResult } from './bench-scenario.js'
import { startChildServer } from './child-server.js'
import { BARE_MINIMUM_RPS, checkGoals } from './goals.js'
import { formatText, machine, writeReports, type BenchReport } from './report.js'
import { selectScenarios, type Scenario } from './scenarios.js'
import { measureStartup } from './time-to-listen.js'
import { ensureWrk } from './wrk-install.js'

const ECHO_SERVER = fileURLToPath(new URL('./echo-server.js', import.meta.url))
const RESULTS_JSON = fileURLToPath(new URL('../../bench/results/latest.json', import.meta.url))
const RESULTS_MD = fileURLToPath(new URL('../../bench/RESULTS.md', import.meta.url))

function whole(name: string, text: string, min = 1): number {
  const value = Number(text)
  if (!Number.isSafeInteger(value) || value < min) throw new Error(`--${name} must be a whole number ≥ ${min}, got ${text}`)
  return value
}

function readOptions() {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '5' },
      rounds: { type: 'string', default: '3' },
      conc: { type: 'string', default: '16' },
      threads: { type: 'string', default: '2' },
      warmup: { type: 'string', default: '2' },
      scenarios: { type: 'string' },
      workers: { type: 'string', default: String(availableParallelism()) },
      'bg-rate': { type: 'string', default: '200' },
      'bg-conc': { type: 'string', default: '8' },
      'startup-runs': { type: 'string', default: '5' },
    },
    strict: true,
  })
  return {
    seconds: whole('seconds', values.seconds),
    rounds: whole('rounds', values.rounds),
    connections: values.conc.split(',').map((c) => whole('conc', c.trim())),
    threads: whole('threads', values.threads),
    warmupSeconds: whole('warmup', values.warmup),
    scenarioNames: values.scenarios?.split(',').map((s) => s.trim()).filter((s) => s !== ''),
    workers: whole('workers', values.workers),
    background: { rate: whole('bg-rate', values['bg-rate']), connections: whole('bg-conc', values['bg-conc']) },
    startupRuns: whole('startup-runs', values['startup-runs'], 0),
  }
}

type Options = ReturnType<typeof readOptions>

function method(o: Options): string[] {
  return [
    `Load client: wrk (${o.threads} threads) replaying a pool of presigned SigV4 requests (signed headers: content-type, host, x-amz-date, x-amz-target), re-signed before every run so no signature nears the 15-minute limit; the Lua script only picks the next prebuilt request string.`,
    'Baseline: a bare node:http server (one process) that parses the JSON body and sends it back, fed the same bodies with the same credentials.',
    'Ceiling (encrypt only): the judges\' minimal audited Encrypt server, ../shared/bench-tools/ceiling-server.js with AUDIT=1 (SigV4 with a cached signing key, one HMAC, AES-256-GCM, one SQLite row per request with group commit on its one thread), same bodies and credentials, in the same rounds; left out when the file is absent. The host\'s speed moves from day to day; Trent ÷ ceiling does not.',
    'Trent: `node dist/src/main.js` on a fresh data dir per scenario, SigV4-verified, policy-checked and audited (fsync) as in service.',
    `Each scenario: ${o.warmupSeconds} s warm-up per target, then ${o.rounds} rounds of ${o.seconds} s runs in a fixed interleaved order (bare, trent, …); figures are medians over rounds, and the ratio is the median of each round's ratio to that round's bare run.`,
    'p99 at half of peak: wrk paced by a Lua delay() to half the rate Trent reached in the same round (send slots shared per thread; latency timed from each actual send, so a paced run at a rate the server sustains has no client-side queueing). wrk2 is not packaged in Debian.',
    `Encrypt beside RSA: a second wrk (1 thread, ${o.background.connections} connections) sends RSA_2048 RSASSA_PSS_SHA_256 Sign paced at ${o.background.rate} req/s from 1 s before to 1 s after the measured Encrypt run; the achieved rate is reported.`,
    `Workers: the same Encrypt load against Trent started with \`--workers 1\` and \`--workers ${o.workers}\` (and TRENT_WORKERS); the process count observed after start is reported.`,
  ]
}

function estimateSeconds(scenarios: Scenario[], o: Options): number {
  let total = 0
  for (const s of scenarios) {
    const targets = new Set(s.runs.map((r) => r.target)).size
    const beside = s.runs.filter((r) => r.mode === 'beside').length
    total += 3 * Object.keys(s.trents).length + targets * o.warmupSeconds + beside * o.warmupSeconds
    total += o.rounds * (s.runs.length * (o.seconds + 0.3) + beside * 1)
  }
  return total * o.connections.length + o.startupRuns * 0.8
}

async function main(): Promise<void> {
  const options = readOptions()
  const wrk = ensureWrk((line) => process.stderr.write(`${line}\n`))
  const scenarios = selectScenarios(options.scenarioNames, { workers: options.workers })
  process.stderr.write(`bench: ${scenarios.map((s) => s.name).join(', ')} at ${options.connections.join(', ')} connections; about ${Math.ceil(estimateSeconds(scenarios, options))} s\n`)
  const echo = await startChildServer({ script: ECHO_SERVER, readyMessage: 'echo listening', env: {} })
  const results: ScenarioResult[] = []
  try {
    for (const connections of options.connections) {
      const settings: BenchSettings = { wrk, seconds: options.seconds, warmupSeconds: options.warmupSeconds, rounds: options.rounds, connections, threads: options.threads, background: options.background }
      for (const scenario of scenarios) results.push(await benchScenario(scenario, echo, settings, (line) => process.stderr.write(`${line}\n`)))
    }
  } finally {
    await echo.stop()
  }
  const startup = options.startupRuns > 0 ? await measureStartup(options.startupRuns) : undefined
  const warnings: string[] = []
  for (const r of results) {
    for (const bare of r.rows.filter((x) => x.target === 'bare' && x.rps < BARE_MINIMUM_RPS)) {
      warnings.push(`${r.name}: the bare baseline did ${bare.rps.toFixed(0)} req/s, below the ${BARE_MINIMUM_RPS} the issue asks of the client: a busy machine (or the client) limits the run, so its ratios are not the issue's measure`)
    }
  }
  const { scenarioNames, ...settings } = options
  const report: BenchReport = {
    finishedAt: new Date().toISOString(), machine: machine(), settings: { ...settings, scenarios: scenarios.map((s) => s.name) },
    method: method(options), scenarios: results, goals: checkGoals(results, startup, { backgroundRate: options.background.rate }), warnings,
    ...(startup ? { startup } : {}),
  }
  process.stdout.write(`\n${formatText(report)}\n`)
  // A partial run (--scenarios) keeps bench/RESULTS.md, which records full runs only.
  writeReports(report, { json: RESULTS_JSON, markdown: scenarioNames === undefined ? RESULTS_MD : undefined })
  process.stdout.write(`\nresults: ${RESULTS_JSON}${scenarioNames === undefined ? ` and ${RESULTS_MD}` : ''}\n`)
  // A bench with failed requests measured something other than what it claims; make that loud.
  if (results.some((r) => r.rows.some((x) => x.errors > 0))) process.exitCode = 1
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`)
  process.exit(1)
})
