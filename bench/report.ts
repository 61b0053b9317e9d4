// Presents a bench run three ways: text tables for the terminal, JSON for comparison, and bench/RESULTS.md.
import { mkdirSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus, loadavg, release } from 'node:os'
import { dirname } from 'node:path'
import type { ScenarioResult } from './bench-scenario.js'
import type { GoalCheck } from './goals.js'
import type { RowResult } from './summary.js'
import type { StartupTimes } from './time-to-listen.js'

export interface BenchReport {
  finishedAt: string
  machine: { nproc: number; cpuModel: string; node: string; platform: string; loadAverageAtEnd: number[] }
  settings: Record<string, unknown>
  method: string[]
  scenarios: ScenarioResult[]
  startup?: StartupTimes
  goals: GoalCheck[]
  warnings: string[]
}

export function machine(): BenchReport['machine'] {
  return {
    nproc: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    platform: `${process.platform}-${process.arch} ${release()}`,
    loadAverageAtEnd: loadavg().map((v) => Number(v.toFixed(2))),
  }
}

const HEADER = ['run', 'req/s', 'p50 ms', 'p99 ms', '÷ bare', 'errors', 'note']

function note(r: RowResult): string {
  const parts: string[] = []
  if (r.targetRate !== undefined) parts.push(`paced at ${r.targetRate.toFixed(0)} req/s`)
  if (r.backgroundRps !== undefined) parts.push(`RSA Sign beside: ${r.backgroundRps.toFixed(0)} req/s, p99 ${r.backgroundP99Ms?.toFixed(2) ?? '?'} ms`)
  if (r.errorSample) parts.push(`error: ${r.errorSample}`)
  return parts.join('; ')
}

function cells(r: RowResult): string[] {
  return [r.label, r.rps.toFixed(0), r.p50Ms.toFixed(2), r.p99Ms.toFixed(2), r.ratio.toFixed(3), String(r.errors), note(r)]
}

function align(rows: string[][]): string {
  const widths = HEADER.map((_, col) => Math.max(...rows.map((r) => (r[col] ?? '').length)))
  // Names and notes left-aligned, figures right-aligned.
  const pad = (cell: string, col: number) => (col === 0 || col === HEADER.length - 1 ? cell.padEnd(widths[col] ?? 0) : cell.padStart(widths[col] ?? 0))
  return rows.map((r) => `  ${r.map(pad).join('  ').trimEnd()}`).join('\n')
}

function verdict(g: GoalCheck): string {
  return g.pass === undefined ? 'info' : g.pass ? 'PASS' : 'FAIL'
}

function heading(s: ScenarioResult, rounds: unknown): string {
  const trents = s.trents.map((t) => `${t.name}: ${t.processes} process${t.processes === 1 ? '' : 'es'}`).join(', ')
  return `${s.name}: ${s.summary}\n  ${s.connections} connections, medians of ${String(rounds)} rounds; ${trents}`
}

/** The terminal report: a table per scenario, notes, goal checks and warnings. */
export function formatText(report: BenchReport): string {
  const out: string[] = []
  for (const s of report.scenarios) {
    out.push(heading(s, report.settings.rounds), align([HEADER, ...s.rows.map(cells)]))
    for (const n of s.notes) out.push(`  note: ${n}`)
    out.push('')
  }
  if (report.startup) out.push(`time to listening: median ${report.startup.medianRestartMs.toFixed(0)} ms over ${report.startup.restartsMs.length} restarts (${report.startup.restartsMs.map((v) => v.toFixed(0)).join(', ')}); first start ${report.startup.firstStartMs.toFixed(0)} ms`, '')
  out.push('goals (issue 9):')
  for (const g of report.goals) out.push(`  ${verdict(g).padEnd(4)}  ${g.goal}: ${g.measured}`)
  for (const w of report.warnings) out.push(`WARNING: ${w}`)
  return out.join('\n')
}

function markdownTable(rows: RowResult[]): string {
  const line = (c: string[]) => `| ${c.map((x) => x.replace(/\|/g, '\\|')).join(' | ')} |`
  return [line(HEADER), line(HEADER.map((_, i) => (i === 0 || i === HEADER.length - 1 ? '---' : '---:'))), ...rows.map((r) => line(cells(r)))].join('\n')
}

/** bench/RESULTS.md: the latest figures, when and where they were taken, and how. */
export function formatMarkdown(report: BenchReport): string {
  const m = report.machine
  const out = [
    '# Benchmark results',
    '',
    `Latest \`npm run bench\`: ${report.finishedAt} on ${m.nproc} CPUs (${m.cpuModel}), Node ${m.node}, ${m.platform}; load average at the end ${m.loadAverageAtEnd.join(' / ')}.`,
    `Settings: \`${JSON.stringify(report.settings)}\`.`,
    'This file is rewritten by every run; figures from a shared or busy machine are for direction only.',
    '',
    '## Method',
    '',
    ...report.method.map((l) => `- ${l}`),
    '',
    '## Goals (issue 9)',
    '',
    '| verdict | goal | measured |',
    '| --- | --- | --- |',
    ...report.goals.map((g) => `| ${verdict(g)} | ${g.goal} | ${g.measured} |`),
    '',
  ]
  for (const w of report.warnings) out.push(`**Warning:** ${w}`, '')
  for (const s of report.scenarios) {
    out.push(`## ${s.name}`, '', `${s.summary}. ${s.connections} connections, medians of ${String(report.settings.rounds)} rounds; ${s.trents.map((t) => `${t.name}: ${t.processes} process(es)`).join(', ')}.`, '', markdownTable(s.rows), '')
    for (const n of s.notes) out.push(`Note: ${n}`, '')
  }
  if (report.startup) {
    const st = report.startup
    out.push('## Time to listening', '', `\`node dist/src/main.js\` to its "trent listening" line: median ${st.medianRestartMs.toFixed(0)} ms over ${st.restartsMs.length} restarts on one data dir (${st.restartsMs.map((v) => v.toFixed(0)).join(', ')} ms); the first start, which creates the database, ${st.firstStartMs.toFixed(0)} ms.`, '')
  }
  return out.join('\n')
}

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, text)
}

export function writeReports(report: BenchReport, paths: { json: string; markdown?: string }): void {
  write(paths.json, `${JSON.stringify(report, null, 2)}\n`)
  if (paths.markdown) write(paths.markdown, formatMarkdown(report))
}
