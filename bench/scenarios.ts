// The scenario registry: the only list of what `npm run bench` measures. A scenario names the Trent processes it
// needs, the runs of each round (in order: the interleaving), and prepares its request pool through the API.
import { randomBytes } from 'node:crypto'
import type { KmsApi } from './kms-api.js'
import type { TrentOptions } from './trent-process.js'

export interface BenchRequest {
  /** The X-Amz-Target value, e.g. `TrentService.Encrypt`. */
  target: string
  /** The JSON body, encoded once up front so both targets receive identical bytes. */
  body: Uint8Array
}

export interface PreparedLoad {
  /** The measured requests; wrk cycles through them. The baseline gets the same bodies. */
  pool: BenchRequest[]
  /** Unmeasured load sent beside a `beside` run, on its own connections (never to the baseline). */
  background?: BenchRequest[]
}

/**
 * One measurement per round. `peak`: closed loop, as fast as the target answers. `half-peak`: paced at half the
 * rate `of` reached in the same round. `beside`: `peak` while the scenario's background load runs on the target.
 */
export interface RunSpec {
  label: string
  /** 'bare' (the echo baseline), 'ceiling' (the judges' minimal audited Encrypt server, when present) or a key of `Scenario.trents`. */
  target: string
  mode: 'peak' | 'half-peak' | 'beside'
  of?: string
}

export interface Scenario {
  name: string
  summary: string
  /** The Trent processes this scenario starts, by name; each is prepared separately (its own keys). */
  trents: Record<string, TrentOptions>
  runs: RunSpec[]
  prepare(api: KmsApi): Promise<PreparedLoad>
}

export interface ScenarioSettings {
  /** The N of the 1-vs-N workers comparison. */
  workers: number
}

const PLAINTEXT_BYTES = 4096
const POOL = 64

