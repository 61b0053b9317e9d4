// `node dist/bench/audit-cost.js`: Encrypt throughput with auditing on vs off (TRENT_BENCH_AUDIT=off), two
// Trents side by side measured in alternation, plus the group-commit batch sizes the audited one reported.
// Load: wrk replaying presigned requests, as in `npm run bench`.
// Flags: --duration <s> --concurrency <n> --repeats <n>
import { parseArgs } from 'node:util'
import { drive } from './drive.js'
import { createKmsApi } from './kms-api.js'
import { allScenarios, type BenchRequest } from './scenarios.js'
import { median } from './stats.js'
import { startTrent, type TrentProcess } from './trent-process.js'
import { ensureWrk } from './wrk-install.js'
import type { WrkResult } from './wrk-run.js'

function measure(wrk: string, trent: TrentProcess, pool: BenchRequest[], opts: { concurrency: number; seconds: number }): Promise<WrkResult> {
  return drive(wrk, { url: trent.server.url, region: trent.region, credentials: trent.credentials }, pool, { seconds: opts.seconds, connections: opts.concurrency, threads: 2 })
}

/** Batch-size histogram and mean from the audited server's /metrics. */
async function batchSizes(trent: TrentProcess): Promise<{ mean: number; batches: number; buckets: string }> {
  const text = await (await fetch(new URL('/metrics', trent.server.url))).text()
  const value = (name: string) => Number(text.split('\n').find((l) => l.startsWith(`${name} `))?.split(' ')[1] ?? Number.NaN)
  const sum = value('trent_audit_batch_size_sum')
  const count = value('trent_audit_batch_size_count')
  let previous = 0
  const buckets = text.split('\n').filter((l) => l.startsWith('trent_audit_batch_size_bucket')).map((l) => {
    const le = /le="([^"]+)"/.exec(l)?.[1]
    const cumulative = Number(l.split(' ')[1])
    const inBucket = cumulative - previous
    previous = cumulative
    return `≤${le}: ${inBucket}`
  }).join(', ')
  return { mean: sum / count, batches: count, buckets }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { duration: { type: 'string', default: '5' }, concurrency: { type: 'string', default: '16' }, repeats: { type: 'string', default: '3' } }, strict: true })
  const opts = { seconds: Math.max(1, Math.round(Number(values.duration))), concurrency: Number(values.concurrency) }
  const wrk = ensureWrk((line) => process.stderr.write(`${line}\n`))
  const encrypt = allScenarios({ workers: 1 }).find((s) => s.name === 'encrypt')!
  const on = await startTrent()
  const off = await startTrent({ env: { TRENT_BENCH_AUDIT: 'off' } })
  try {
    const prepare = async (t: TrentProcess) => {
      const api = createKmsApi(t.server.url, t.region, t.credentials)
      return encrypt.prepare(api).finally(() => api.close())
    }
    const [onReq, offReq] = [(await prepare(on)).pool, (await prepare(off)).pool]
    await measure(wrk, on, onReq, { ...opts, seconds: 1 })
    await measure(wrk, off, offReq, { ...opts, seconds: 1 })
    const rps = { on: [] as number[], off: [] as number[] }
    for (let round = 1; round <= Number(values.repeats); round++) {
      const a = await measure(wrk, on, onReq, opts)
      const b = await measure(wrk, off, offReq, opts)
      const failed = a.statusErrors + a.socketErrors + b.statusErrors + b.socketErrors
      if (failed > 0) throw new Error(`${failed} requests failed`)
      rps.on.push(a.rps)
      rps.off.push(b.rps)
      process.stderr.write(`round ${round}: audit on ${a.rps.toFixed(0)} req/s (p99 ${a.p99Ms.toFixed(2)} ms), off ${b.rps.toFixed(0)} req/s (p99 ${b.p99Ms.toFixed(2)} ms)\n`)
    }
    const batches = await batchSizes(on)
    const ratio = median(rps.on) / median(rps.off)
    process.stdout.write(`Encrypt 4096 B, concurrency ${opts.concurrency}: audit on ${median(rps.on).toFixed(0)} req/s, off ${median(rps.off).toFixed(0)} req/s, ratio ${(ratio * 100).toFixed(1)}% (goal ≥ 80%)\n`)
    process.stdout.write(`group commit: ${batches.batches} batches, mean ${batches.mean.toFixed(2)} records per batch; ${batches.buckets}\n`)
  } finally {
    await on.stop()
    await off.stop()
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`audit-cost: ${e instanceof Error ? e.message : String(e)}\n`)
  process.exit(1)
})
