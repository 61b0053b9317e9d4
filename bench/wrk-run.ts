// Runs wrk once against one target with a pool of presigned requests and returns its figures.
// Async (a child process), so a background load can run beside a measured one.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { RESULT_MARKER, wrkScript } from './wrk-script.js'

export interface WrkOptions {
  wrk: string
  url: URL
  requests: readonly Uint8Array[]
  connections: number
  threads: number
  /** Whole seconds (wrk's -d takes no fractions). */
  seconds: number
  /** Total requests per second across threads; absent means closed loop (as fast as the server answers). */
  rate?: number
}

export interface WrkResult {
  /** 2xx/3xx replies per second over wrk's measured duration. */
  rps: number
  ok: number
  p50Ms: number
  p99Ms: number
  maxMs: number
  /** Replies with status >= 400. */
  statusErrors: number
  /** connect + read + write + timeout errors. */
  socketErrors: number
  durationS: number
}

/** Parses the line printed by the script's done(); throws Error naming wrk's output when it is missing. */
export function parseWrkOutput(stdout: string): WrkResult {
  const line = stdout.split('\n').find((l) => l.startsWith(`${RESULT_MARKER} `))
  if (line === undefined) throw new Error(`wrk printed no result line:\n${stdout}`)
  const field = (name: string): number => {
    const match = new RegExp(`\\b${name}=(\\d+)`).exec(line)
    if (!match) throw new Error(`wrk result line has no ${name}: ${line}`)
    return Number(match[1])
  }
  const requests = field('requests')
  const statusErrors = field('status_errors')
  const durationS = field('duration_us') / 1e6
  const ok = requests - statusErrors
  return {
    rps: durationS > 0 ? ok / durationS : 0,
    ok,
    p50Ms: field('p50_us') / 1000,
    p99Ms: field('p99_us') / 1000,
    maxMs: field('max_us') / 1000,
    statusErrors,
    socketErrors: field('connect') + field('read') + field('write') + field('timeout'),
    durationS,
  }
}

/** Runs wrk to completion. Rejects when wrk fails to start, exits non-zero or prints no result. */
export function runWrk(options: WrkOptions): Promise<WrkResult> {
  const threads = Math.min(options.threads, options.connections)
  const dir = mkdtempSync(join(tmpdir(), 'trent-wrk-'))
  const script = join(dir, 'requests.lua')
  writeFileSync(script, wrkScript({ requests: options.requests, ratePerThread: options.rate === undefined ? undefined : options.rate / threads }))
  const args = ['-t', String(threads), '-c', String(options.connections), '-d', `${options.seconds}s`, '--timeout', '5s', '-s', script, options.url.href]
  return new Promise<WrkResult>((resolve, reject) => {
    const child = spawn(options.wrk, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.once('error', reject)
    child.once('close', (code) => {
      if (code !== 0) return reject(new Error(`wrk exited with ${code}: ${stderr}${stdout}`))
      try {
        resolve(parseWrkOutput(stdout))
      } catch (e) {
        reject(e)
      }
    })
  }).finally(() => rmSync(dir, { recursive: true, force: true }))
}
