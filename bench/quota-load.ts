// Throttling measured: a real Trent with the symmetric quota at 25/s and CreateKey at AWS's 5/s, driven at
// twice each rate for a few seconds; counts admitted and throttled requests (and any other outcome).
import { KMS } from '@aws-sdk/client-kms'
import { Agent } from 'node:http'
import { E2E_CREDENTIALS, E2E_REGION, startTrent } from '../test/e2e/support/server.js'

export interface QuotaMeasurement {
  quota: string
  ratePerSecond: number
  offeredPerSecond: number
  seconds: number
  /** From the first send to the last reply: longer than `seconds` when the machine could not keep the pace. */
  elapsedSeconds: number
  admitted: number
  throttled: number
  other: number
  /** Admitted requests over the elapsed time: the quota's rate plus one burst spread over the run. */
  admittedPerSecond: number
}

/** Sends `offered` requests per second, evenly paced, for `seconds`; counts outcomes. */
async function paced(send: () => Promise<unknown>, offered: number, seconds: number): Promise<{ admitted: number; throttled: number; other: number; elapsedSeconds: number }> {
  const counts = { admitted: 0, throttled: 0, other: 0, elapsedSeconds: 0 }
  const started = performance.now()
  const pending: Promise<void>[] = []
  for (let i = 0; i < offered * seconds; i++) {
    const due = started + (i * 1000) / offered
    const wait = due - performance.now()
    if (wait > 0) await new Promise((r) => setTimeout(r, wait))
    pending.push(send().then(() => { counts.admitted++ }, (e: { name?: string }) => { if (e.name === 'ThrottlingException') counts.throttled++; else counts.other++ }))
  }
  await Promise.all(pending)
  counts.elapsedSeconds = Math.round((performance.now() - started) / 100) / 10
  return counts
}

export async function measureQuotaAtTwiceTheRate(seconds = 10): Promise<QuotaMeasurement[]> {
  const server = await startTrent({ env: { TRENT_QUOTA_SYMMETRIC: '25', TRENT_QUOTA_BURST_SECONDS: '1' } })
  const kms = new KMS({
    endpoint: server.url, region: E2E_REGION, credentials: E2E_CREDENTIALS, maxAttempts: 1,
    requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: 400 }) },
  })
  try {
    const keyId = (await kms.createKey({})).KeyMetadata!.KeyId!
    await new Promise((r) => setTimeout(r, 1100)) // let the CreateKey bucket refill
    const results: QuotaMeasurement[] = []
    for (const [quota, rate, send] of [
      ['symmetric (Encrypt)', 25, () => kms.encrypt({ KeyId: keyId, Plaintext: Buffer.from('q') })],
      ['CreateKey', 5, () => kms.createKey({ Description: 'quota' })],
    ] as [string, number, () => Promise<unknown>][]) {
      const c = await paced(send, rate * 2, seconds)
      results.push({ quota, ratePerSecond: rate, offeredPerSecond: rate * 2, seconds, ...c, admittedPerSecond: Math.round((c.admitted / c.elapsedSeconds) * 10) / 10 })
      await new Promise((r) => setTimeout(r, 1100))
    }
    return results
  } finally {
    kms.destroy()
    await server.stop()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${JSON.stringify(await measureQuotaAtTwiceTheRate(Number(process.argv[2] ?? '10')), null, 2)}\n`)
}
