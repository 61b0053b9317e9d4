// Drives a real Trent with seeded fuzz cases and applies the pass rule: no 5xx, no crash, no hang, no reply
// that is not an AWS error shape (except node's own refusal of broken HTTP framing), and afterwards the
// server still answers correctly (Encrypt/Decrypt round trip, /readyz) and logged no unexpected error.
import { KMS } from '@aws-sdk/client-kms'
import { wireModel } from '../../src/wire/model.generated.js'
import { registry } from '../../src/operations/registry.js'
import { E2E_CREDENTIALS, E2E_REGION, startTrent, type TrentProcess } from '../e2e/support/server.js'
import { createUserWithKey } from '../e2e/support/trent-cli.js'
import { E2E_ACCOUNT_ID } from '../e2e/support/server.js'
import type { Corpus } from './model-values.js'
import { prng } from './prng.js'
import { sendRaw, type RawOutcome } from './raw-http.js'
import { buildCase, type FuzzCase, type FuzzTarget } from './requests.js'

export interface FuzzOptions {
  seed: number
  requests: number
  concurrency?: number
  /** Per-request deadline: no answer by then is a hang. */
  timeoutMs?: number
  /** Called every `every` requests with progress. */
  onProgress?: (done: number, report: FuzzReport) => void
}

export interface FuzzReport {
  seed: number
  requests: number
  byStatus: Record<string, number>
  byType: Record<string, number>
  serverErrors: number
  hangs: number
  /** Replies that broke the pass rule, with the case label and index to replay. */
  failures: { index: number; label: string; problem: string }[]
  crashed: boolean
  healthyAfter: boolean
  errorLogLines: number
  seconds: number
}

/** Exception names an AWS JSON client may receive: the model's, and AWS's common and authentication ones. */
const ALLOWED_TYPES = new Set([
  ...Object.entries(wireModel.shapes).filter(([, s]) => s.type === 'structure' && s.exception).map(([name]) => name),
  'AccessDeniedException', 'IncompleteSignatureException', 'InvalidSignatureException', 'MissingAuthenticationTokenException',
  'UnrecognizedClientException', 'SerializationException', 'UnknownOperationException', 'ThrottlingException', 'ValidationException',
  'ExpiredTokenException', 'InvalidClientTokenId', 'RequestExpired',
])

