// Presents bench results: a compact text table for the terminal and a JSON file for later comparison.
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { dirname } from 'node:path'
import type { LoadSettings, ScenarioResult, TargetSummary } from './bench-scenario.js'

const HEADER = ['scenario', 'target', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'trent÷bare']

function row(name: string, target: string, t: TargetSummary, ratio: string): string[] {
  return [name, target, t.rps.toFixed(0), t.p50Ms.toFixed(2), t.p99Ms.toFixed(2), String(t.errorCount), ratio]
}

function align(rows: string[][]): string {
  const widths = HEADER.map((_, col) => Math.max(...rows.map((r) => (r[col] ?? '').length)))
  // The first two columns are names (left-aligned); the rest are figures (right-aligned).
  const format = (r: string[]) => r.map((cell, col) => (col < 2 ? cell.padEnd(widths[col] ?? 0) : cell.padStart(widths[col] ?? 0))).join('  ')
  return rows.map((r) => format(r).trimEnd()).join('\n')
}

/** The results table (medians of the repeated runs), followed by a breakdown of any errors. */
export function formatTable(results: readonly ScenarioResult[], settings: LoadSettings): string {
  const rows = [HEADER]
  for (const r of results) {
    rows.push(row(r.name, 'bare', r.bare, ''))
    rows.push(row('', 'trent', r.trent, r.ratio.toFixed(3)))
  }
  const lines = [
    `medians of ${settings.repeats} interleaved runs; concurrency ${settings.concurrency}, ${settings.durationMs / 1000} s measured after ${settings.warmupMs / 1000} s warm-up`,
    align(rows),
  ]
  lines.push(...comparisons(results))
  for (const r of results) {
    for (const [target, t] of [['bare', r.bare], ['trent', r.trent]] as const) {
      for (const [kind, n] of Object.entries(t.errors)) lines.push(`errors: ${r.name} ${target}: ${kind} × ${n}`)
    }
  }
  return lines.join('\n')
}

/**
 * Cross-scenario figures the issues ask for. Each scenario ran in its own Trent process at its own time, so
 * beside the raw ratio we print the ratio of the two trent÷bare ratios, which cancels machine-wide drift.
 */
function comparisons(results: readonly ScenarioResult[]): string[] {
  const find = (name: string) => results.find((r) => r.name === name)
  const lines: string[] = []
  const [audited, unaudited] = [find('encrypt'), find('encrypt-audit-off')]
  if (audited && unaudited) {
    lines.push(`audit on ÷ off (Encrypt req/s): ${(audited.trent.rps / unaudited.trent.rps).toFixed(3)} raw, ${(audited.ratio / unaudited.ratio).toFixed(3)} normalised by each run's bare baseline`)
  }
  const [alone, beside] = [find('encrypt'), find('encrypt-beside-rsa-sign')]
  if (alone && beside) {
    lines.push(`Encrypt p99 alone ${alone.trent.p99Ms.toFixed(2)} ms, beside RSA-2048 Sign load ${beside.trent.p99Ms.toFixed(2)} ms (bare p99 in those runs: ${alone.bare.p99Ms.toFixed(2)} / ${beside.bare.p99Ms.toFixed(2)} ms)`)
  }
  return lines
}

/** Writes the full results (every run, plus the machine's context) as pretty JSON, creating the directory. */
export function writeJsonReport(path: string, results: readonly ScenarioResult[], settings: LoadSettings): void {
  const report = {
    finishedAt: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    loadAverage: loadavg(),
    settings,
    scenarios: results,
  }
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`)
}
