// `npm run bench`: Trent vs a bare node:http echo server, same signed requests, medians of interleaved runs.
// Flags: --duration <s> --warmup <s> --concurrency <n> --repeats <n> --scenarios a,b  (see scenarios.ts).
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { benchScenario, type LoadSettings, type ScenarioResult } from './bench-scenario.js'
import { startChildServer } from './child-server.js'
import { formatTable, writeJsonReport } from './report.js'
import { selectScenarios } from './scenarios.js'

const ECHO_SERVER = fileURLToPath(new URL('./echo-server.js', import.meta.url))
const RESULTS_FILE = fileURLToPath(new URL('../../bench/results/latest.json', import.meta.url))

function positive(name: string, text: string): number {
  const value = Number(text)
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number, got ${text}`)
  return value
}

function readOptions(): { settings: LoadSettings; scenarioNames: string[] | undefined } {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '5' },
      warmup: { type: 'string', default: '1' },
      concurrency: { type: 'string', default: '16' },
      repeats: { type: 'string', default: '3' },
      scenarios: { type: 'string' },
    },
    strict: true,
  })
  const settings: LoadSettings = {
    durationMs: positive('duration', values.duration) * 1000,
    warmupMs: values.warmup === '0' ? 0 : positive('warmup', values.warmup) * 1000,
    concurrency: Math.round(positive('concurrency', values.concurrency)),
    repeats: Math.round(positive('repeats', values.repeats)),
  }
  return { settings, scenarioNames: values.scenarios?.split(',').map((s) => s.trim()).filter((s) => s !== '') }
}

async function main(): Promise<void> {
  const { settings, scenarioNames } = readOptions()
  const selected = selectScenarios(scenarioNames)
  const echo = await startChildServer({ script: ECHO_SERVER, readyMessage: 'echo listening', env: {} })
  const results: ScenarioResult[] = []
  try {
    for (const scenario of selected) {
      results.push(await benchScenario(scenario, echo, settings, (line) => process.stderr.write(`${line}\n`)))
    }
  } finally {
    await echo.stop()
  }
  process.stdout.write(`\n${formatTable(results, settings)}\n`)
  writeJsonReport(RESULTS_FILE, results, settings)
  process.stdout.write(`\nresults: ${RESULTS_FILE}\n`)
  // A bench with failed requests measured something other than what it claims; make that loud.
  if (results.some((r) => r.bare.errorCount + r.trent.errorCount > 0)) process.exitCode = 1
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`)
  process.exit(1)
})
