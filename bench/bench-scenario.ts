// Measures one scenario: starts its Trents, prepares their keys through the API, warms every target up, then
// runs the rounds, each in the scenario's order (bare, trent, …) so drift on a shared machine hits all alike.
import { setTimeout as sleep } from 'node:timers/promises'
import type { ChildServer } from './child-server.js'
import { createKmsApi } from './kms-api.js'
import { drive } from './drive.js'
import type { BenchRequest, PreparedLoad, RunSpec, Scenario } from './scenarios.js'
import { summarizeRow, type RowResult, type RunFigures } from './summary.js'
import { ceilingScript, startCeilingServer } from './ceiling-process.js'
import { startTrent, WorkersFlagRejected, type TrentProcess } from './trent-process.js'
import type { WrkResult } from './wrk-run.js'

export interface BenchSettings {
  wrk: string
  seconds: number
  warmupSeconds: number
  rounds: number
  connections: number
  threads: number
  /** The load beside `beside` runs: paced at `rate` req/s over its own `connections`, one wrk thread. */
  background: { rate: number; connections: number }
}

export interface ScenarioResult {
  name: string
  summary: string
  connections: number
  rows: RowResult[]
  trents: { name: string; workersRequested?: number; processes: number }[]
  notes: string[]
}

type Progress = (line: string) => void

interface Target {
  server: ChildServer
  trent: TrentProcess
  prepared: PreparedLoad
}

interface Started {
  trents: Map<string, TrentProcess>
  notes: string[]
}

async function startTrents(scenario: Scenario): Promise<Started> {
  const trents = new Map<string, TrentProcess>()
  const notes: string[] = []
  try {
    for (const [name, options] of Object.entries(scenario.trents)) {
      try {
        trents.set(name, await startTrent(options))
      } catch (e) {
        if (!(e instanceof WorkersFlagRejected)) throw e
        if (options.workers === 1) {
          notes.push(`${e.message}: '${name}' ran as Trent's default single process, without the flag`)
          trents.set(name, await startTrent({ ...options, workers: undefined }))
        } else {
          notes.push(`${e.message}: '${name}' was not measured; re-run \`npm run bench -- --scenarios workers\` once the cluster work is in`)
        }
      }
    }
  } catch (e) {
    await Promise.all([...trents.values()].map((t) => t.stop()))
    throw e
  }
  return { trents, notes }
}

async function prepare(trent: TrentProcess, scenario: Scenario): Promise<PreparedLoad> {
  const api = createKmsApi(trent.server.url, trent.region, trent.credentials)
  return scenario.prepare(api).finally(() => api.close())
}

/** The failure one request of the pool gets, e.g. `setup call Encrypt failed: AccessDeniedException`. */
async function sampleError(target: Target, request: BenchRequest): Promise<string> {
  const api = createKmsApi(target.server.url, target.trent.region, target.trent.credentials)
  try {
    await api.call(request.target.replace(/^TrentService\./, ''), JSON.parse(Buffer.from(request.body).toString('utf8')))
    return 'a resent request succeeded'
  } catch (e) {
    return e instanceof Error ? e.message : String(e)
  } finally {
    api.close()
  }
}

function figures(r: WrkResult): RunFigures {
  return { rps: r.rps, p50Ms: r.p50Ms, p99Ms: r.p99Ms, maxMs: r.maxMs, statusErrors: r.statusErrors, socketErrors: r.socketErrors }
}

async function wrkOn(target: Target, pool: readonly BenchRequest[], settings: BenchSettings, run: { seconds: number; connections?: number; threads?: number; rate?: number }) {
  const to = { url: target.server.url, region: target.trent.region, credentials: target.trent.credentials }
  return drive(settings.wrk, to, pool, { connections: run.connections ?? settings.connections, threads: run.threads ?? settings.threads, seconds: run.seconds, rate: run.rate })
}

/** The background load for `seconds` + 2: it starts a second before the measured run and ends a second after. */
function backgroundLoad(target: Target, settings: BenchSettings): Promise<WrkResult> {
  const pool = target.prepared.background
  if (!pool) throw new Error('a beside run needs a scenario with background load')
  const { rate, connections } = settings.background
  return wrkOn(target, pool, settings, { seconds: settings.seconds + 2, connections, threads: 1, rate })
}