function jsonRequest(operation: string, input: unknown): BenchRequest {
  return { target: `TrentService.${operation}`, body: Buffer.from(JSON.stringify(input)) }
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64')

async function createKey(api: KmsApi, input: Record<string, unknown>): Promise<string> {
  const reply = await api.call('CreateKey', { Description: 'trent bench', ...input })
  const keyId = (reply.KeyMetadata as { KeyId?: unknown } | undefined)?.KeyId
  if (typeof keyId !== 'string') throw new Error('CreateKey reply has no KeyMetadata.KeyId')
  return keyId
}

/** Distinct plaintexts, so no layer can answer from a cache of identical requests. */
async function encryptPool(api: KmsApi): Promise<BenchRequest[]> {
  const keyId = await createKey(api, {})
  return Array.from({ length: POOL }, () => jsonRequest('Encrypt', { KeyId: keyId, Plaintext: b64(randomBytes(PLAINTEXT_BYTES)) }))
}

async function decryptPool(api: KmsApi): Promise<BenchRequest[]> {
  const pool: BenchRequest[] = []
  for (const encrypt of await encryptPool(api)) {
    const reply = await api.call('Encrypt', JSON.parse(Buffer.from(encrypt.body).toString('utf8')))
    if (typeof reply.CiphertextBlob !== 'string') throw new Error('Encrypt reply has no CiphertextBlob')
    pool.push(jsonRequest('Decrypt', { CiphertextBlob: reply.CiphertextBlob }))
  }
  return pool
}

async function signPool(api: KmsApi, keySpec: string, algorithm: string, message: () => Record<string, string>): Promise<BenchRequest[]> {
  const keyId = await createKey(api, { KeySpec: keySpec, KeyUsage: 'SIGN_VERIFY' })
  return Array.from({ length: POOL }, () => jsonRequest('Sign', { KeyId: keyId, SigningAlgorithm: algorithm, ...message() }))
}

const p256Raw = (api: KmsApi) => signPool(api, 'ECC_NIST_P256', 'ECDSA_SHA_256', () => ({ Message: b64(randomBytes(32)), MessageType: 'RAW' }))
const p256Digest = (api: KmsApi) => signPool(api, 'ECC_NIST_P256', 'ECDSA_SHA_256', () => ({ Message: b64(randomBytes(32)), MessageType: 'DIGEST' }))
const rsaPss = (api: KmsApi) => signPool(api, 'RSA_2048', 'RSASSA_PSS_SHA_256', () => ({ Message: b64(randomBytes(256)), MessageType: 'RAW' }))

/** bare, trent, then trent paced at half of the peak it just reached (the "p99 at half the peak rate"). */
const PEAK_AND_HALF: RunSpec[] = [
  { label: 'bare', target: 'bare', mode: 'peak' },
  { label: 'trent', target: 'trent', mode: 'peak' },
  { label: 'trent @50%', target: 'trent', mode: 'half-peak', of: 'trent' },
]

/** The Encrypt runs add the minimal server the issue is judged against, measured in the same round. */
const PEAK_CEILING_AND_HALF: RunSpec[] = [PEAK_AND_HALF[0] as RunSpec, PEAK_AND_HALF[1] as RunSpec, { label: 'ceiling', target: 'ceiling', mode: 'peak' }, PEAK_AND_HALF[2] as RunSpec]

function peakScenario(name: string, summary: string, prepare: (api: KmsApi) => Promise<BenchRequest[]>, runs = PEAK_AND_HALF): Scenario {
  return { name, summary, trents: { trent: {} }, runs, prepare: async (api) => ({ pool: await prepare(api) }) }
}

/** Every scenario; `defaultScenarioNames` are the ones `npm run bench` runs without --scenarios. */
export function allScenarios(settings: ScenarioSettings): Scenario[] {
  const workersN = `workers=${settings.workers}`
  return [
    peakScenario('encrypt', `Encrypt ${PLAINTEXT_BYTES} B plaintexts (pool of ${POOL}) under a symmetric key`, encryptPool, PEAK_CEILING_AND_HALF),
    peakScenario('decrypt', `Decrypt ${POOL} ciphertexts of ${PLAINTEXT_BYTES} B plaintexts`, decryptPool),
    peakScenario('generate-data-key', 'GenerateDataKey AES_256 under a symmetric key', async (api) => [jsonRequest('GenerateDataKey', { KeyId: await createKey(api, {}), KeySpec: 'AES_256' })]),
    peakScenario('sign-p256', 'Sign ECC_NIST_P256 ECDSA_SHA_256, 32 B RAW messages (OpenSSL)', p256Raw),
    {
      name: 'encrypt-beside-rsa-sign',
      summary: `Encrypt ${PLAINTEXT_BYTES} B alone, then while RSA_2048 RSASSA_PSS_SHA_256 Sign runs beside it (paced, own connections)`,
      trents: { trent: {} },
      runs: [
        { label: 'bare', target: 'bare', mode: 'peak' },
        { label: 'trent alone', target: 'trent', mode: 'peak' },
        { label: 'trent + RSA sign', target: 'trent', mode: 'beside' },
      ],
      prepare: async (api) => ({ pool: await encryptPool(api), background: await rsaPss(api) }),
    },
    {
      name: 'workers',
      summary: `Encrypt ${PLAINTEXT_BYTES} B, Trent started with --workers 1 and --workers ${settings.workers}`,
      trents: { 'workers=1': { workers: 1 }, [workersN]: { workers: settings.workers } },
      runs: [
        { label: 'bare', target: 'bare', mode: 'peak' },
        { label: 'workers=1', target: 'workers=1', mode: 'peak' },
        { label: workersN, target: workersN, mode: 'peak' },
      ],
      prepare: async (api) => ({ pool: await encryptPool(api) }),
    },
    // Not run by default:
    peakScenario('sign-p256-digest', 'Sign ECC_NIST_P256 ECDSA_SHA_256 over 32 B DIGESTs (@noble/curves)', p256Digest),
    {
      name: 'encrypt-audit-off',
      summary: `Encrypt ${PLAINTEXT_BYTES} B with audit on and off (TRENT_BENCH_AUDIT=off, a benchmark-only switch)`,
      trents: { trent: {}, 'audit off': { env: { TRENT_BENCH_AUDIT: 'off' } } },
      runs: [
        { label: 'bare', target: 'bare', mode: 'peak' },
        { label: 'trent', target: 'trent', mode: 'peak' },
        { label: 'trent audit off', target: 'audit off', mode: 'peak' },
      ],
      prepare: async (api) => ({ pool: await encryptPool(api) }),
    },
  ]
}

export const defaultScenarioNames: readonly string[] = ['encrypt', 'decrypt', 'generate-data-key', 'sign-p256', 'encrypt-beside-rsa-sign', 'workers']

/** Picks scenarios by name, in the order given (the defaults when none). Throws Error naming unknown ones. */
export function selectScenarios(names: readonly string[] | undefined, settings: ScenarioSettings): Scenario[] {
  const all = allScenarios(settings)
  const wanted = names === undefined || names.length === 0 ? defaultScenarioNames : names
  const unknown = wanted.filter((n) => !all.some((s) => s.name === n))
  if (unknown.length > 0) throw new Error(`unknown scenario(s): ${unknown.join(', ')}; known: ${all.map((s) => s.name).join(', ')}`)
  return wanted.map((n) => all.find((s) => s.name === n) as Scenario)
}
