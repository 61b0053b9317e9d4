// Turns per-round figures into the reported row: medians over rounds, and the ratio to the bare baseline taken
// round by round (each Trent run against the baseline measured minutes, not hours, apart) before the median.
import { median } from './stats.js'

export interface RunFigures {
  rps: number
  p50Ms: number
  p99Ms: number
  maxMs: number
  statusErrors: number
  socketErrors: number
  /** The pacing rate asked of wrk (half-peak runs). */
  targetRate?: number
  /** The unmeasured load beside the run, as achieved. */
  background?: { rps: number; p99Ms: number; errors: number }
}

export interface RowResult {
  label: string
  target: string
  mode: 'peak' | 'half-peak' | 'beside'
  rounds: RunFigures[]
  rps: number
  p50Ms: number
  p99Ms: number
  /** Median over rounds of (this row's req/s ÷ the baseline's req/s in the same round). */
  ratio: number
  errors: number
  errorSample?: string
  targetRate?: number
  backgroundRps?: number
  backgroundP99Ms?: number
}

function medianOf(values: readonly (number | undefined)[]): number | undefined {
  const present = values.filter((v): v is number => v !== undefined)
  return present.length === 0 ? undefined : median(present)
}

/** The row for `rounds`, given the baseline's figures of the same rounds (same index = same round). */
export function summarizeRow(spec: { label: string; target: string; mode: RowResult['mode'] }, rounds: readonly RunFigures[], bare: readonly RunFigures[]): RowResult {
  if (rounds.length === 0) throw new RangeError(`no rounds measured for ${spec.label}`)
  const ratios = rounds.map((r, i) => r.rps / (bare[i]?.rps ?? Number.NaN))
  const row: RowResult = {
    ...spec,
    rounds: [...rounds],
    rps: median(rounds.map((r) => r.rps)),
    p50Ms: median(rounds.map((r) => r.p50Ms)),
    p99Ms: median(rounds.map((r) => r.p99Ms)),
    ratio: median(ratios),
    errors: rounds.reduce((sum, r) => sum + r.statusErrors + r.socketErrors + (r.background?.errors ?? 0), 0),
  }
  const targetRate = medianOf(rounds.map((r) => r.targetRate))
  if (targetRate !== undefined) row.targetRate = targetRate
  const backgroundRps = medianOf(rounds.map((r) => r.background?.rps))
  if (backgroundRps !== undefined) row.backgroundRps = backgroundRps
  const backgroundP99Ms = medianOf(rounds.map((r) => r.background?.p99Ms))
  if (backgroundP99Ms !== undefined) row.backgroundP99Ms = backgroundP99Ms
  return row
}