async function measure(spec: RunSpec, target: Target, settings: BenchSettings, round: Map<string, RunFigures>): Promise<RunFigures | undefined> {
  const pool = target.prepared.pool
  let result: RunFigures
  if (spec.mode === 'half-peak') {
    const peak = spec.of === undefined ? undefined : round.get(spec.of)
    if (!peak || !(peak.rps > 0)) return undefined
    const rate = peak.rps / 2
    result = { ...figures(await wrkOn(target, pool, settings, { seconds: settings.seconds, rate })), targetRate: rate }
  } else if (spec.mode === 'beside') {
    const background = backgroundLoad(target, settings)
    await sleep(1000)
    const measured = await wrkOn(target, pool, settings, { seconds: settings.seconds })
    const bg = await background
    result = { ...figures(measured), background: { rps: bg.rps, p99Ms: bg.p99Ms, errors: bg.statusErrors + bg.socketErrors } }
  } else {
    result = figures(await wrkOn(target, pool, settings, { seconds: settings.seconds }))
  }
  if (target.server.hasExited()) throw new Error(`${spec.label} exited during the run:\n${target.server.recentLog().join('\n')}`)
  return result
}

function describe(label: string, f: RunFigures): string {
  const rate = f.targetRate === undefined ? '' : `  (paced at ${f.targetRate.toFixed(0)} req/s)`
  const bg = f.background ? `  (beside: ${f.background.rps.toFixed(0)} req/s, p99 ${f.background.p99Ms.toFixed(2)} ms)` : ''
  const errors = f.statusErrors + f.socketErrors + (f.background?.errors ?? 0)
  return `${label.padEnd(18)} ${f.rps.toFixed(0).padStart(7)} req/s  p50 ${f.p50Ms.toFixed(2)} ms  p99 ${f.p99Ms.toFixed(2)} ms  errors ${errors}${rate}${bg}`
}

/** Runs `scenario` against fresh Trents and the shared echo server. Throws if a server dies mid-run. */
export async function benchScenario(scenario: Scenario, echo: ChildServer, settings: BenchSettings, progress: Progress): Promise<ScenarioResult> {
  const { trents, notes } = await startTrents(scenario)
  const extra: ChildServer[] = []
  try {
    const prepared = new Map<string, PreparedLoad>()
    for (const [name, trent] of trents) prepared.set(name, await prepare(trent, scenario))
    const [firstName, first] = [...trents][0] ?? []
    if (!firstName || !first) throw new Error(`${scenario.name}: no Trent could be started`)
    // The baseline gets the first Trent's request bodies and credentials, so the client does identical work.
    const targets = new Map<string, Target>([['bare', { server: echo, trent: first, prepared: prepared.get(firstName) as PreparedLoad }]])
    for (const [name, trent] of trents) targets.set(name, { server: trent.server, trent, prepared: prepared.get(name) as PreparedLoad })
    if (scenario.runs.some((r) => r.target === 'ceiling')) {
      const script = ceilingScript()
      if (script === undefined) {
        notes.push('the minimal server (../shared/bench-tools/ceiling-server.js, or TRENT_BENCH_CEILING) is not here: its row was left out')
      } else {
        // Signed with the first Trent's credentials and fed its bodies, like the baseline.
        const ceiling = await startCeilingServer(script, first.credentials.secretAccessKey)
        extra.push(ceiling)
        targets.set('ceiling', { server: ceiling, trent: first, prepared: prepared.get(firstName) as PreparedLoad })
      }
    }
    const runs = scenario.runs.filter((r) => targets.has(r.target))
    for (const name of new Set(runs.map((r) => r.target))) {
      const target = targets.get(name) as Target
      await wrkOn(target, target.prepared.pool, settings, { seconds: settings.warmupSeconds })
      if (runs.some((r) => r.target === name && r.mode === 'beside')) {
        await wrkOn(target, target.prepared.background ?? [], settings, { seconds: settings.warmupSeconds, ...settings.background, threads: 1 })
      }
    }
    const byLabel = new Map<string, RunFigures[]>(runs.map((r) => [r.label, []]))
    for (let round = 1; round <= settings.rounds; round++) {
      const thisRound = new Map<string, RunFigures>()
      for (const spec of runs) {
        const result = await measure(spec, targets.get(spec.target) as Target, settings, thisRound)
        if (!result) continue
        thisRound.set(spec.label, result)
        byLabel.get(spec.label)?.push(result)
        progress(`${scenario.name} ${round}/${settings.rounds} ${describe(spec.label, result)}`)
      }
    }
    const bare = byLabel.get('bare') ?? []
    const rows: RowResult[] = []
    for (const spec of runs) {
      const rounds = byLabel.get(spec.label) ?? []
      if (rounds.length === 0) continue
      const row = summarizeRow(spec, rounds, bare)
      if (row.errors > 0) row.errorSample = await sampleError(targets.get(spec.target) as Target, (targets.get(spec.target) as Target).prepared.pool[0] as BenchRequest)
      rows.push(row)
    }
    const trentInfo = [...trents].map(([name, t]) => ({ name, ...(scenario.trents[name]?.workers === undefined ? {} : { workersRequested: scenario.trents[name]?.workers }), processes: t.processes }))
    return { name: scenario.name, summary: scenario.summary, connections: settings.connections, rows, trents: trentInfo, notes }
  } finally {
    await Promise.all([...trents.values(), ...extra].map((t) => t.stop()))
  }
}