/** What is wrong with one outcome under the pass rule, or undefined. */
export function judge(c: FuzzCase, outcome: RawOutcome): string | undefined {
  if (outcome.kind === 'hang') return 'no answer within the deadline (hang)'
  if (outcome.kind === 'closed') return c.framing ? undefined : `connection closed without a reply: ${JSON.stringify(outcome.received)}`
  const { status, headers, body } = outcome.reply
  if (status >= 500) return `status ${status}: ${body.slice(0, 200)}`
  if (headers['x-amzn-requestid'] === undefined) {
    // Only node's own refusal of a broken request (or a monitoring path) may come without Trent's request id.
    return c.framing && [400, 404, 408, 413, 431].includes(status) ? undefined : `status ${status} without x-amzn-requestid: ${body.slice(0, 200)}`
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    return `body is not JSON: ${body.slice(0, 200)}`
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return `body is not a JSON object: ${body.slice(0, 200)}`
  if (status === 200) return undefined
  const { __type: type, message, ...rest } = parsed as Record<string, unknown>
  if (status !== 400) return `status ${status}`
  if (typeof type !== 'string' || !ALLOWED_TYPES.has(type)) return `not an AWS error type: ${String(type)}`
  if (message !== undefined && typeof message !== 'string') return 'message is not a string'
  if (Object.keys(rest).length > 0) return `extra members in the error: ${Object.keys(rest).join(',')}`
  return undefined
}

async function buildCorpus(server: TrentProcess): Promise<{ corpus: Corpus; kms: KMS }> {
  const kms = new KMS({ endpoint: server.url, region: E2E_REGION, credentials: E2E_CREDENTIALS, maxAttempts: 1 })
  const specs: [string | undefined, string | undefined][] = [
    [undefined, undefined], ['RSA_2048', 'ENCRYPT_DECRYPT'], ['ECC_NIST_P256', 'SIGN_VERIFY'], ['ECC_NIST_P256', 'KEY_AGREEMENT'], ['HMAC_256', 'GENERATE_VERIFY_MAC'],
  ]
  const keys = []
  for (const [KeySpec, KeyUsage] of specs) keys.push((await kms.createKey({ KeySpec: KeySpec as never, KeyUsage: KeyUsage as never })).KeyMetadata!)
  const keyId = keys[0]!.KeyId!
  await kms.createAlias({ AliasName: 'alias/fuzz', TargetKeyId: keyId })
  const blob = (await kms.encrypt({ KeyId: keyId, Plaintext: Buffer.from('fuzz') })).CiphertextBlob!
  const pub = (await kms.getPublicKey({ KeyId: keys[3]!.KeyId! })).PublicKey!
  const grant = await kms.createGrant({ KeyId: keyId, GranteePrincipal: `arn:aws:iam::${E2E_ACCOUNT_ID}:root`, Operations: ['Encrypt', 'Decrypt'] })
  const corpus: Corpus = {
    keyRefs: keys.flatMap((k) => [k.KeyId!, k.Arn!]).concat('alias/fuzz', `arn:aws:kms:${E2E_REGION}:${E2E_ACCOUNT_ID}:alias/fuzz`, 'alias/missing', '0badc0de-1111-4222-8333-944445555666'),
    blobs: [Buffer.from(blob).toString('base64'), Buffer.from(pub).toString('base64'), Buffer.alloc(32, 1).toString('base64')],
    strings: [
      'alias/fuzz', 'alias/fuzz-new', 'fuzz-description', 'kms.amazonaws.com', 'grant-name',
      grant.GrantToken!, grant.GrantId!, `arn:aws:iam::${E2E_ACCOUNT_ID}:root`, 'default', 'kms:Encrypt',
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${E2E_ACCOUNT_ID}:root` }, Action: 'kms:*', Resource: '*' }] }),
    ],
  }
  return { corpus, kms }
}

/** A fresh key (the fuzz may have disabled or scheduled the deletion of every corpus key) round-trips, and /readyz is 200. */
async function stillHealthy(server: TrentProcess, kms: KMS): Promise<boolean> {
  try {
    const keyId = (await kms.createKey({ Description: 'after the fuzz' })).KeyMetadata!.KeyId!
    const plaintext = Buffer.from('still answering correctly')
    const { CiphertextBlob } = await kms.encrypt({ KeyId: keyId, Plaintext: plaintext })
    const { Plaintext } = await kms.decrypt({ CiphertextBlob })
    const ready = await fetch(`${server.url}/readyz`)
    return Buffer.from(Plaintext!).equals(plaintext) && ready.status === 200
  } catch {
    return false
  }
}

function count(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1
}

/** Starts a fresh Trent (quotas and the flood guard off, so every case reaches the code), fuzzes it, stops it. */
export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const started = performance.now()
  const server = await startTrent({ env: { TRENT_QUOTAS: 'off', TRENT_UNAUTHENTICATED_RATE: '0' } })
  const report: FuzzReport = {
    seed: options.seed, requests: 0, byStatus: {}, byType: {}, serverErrors: 0, hangs: 0, failures: [], crashed: false, healthyAfter: false, errorLogLines: 0, seconds: 0,
  }
  try {
    const { corpus, kms } = await buildCorpus(server)
    const restricted = (await createUserWithKey(server.dataDir, E2E_ACCOUNT_ID, 'fuzz-restricted')).credentials
    const target: FuzzTarget = { port: server.port, region: E2E_REGION, credentials: E2E_CREDENTIALS, restricted, operations: [...registry.keys()].sort(), corpus }
    let next = 0
    const worker = async () => {
      while (next < options.requests && server.isRunning()) {
        const index = next++
        // Each case has its own stream, so a failure replays from (seed, index) alone whatever the concurrency.
        const c = await buildCase(target, prng((options.seed * 1_000_003 + index) >>> 0))
        const outcome = await sendRaw(server.port, c.bytes, options.timeoutMs ?? 15_000)
        report.requests++
        if (outcome.kind === 'hang') report.hangs++
        if (outcome.kind === 'reply') {
          count(report.byStatus, String(outcome.reply.status))
          if (outcome.reply.status >= 500) report.serverErrors++
          const type = /"__type":"([A-Za-z]+)"/.exec(outcome.reply.body)?.[1]
          count(report.byType, outcome.reply.status === 200 ? 'success' : (type ?? `http-${outcome.reply.status}`))
        }
        const problem = judge(c, outcome)
        if (problem && report.failures.length < 50) report.failures.push({ index, label: c.label, problem })
        if (report.requests % 1000 === 0) options.onProgress?.(report.requests, report)
      }
    }
    await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker))
    report.crashed = !server.isRunning()
    report.healthyAfter = !report.crashed && (await stillHealthy(server, kms))
    kms.destroy()
  } finally {
    const status = await server.stop()
    report.crashed ||= status.code !== 0
    report.errorLogLines = server.stderr().split('\n').filter((l) => /"level":(50|60)/.test(l)).length
    report.seconds = Math.round((performance.now() - started) / 100) / 10
  }
  return report
}

/** The pass rule over a whole run. */
export function passed(report: FuzzReport): boolean {
  return report.serverErrors === 0 && report.hangs === 0 && report.failures.length === 0 && !report.crashed && report.healthyAfter && report.errorLogLines === 0
}
