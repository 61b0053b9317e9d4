// The targets, checked against one bench run. A goal whose scenario was not run is left out.
import type { ScenarioResult } from './bench-scenario.js'
import type { RowResult } from './summary.js'
import type { StartupTimes } from './time-to-listen.js'

export interface GoalCheck {
  goal: string
  measured: string
  /** undefined: informational, no threshold. */
  pass?: boolean
}

export const BARE_MINIMUM_RPS = 15_000

function row(results: readonly ScenarioResult[], scenario: string, label: string): RowResult | undefined {
  return results.find((r) => r.name === scenario)?.rows.find((r) => r.label === label)
}

const ms = (v: number) => `${v.toFixed(2)} ms`

function ratioGoals(results: readonly ScenarioResult[]): GoalCheck[] {
  const checks: GoalCheck[] = []
  const wanted: [string, string, number][] = [['encrypt', 'Encrypt 4 KiB', 0.3], ['decrypt', 'Decrypt', 0.3], ['generate-data-key', 'GenerateDataKey', 0.3], ['sign-p256', 'Sign ECDSA P-256', 0.2]]
  for (const [scenario, name, min] of wanted) {
    const trent = row(results, scenario, 'trent')
    if (trent) checks.push({ goal: `${name} ≥ ${min}× bare`, measured: `${trent.ratio.toFixed(3)}× (${trent.rps.toFixed(0)} req/s)`, pass: trent.ratio >= min })
  }
  return checks
}

/** How far Trent is from the minimal audited server measured in the same rounds: robust to the host's speed of the day. */
function ceilingGoal(results: readonly ScenarioResult[]): GoalCheck[] {
  const trent = row(results, 'encrypt', 'trent')
  const ceiling = row(results, 'encrypt', 'ceiling')
  if (!trent || !ceiling) return []
  return [{ goal: 'Encrypt: Trent vs the minimal audited server (bench-tools/ceiling-server.js)', measured: `${(trent.rps / ceiling.rps).toFixed(2)}× (${ceiling.rps.toFixed(0)} → ${trent.rps.toFixed(0)} req/s; ceiling ${ceiling.ratio.toFixed(3)}× bare)` }]
}

function halfPeakGoals(results: readonly ScenarioResult[]): GoalCheck[] {
  const checks: GoalCheck[] = []
  for (const r of results) {
    const half = r.rows.find((x) => x.mode === 'half-peak')
    if (!half || half.targetRate === undefined) continue
    checks.push({ goal: `${r.name}: p99 < 5 ms at half the peak rate`, measured: `${ms(half.p99Ms)} at ${half.rps.toFixed(0)} req/s`, pass: half.p99Ms < 5 })
    // Pacing that fell short measured a lower rate than claimed: say so rather than pass quietly.
    if (half.rps < half.targetRate * 0.95) checks.push({ goal: `${r.name}: paced run reached its rate`, measured: `${half.rps.toFixed(0)} of ${half.targetRate.toFixed(0)} req/s`, pass: false })
  }
  return checks
}

function isolationGoal(results: readonly ScenarioResult[], backgroundRate: number | undefined): GoalCheck[] {
  const alone = row(results, 'encrypt-beside-rsa-sign', 'trent alone')
  const loaded = row(results, 'encrypt-beside-rsa-sign', 'trent + RSA sign')
  if (!alone || !loaded) return []
  const factor = loaded.p99Ms / alone.p99Ms
  const achieved = loaded.backgroundRps ?? 0
  const checks: GoalCheck[] = [{
    goal: 'Encrypt p99 beside RSA-2048 Sign ≤ 2× alone',
    measured: `${factor.toFixed(2)}× (${ms(alone.p99Ms)} → ${ms(loaded.p99Ms)}; RSA Sign beside at ${achieved.toFixed(0)} req/s)`,
    pass: factor <= 2,
  }]
  // A background load that fell short of its rate made the loaded run easier than claimed.
  if (backgroundRate !== undefined && achieved < backgroundRate * 0.95) {
    checks.push({ goal: 'RSA-2048 Sign load reached its rate', measured: `${achieved.toFixed(0)} of ${backgroundRate} req/s`, pass: false })
  }
  return checks
}

function workersGoal(results: readonly ScenarioResult[]): GoalCheck[] {
  const scenario = results.find((r) => r.name === 'workers')
  const one = scenario?.rows.find((r) => r.label === 'workers=1')
  const many = scenario?.rows.find((r) => r.label !== 'workers=1' && r.label.startsWith('workers='))
  if (!one || !many) return []
  return [{ goal: `${many.label} vs workers=1 (Encrypt req/s)`, measured: `${(many.rps / one.rps).toFixed(2)}× (${one.rps.toFixed(0)} → ${many.rps.toFixed(0)} req/s)` }]
}

/** Every goal the run can speak to, in the order. */
export function checkGoals(results: readonly ScenarioResult[], startup: StartupTimes | undefined, load: { backgroundRate?: number } = {}): GoalCheck[] {
  const bares = results.flatMap((r) => r.rows.filter((x) => x.target === 'bare'))
  const checks: GoalCheck[] = []
  if (bares.length > 0) {
    const lowest = Math.min(...bares.map((b) => b.rps))
    checks.push({ goal: `bare node:http ≥ ${BARE_MINIMUM_RPS} req/s (the client is not the bottleneck)`, measured: `lowest scenario median ${lowest.toFixed(0)} req/s`, pass: lowest >= BARE_MINIMUM_RPS })
  }
  checks.push(...ratioGoals(results), ...ceilingGoal(results), ...halfPeakGoals(results), ...isolationGoal(results, load.backgroundRate), ...workersGoal(results))
  if (startup) checks.push({ goal: 'time to listening < 1 s on a built tree', measured: `median ${startup.medianRestartMs.toFixed(0)} ms (first start ${startup.firstStartMs.toFixed(0)} ms)`, pass: startup.medianRestartMs < 1000 })
  return checks
}
