// Measures one scenario: a fresh Trent with the scenario's env, setup through the API, then repeated runs
// interleaved with the echo baseline (bare, trent, bare, trent, …) so drift on a shared machine hits both.
import type { ChildServer } from './child-server.js'
import { createKmsApi } from './kms-api.js'
import { runLoad, type LoadResult } from './load-client.js'
import type { PreparedScenario, Scenario } from './scenarios.js'
import { createRequestSigner } from './sign-request.js'
import { median } from './stats.js'
import { startTrent, type TrentProcess } from './trent-process.js'

export interface LoadSettings {
  concurrency: number
  warmupMs: number
  durationMs: number
  repeats: number
}

export interface TargetSummary {
  rps: number
  p50Ms: number
  p99Ms: number
  errorCount: number
  errors: Record<string, number>
  runs: LoadResult[]
}

export interface ScenarioResult {
  name: string
  summary: string
  trentEnv: Record<string, string>
  bare: TargetSummary
  trent: TargetSummary
  /** median Trent rps ÷ median bare rps. */
  ratio: number
}

type Progress = (line: string) => void

function summarizeTarget(runs: LoadResult[]): TargetSummary {
  const errors: Record<string, number> = {}
  for (const run of runs) for (const [kind, n] of Object.entries(run.errors)) errors[kind] = (errors[kind] ?? 0) + n
  return {
    rps: median(runs.map((r) => r.rps)),
    p50Ms: median(runs.map((r) => r.p50Ms)),
    p99Ms: median(runs.map((r) => r.p99Ms)),
    errorCount: runs.reduce((sum, r) => sum + r.errorCount, 0),
    errors,
    runs,
  }
}

function describeRun(r: LoadResult & { background?: LoadResult }): string {
  const line = `${r.rps.toFixed(0)} req/s  p50 ${r.p50Ms.toFixed(2)} ms  p99 ${r.p99Ms.toFixed(2)} ms  errors ${r.errorCount}`
  return r.background ? `${line}  (beside: ${r.background.rps.toFixed(0)} req/s unmeasured load)` : line
}

async function measure(
  server: ChildServer, trent: TrentProcess, prepared: PreparedScenario, settings: LoadSettings, isTrent = false,
): Promise<LoadResult & { background?: LoadResult }> {
  // Same credentials and region for both targets, so signing work is identical; only the Host differs.
  const sign = createRequestSigner({ host: server.url.host, region: trent.region, credentials: trent.credentials })
  const extra = isTrent && prepared.background
    ? runLoad({ url: server.url, sign, ...settings, ...prepared.background })
    : undefined
  const result = await runLoad({ url: server.url, sign, request: prepared.request, ...settings })
  const background = await extra
  if (server.hasExited()) throw new Error(`server exited during the run:\n${server.recentLog().join('\n')}`)
  if (background && background.errorCount > 0) throw new Error(`background load failed: ${JSON.stringify(background.errors)}`)
  return background ? { ...result, background } : result
}

/** Runs `scenario` against a fresh Trent and the shared echo server. Throws if either server dies. */
export async function benchScenario(scenario: Scenario, echo: ChildServer, settings: LoadSettings, progress: Progress): Promise<ScenarioResult> {
  const trent = await startTrent(scenario.trentEnv)
  try {
    const api = createKmsApi(trent.server.url, trent.region, trent.credentials)
    const prepared = await scenario.prepare(api).finally(() => api.close())
    const bare: LoadResult[] = []
    const measured: LoadResult[] = []
    for (let round = 1; round <= settings.repeats; round++) {
      bare.push(await measure(echo, trent, prepared, settings))
      progress(`${scenario.name} ${round}/${settings.repeats} bare   ${describeRun(bare.at(-1) as LoadResult)}`)
      measured.push(await measure(trent.server, trent, prepared, settings, true))
      progress(`${scenario.name} ${round}/${settings.repeats} trent  ${describeRun(measured.at(-1) as LoadResult)}`)
    }
    const targets = { bare: summarizeTarget(bare), trent: summarizeTarget(measured) }
    return { name: scenario.name, summary: scenario.summary, trentEnv: { ...scenario.trentEnv }, ...targets, ratio: targets.trent.rps / targets.bare.rps }
  } finally {
    await trent.stop()
  }
}
