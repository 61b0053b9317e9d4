// The closed-loop load client: a fixed number of workers, each signing and sending one request at a time
// over a keep-alive agent, for a warm-up period and then a measured window.
import { Agent } from 'node:http'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { errorTypeOf, sendPost } from './http-send.js'
import type { BenchRequest } from './scenarios.js'
import type { RequestSigner } from './sign-request.js'
import { summarizeLatencies } from './stats.js'

export interface LoadOptions {
  url: URL
  sign: RequestSigner
  concurrency: number
  warmupMs: number
  durationMs: number
  /** The i-th request of the run; every run starts again at 0, so both targets get the same sequence. */
  request(index: number): BenchRequest
}

export interface LoadResult {
  /** Successful (200) responses that completed inside the measured window. */
  requests: number
  rps: number
  p50Ms: number
  p99Ms: number
  /** Failures over the whole run, warm-up included: `__type` of non-200 replies, or the socket error code. */
  errors: Record<string, number>
  errorCount: number
}

interface RunState {
  next: number
  measureFrom: number
  deadline: number
  latenciesMs: number[]
  errors: Map<string, number>
}

function countError(state: RunState, kind: string): void {
  state.errors.set(kind, (state.errors.get(kind) ?? 0) + 1)
}

async function worker(options: LoadOptions, agent: Agent, state: RunState): Promise<void> {
  while (performance.now() < state.deadline) {
    const { target, body } = options.request(state.next++)
    const headers = await options.sign(target, body)
    const start = performance.now()
    try {
      const reply = await sendPost(options.url, agent, headers, body)
      const end = performance.now()
      if (reply.status !== 200) countError(state, errorTypeOf(reply))
      // Counting by completion time measures the steady-state rate, with no edge effect at either end.
      else if (end >= state.measureFrom && end <= state.deadline) state.latenciesMs.push(end - start)
    } catch (e) {
      countError(state, (e as NodeJS.ErrnoException).code ?? String(e))
      // Back off briefly so a dead server yields a count of failures, not a hot loop exhausting local ports.
      await sleep(10)
    }
  }
}

/** Drives `options.url` for warm-up + duration and reports throughput and latency of the measured window. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  // A fresh agent per run: sockets idle from an earlier run may have been closed by the server's keep-alive timeout.
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency })
  const startedAt = performance.now()
  const state: RunState = {
    next: 0,
    measureFrom: startedAt + options.warmupMs,
    deadline: startedAt + options.warmupMs + options.durationMs,
    latenciesMs: [],
    errors: new Map(),
  }
  try {
    await Promise.all(Array.from({ length: options.concurrency }, () => worker(options, agent, state)))
  } finally {
    agent.destroy()
  }
  const latency = summarizeLatencies(state.latenciesMs)
  const errors = Object.fromEntries(state.errors)
  const errorCount = [...state.errors.values()].reduce((a, b) => a + b, 0)
  return { requests: latency.count, rps: latency.count / (options.durationMs / 1000), p50Ms: latency.p50Ms, p99Ms: latency.p99Ms, errors, errorCount }
}
