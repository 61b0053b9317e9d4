// `node dist/bench/sign-hot-path.js`: in-process Sign throughput through the real dispatch (harness), for
// ECC_NIST_P384 and RSA_2048 keys, with a fixed number of calls in flight. Prints the median of the rounds.
// Flags: --calls <n per round> --rounds <n> --concurrency <n>
import { parseArgs } from 'node:util'
import { b64, createHarness, type Harness } from '../test/support/harness.js'
import { createKey } from '../test/support/kms-fixtures.js'
import { median } from './stats.js'

const specs = [
  { keySpec: 'ECC_NIST_P384', algorithm: 'ECDSA_SHA_384' },
  { keySpec: 'RSA_2048', algorithm: 'RSASSA_PSS_SHA_256' },
] as const

async function round(h: Harness, keyId: string, algorithm: string, calls: number, concurrency: number): Promise<number> {
  const body = { KeyId: keyId, Message: b64('benchmark message'), SigningAlgorithm: algorithm }
  let left = calls
  const lane = async () => {
    while (left-- > 0) {
      const res = await h.call('Sign', body)
      if (res.status !== 200) throw new Error(`Sign failed: ${JSON.stringify(res.body)}`)
    }
  }
  const start = performance.now()
  await Promise.all(Array.from({ length: concurrency }, lane))
  return calls / ((performance.now() - start) / 1000)
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { calls: { type: 'string', default: '2000' }, rounds: { type: 'string', default: '5' }, concurrency: { type: 'string', default: '8' } } })
  const calls = Number(values.calls)
  const rounds = Number(values.rounds)
  const concurrency = Number(values.concurrency)
  const h = await createHarness()
  for (const spec of specs) {
    const key = await createKey(h, { KeySpec: spec.keySpec, KeyUsage: 'SIGN_VERIFY' })
    await round(h, key.keyId, spec.algorithm, 200, concurrency) // warm-up: workers started, key cached
    const rates: number[] = []
    for (let i = 0; i < rounds; i++) rates.push(await round(h, key.keyId, spec.algorithm, calls, concurrency))
    console.log(`${spec.keySpec}: median ${median(rates).toFixed(0)} Sign/s over ${rounds} rounds of ${calls} (${rates.map((r) => r.toFixed(0)).join(', ')})`)
  }
  await h.close()
  process.exit(0)
}

await main()
