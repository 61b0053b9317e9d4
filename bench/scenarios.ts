// The scenario registry: the only list of what `npm run bench` measures. Add a scenario by appending one entry;
// `trentEnv` starts that scenario's Trent with extra environment (e.g. a future TRENT_BENCH_AUDIT=off).
import { randomBytes } from 'node:crypto'
import type { KmsApi } from './kms-api.js'

export interface BenchRequest {
  /** The X-Amz-Target value, e.g. `TrentService.Encrypt`. */
  target: string
  /** The JSON body, encoded once up front so both targets receive identical bytes. */
  body: Uint8Array
}

export interface PreparedScenario {
  /** The i-th request of a run. May vary with i (a pool of ciphertexts, a mix of operations). */
  request(index: number): BenchRequest
  /** Unmeasured load sent to Trent beside the measured requests (never to the baseline), by its own workers. */
  background?: { concurrency: number; request(index: number): BenchRequest }
}

export interface Scenario {
  name: string
  summary: string
  /** Extra environment for this scenario's Trent process; the baseline never sees it. */
  trentEnv?: Readonly<Record<string, string>>
  /** Runs against a fresh Trent before any measurement; returns the request sequence. */
  prepare(api: KmsApi): Promise<PreparedScenario>
}

const PLAINTEXT_BYTES = 4096
const CIPHERTEXT_POOL = 64

function jsonRequest(operation: string, input: unknown): BenchRequest {
  return { target: `TrentService.${operation}`, body: Buffer.from(JSON.stringify(input)) }
}

function b64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64')
}

/** Creates a SYMMETRIC_DEFAULT ENCRYPT_DECRYPT key through the API and returns its key id. */
export async function createSymmetricKey(api: KmsApi): Promise<string> {
  const reply = await api.call('CreateKey', { Description: 'trent bench' })
  const keyId = (reply.KeyMetadata as { KeyId?: unknown } | undefined)?.KeyId
  if (typeof keyId !== 'string') throw new Error('CreateKey reply has no KeyMetadata.KeyId')
  return keyId
}

const encrypt: Scenario = {
  name: 'encrypt',
  summary: `Encrypt ${PLAINTEXT_BYTES} B plaintext under a symmetric key`,
  async prepare(api) {
    const request = jsonRequest('Encrypt', { KeyId: await createSymmetricKey(api), Plaintext: b64(randomBytes(PLAINTEXT_BYTES)) })
    return { request: () => request }
  },
}

const decrypt: Scenario = {
  name: 'decrypt',
  summary: `Decrypt a pool of ${CIPHERTEXT_POOL} ciphertexts of ${PLAINTEXT_BYTES} B plaintexts`,
  async prepare(api) {
    const keyId = await createSymmetricKey(api)
    const pool: BenchRequest[] = []
    for (let i = 0; i < CIPHERTEXT_POOL; i++) {
      const reply = await api.call('Encrypt', { KeyId: keyId, Plaintext: b64(randomBytes(PLAINTEXT_BYTES)) })
      if (typeof reply.CiphertextBlob !== 'string') throw new Error('Encrypt reply has no CiphertextBlob')
      pool.push(jsonRequest('Decrypt', { CiphertextBlob: reply.CiphertextBlob }))
    }
    return { request: (index) => pool[index % pool.length] as BenchRequest }
  },
}

const generateDataKey: Scenario = {
  name: 'generate-data-key',
  summary: 'GenerateDataKey AES_256 under a symmetric key',
  async prepare(api) {
    const request = jsonRequest('GenerateDataKey', { KeyId: await createSymmetricKey(api), KeySpec: 'AES_256' })
    return { request: () => request }
  },
}

/** The asymmetric-isolation check: compare its p99 with `encrypt`'s, which runs the same requests alone. */
const encryptBesideRsaSign: Scenario = {
  name: 'encrypt-beside-rsa-sign',
  summary: `Encrypt ${PLAINTEXT_BYTES} B (measured) while 4 workers send RSA_2048 RSASSA_PSS_SHA_256 Sign (unmeasured)`,
  async prepare(api) {
    const request = jsonRequest('Encrypt', { KeyId: await createSymmetricKey(api), Plaintext: b64(randomBytes(PLAINTEXT_BYTES)) })
    const created = await api.call('CreateKey', { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY', Description: 'trent bench signer' })
    const signer = (created.KeyMetadata as { KeyId?: unknown } | undefined)?.KeyId
    if (typeof signer !== 'string') throw new Error('CreateKey reply has no KeyMetadata.KeyId')
    const sign = jsonRequest('Sign', { KeyId: signer, Message: b64(randomBytes(256)), SigningAlgorithm: 'RSASSA_PSS_SHA_256' })
    return { request: () => request, background: { concurrency: 4, request: () => sign } }
  },
}

/** The cost of auditing: the same requests as `encrypt` against a Trent whose audit log is switched off. */
const encryptAuditOff: Scenario = {
  ...encrypt,
  name: 'encrypt-audit-off',
  summary: `Encrypt ${PLAINTEXT_BYTES} B with auditing OFF (TRENT_BENCH_AUDIT=off); its ratio to encrypt is the audit cost`,
  trentEnv: { TRENT_BENCH_AUDIT: 'off' },
}

export const scenarios: readonly Scenario[] = [encrypt, decrypt, generateDataKey, encryptBesideRsaSign, encryptAuditOff]

/** Picks scenarios by name, in the order given. Throws Error naming the unknown ones and the known ones. */
export function selectScenarios(names: readonly string[] | undefined): Scenario[] {
  if (names === undefined || names.length === 0) return [...scenarios]
  const unknown = names.filter((n) => !scenarios.some((s) => s.name === n))
  if (unknown.length > 0) throw new Error(`unknown scenario(s): ${unknown.join(', ')}; known: ${scenarios.map((s) => s.name).join(', ')}`)
  return names.map((n) => scenarios.find((s) => s.name === n) as Scenario)
}
