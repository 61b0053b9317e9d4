// `npm run soak -- --minutes N [--concurrency C]`: mixed traffic against a real Trent for N minutes (crypto,
// management, calls the caller is denied, bad input), reporting the server's RSS and heap at the start and
// end, p99 latency per minute, and any unexpected outcome; then the throttling measurement at 2x a quota.
// Not a test: figures from a shared machine are for direction only.
import { KMS } from '@aws-sdk/client-kms'
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { E2E_ACCOUNT_ID, E2E_CREDENTIALS, E2E_REGION, cleanupTrent, startTrent, type TrentProcess } from '../test/e2e/support/server.js'
import { createUserWithKey } from '../test/e2e/support/trent-cli.js'
import { measureQuotaAtTwiceTheRate } from './quota-load.js'

interface Sample { atSeconds: number; rssMiB: number; heapMiB: number }
interface Window { minute: number; requests: number; p50Ms: number; p99Ms: number; unexpected: number }

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!
}

/** The server's resident set (from /proc) and V8 heap in use (from its /metrics), in MiB. */
async function memoryOf(server: TrentProcess, atSeconds: number): Promise<Sample> {
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1] ?? 0)
  const metrics = await (await fetch(`${server.url}/metrics`)).text()
  const heap = Number(/^nodejs_heap_size_used_bytes (\S+)$/m.exec(metrics)?.[1] ?? 0)
  return { atSeconds, rssMiB: Math.round(rssKb / 102.4) / 10, heapMiB: Math.round(heap / 104857.6) / 10 }
}

type Call = { kind: string; run: () => Promise<unknown>; expect: string }

function mix(root: KMS, denied: KMS, keyId: string, signKeyId: string, blob: Uint8Array, n: number): Call {
  const pt = Buffer.alloc(256, n % 256)
  const calls: Call[] = [
    { kind: 'Encrypt', run: () => root.encrypt({ KeyId: keyId, Plaintext: pt }), expect: 'success' },
    { kind: 'Decrypt', run: () => root.decrypt({ CiphertextBlob: blob }), expect: 'success' },
    { kind: 'GenerateDataKey', run: () => root.generateDataKey({ KeyId: keyId, KeySpec: 'AES_256' }), expect: 'success' },
    { kind: 'Sign', run: () => root.sign({ KeyId: signKeyId, Message: pt, SigningAlgorithm: 'ECDSA_SHA_256' }), expect: 'success' },
    { kind: 'DescribeKey', run: () => root.describeKey({ KeyId: keyId }), expect: 'success' },
    { kind: 'ListAliases', run: () => root.listAliases({}), expect: 'success' },
    { kind: 'Denied', run: () => denied.encrypt({ KeyId: keyId, Plaintext: pt }), expect: 'AccessDeniedException' },
    { kind: 'BadInput', run: () => root.encrypt({ KeyId: 'not-a-key', Plaintext: pt }), expect: 'NotFoundException' },
    { kind: 'BadCiphertext', run: () => root.decrypt({ CiphertextBlob: Buffer.alloc(80, 7) }), expect: 'InvalidCiphertextException' },
  ]
  // Management writes a few times a second: tag, then a key made and scheduled for deletion.
  if (n % 200 === 0) return { kind: 'CreateKey+Delete', run: async () => {
    const id = (await root.createKey({ Description: 'soak' })).KeyMetadata!.KeyId!
    await root.tagResource({ KeyId: id, Tags: [{ TagKey: 'soak', TagValue: String(n) }] })
    await root.scheduleKeyDeletion({ KeyId: id, PendingWindowInDays: 7 })
  }, expect: 'success' }
  return calls[n % calls.length]!
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { minutes: { type: 'string' }, concurrency: { type: 'string' }, 'quota-seconds': { type: 'string' } }, strict: true })
  const minutes = Number(values.minutes ?? '5')
  const concurrency = Number(values.concurrency ?? '8')
  if (!(minutes > 0) || !(concurrency >= 1)) throw new Error('--minutes and --concurrency must be positive')
  const server = await startTrent({ env: { TRENT_QUOTAS: 'off' } })
  const root = new KMS({ endpoint: server.url, region: E2E_REGION, credentials: E2E_CREDENTIALS, maxAttempts: 1 })
  const deniedUser = await createUserWithKey(server.dataDir, E2E_ACCOUNT_ID, 'soak-denied')
  const denied = new KMS({ endpoint: server.url, region: E2E_REGION, credentials: deniedUser.credentials, maxAttempts: 1 })
  const keyId = (await root.createKey({})).KeyMetadata!.KeyId!
  const signKeyId = (await root.createKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' })).KeyMetadata!.KeyId!
  const blob = (await root.encrypt({ KeyId: keyId, Plaintext: Buffer.from('soak') })).CiphertextBlob!
  const started = performance.now()
  const memory: Sample[] = [await memoryOf(server, 0)]
  const windows: Window[] = []
  const unexpectedByKind: Record<string, number> = {}
  let latencies: number[] = []
  let unexpectedInWindow = 0
  let total = 0
  let n = 0
  const endAt = started + minutes * 60_000
  const loop = async () => {
    while (performance.now() < endAt) {
      const call = mix(root, denied, keyId, signKeyId, blob, n++)
      const t0 = performance.now()
      const outcome = await call.run().then(() => 'success', (e: { name?: string }) => e.name ?? 'Error')
      latencies.push(performance.now() - t0)
      total++
      if (outcome !== call.expect) {
        unexpectedInWindow++
        unexpectedByKind[`${call.kind}: ${outcome}`] = (unexpectedByKind[`${call.kind}: ${outcome}`] ?? 0) + 1
      }
    }
  }
  const ticker = setInterval(() => {
    const sorted = latencies.sort((a, b) => a - b)
    windows.push({ minute: windows.length + 1, requests: sorted.length, p50Ms: Math.round(percentile(sorted, 0.5) * 10) / 10, p99Ms: Math.round(percentile(sorted, 0.99) * 10) / 10, unexpected: unexpectedInWindow })
    process.stderr.write(`soak: minute ${windows.length}: ${sorted.length} requests, p99 ${windows.at(-1)!.p99Ms} ms, ${unexpectedInWindow} unexpected\n`)
    latencies = []
    unexpectedInWindow = 0
    void memoryOf(server, Math.round((performance.now() - started) / 1000)).then((s) => memory.push(s))
  }, 60_000)
  await Promise.all(Array.from({ length: concurrency }, loop))
  clearInterval(ticker)
  memory.push(await memoryOf(server, Math.round((performance.now() - started) / 1000)))
  root.destroy()
  denied.destroy()
  const stopped = await server.stop()
  const quota = await measureQuotaAtTwiceTheRate(Number(values['quota-seconds'] ?? '10'))
  await cleanupTrent()
  const first = memory[0]!
  const last = memory.at(-1)!
  process.stdout.write(`${JSON.stringify({
    minutes, concurrency, requests: total, requestsPerSecond: Math.round(total / (minutes * 60)),
    memory: { start: first, end: last, rssDriftMiB: Math.round((last.rssMiB - first.rssMiB) * 10) / 10, heapDriftMiB: Math.round((last.heapMiB - first.heapMiB) * 10) / 10, samples: memory },
    p99ByMinute: windows, unexpected: unexpectedByKind, serverExit: stopped, quotaAtTwiceTheRate: quota,
  }, null, 2)}\n`)
}

main().catch(async (e: unknown) => {
  process.stderr.write(`soak: ${e instanceof Error ? e.stack : String(e)}\n`)
  await cleanupTrent()
  process.exit(1)
})
