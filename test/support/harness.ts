// In-process test harness: real services over in-memory SQLite, an injected clock, and requests signed
// with @smithy/signature-v4 that go through the real dispatch pipeline.
import { SignatureV4 } from '@smithy/signature-v4'
import { createServices, type AppParts } from '../../src/app.js'
import type { AuditSink } from '../../src/audit/audit-log.js'
import { bootstrapDefaultAccount } from '../../src/auth/bootstrap.js'
import { ManualClock } from '../../src/config/clock.js'
import type { AsymmetricEngine } from '../../src/crypto/asymmetric/engine.js'
import { dispatch, type RawResponse } from '../../src/http/dispatch.js'
import type { Services } from '../../src/http/services.js'
import { memoryLogger } from '../../src/logging/logger.js'
import { inProcessRootKey } from '../../src/rootkey/root-key.js'
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js'
import type { Store } from '../../src/store/store.js'
import { NodeSha256 } from './node-sha256.js'

export const TEST_REGION = 'us-east-1'
export const TEST_ACCOUNT = '111122223333'
export const TEST_CREDENTIALS = { accessKeyId: 'AKIDTESTROOT00000001', secretAccessKey: 'test-secret-key-for-the-root-principal' }

export interface Credentials {
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
}

export interface CallResult {
  status: number
  body: Record<string, unknown>
  raw: RawResponse
}

export interface Harness {
  services: Services
  clock: ManualClock
  logs: ReturnType<typeof memoryLogger>
  /** Signs and dispatches `TrentService.<operation>` with a JSON body (blobs as base64, as on the wire). */
  call(operation: string, body: unknown, credentials?: Credentials): Promise<CallResult>
  /** As call, signed for `region` (the SigV4 scope picks the request's Region). */
  callIn(region: string, operation: string, body: unknown, credentials?: Credentials): Promise<CallResult>
  /** Sends raw bytes as the body (for malformed-input tests), signed correctly. */
  callRaw(target: string, body: string | Uint8Array, credentials?: Credentials): Promise<CallResult>
  close(): Promise<void>
}

export interface SignedCall {
  /** The SigV4 signing service: 'kms', or 'cloudtrail' for LookupEvents. */
  service: string
  target: string
  body: Uint8Array
  credentials: Credentials
  now: Date
  requestId: string
  /** The SigV4 scope's Region (default TEST_REGION). */
  region?: string
}

/** Signs the call as the AWS SDK would (@smithy/signature-v4) and runs it through the real dispatch. */
export async function signedDispatch(services: Services, call: SignedCall): Promise<CallResult> {
  const signer = new SignatureV4({ service: call.service, region: call.region ?? TEST_REGION, credentials: call.credentials, sha256: NodeSha256 })
  const signed = await signer.sign(
    {
      method: 'POST', protocol: 'http:', hostname: 'localhost', port: 80, path: '/', query: {}, body: call.body,
      headers: { host: 'localhost', 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': call.target, 'user-agent': 'trent-test-harness/1.0' },
    },
    { signingDate: call.now },
  )
  const raw = await dispatch(services, {
    method: 'POST', url: '/', headers: signed.headers as Record<string, string>, body: call.body, sourceIp: '127.0.0.1', requestId: call.requestId,
  })
  return { status: raw.status, body: raw.body ? (JSON.parse(raw.body) as Record<string, unknown>) : {}, raw }
}

export interface HarnessOptions {
  random?: (n: number) => Uint8Array
  /** A database file instead of in-memory SQLite (so a second connection can reach it). */
  storePath?: string
  auditSink?: AuditSink
  /** A crypto engine of the test's own (default: the process-wide worker pool). */
  asymmetric?: AsymmetricEngine
  /** Wraps the driver's store before the services (and their caches) see it, e.g. to count reads. */
  wrapStore?: (store: Store) => Store
  /** The change feed's background poll period (default 50 ms). */
  cachePollMs?: number
  /** How often key last uses are flushed to the store (default 5 s); tests of the flush set it far out and flush by hand. */
  lastUseFlushMs?: number
  /** Request quotas (off unless given) and the unauthenticated-flood guard (off unless given). */
  quotas?: AppParts['quotas']
  sourceGuard?: AppParts['sourceGuard']
  /** The millisecond clock rate limits refill by; tests step it by hand. */
  rateClockMs?: () => number
  /** Regions served besides TEST_REGION (default: eu-west-1 and ap-southeast-2, for the multi-Region tests). */
  regions?: readonly string[]
  /** Peer deployments (TRENT_PEERS) whose link credentials the peer service accepts; none unless given. */
  peers?: AppParts['peers']
}

export async function createHarness(options: HarnessOptions = {}): Promise<Harness> {
  const driver = await openSqliteStore(options.storePath ?? ':memory:')
  const store = options.wrapStore ? options.wrapStore(driver) : driver
  const rootKey = inProcessRootKey(new Uint8Array(32).fill(7), 'test')
  const clock = new ManualClock(new Date('2026-01-15T10:00:00Z'))
  const logs = memoryLogger()
  const services = createServices({ store, rootKey, region: TEST_REGION, clock, logger: logs, random: options.random, auditSink: options.auditSink, asymmetric: options.asymmetric, cachePollMs: options.cachePollMs,
    lastUseFlushMs: options.lastUseFlushMs, quotas: options.quotas, sourceGuard: options.sourceGuard, rateClockMs: options.rateClockMs,
    regions: options.regions ?? ['eu-west-1', 'ap-southeast-2'], peers: options.peers,
  })
  await bootstrapDefaultAccount(store, rootKey, clock.now(), { accountId: TEST_ACCOUNT, credentials: TEST_CREDENTIALS })
  let counter = 0
  const callRawIn = (region: string, target: string, body: string | Uint8Array, credentials: Credentials = TEST_CREDENTIALS): Promise<CallResult> => {
    const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body
    return signedDispatch(services, { service: 'kms', target, body: bytes, credentials, now: clock.now(), requestId: `req-${++counter}`, region })
  }
  const callRaw = (target: string, body: string | Uint8Array, credentials?: Credentials) => callRawIn(TEST_REGION, target, body, credentials)
  return {
    services, clock, logs, callRaw,
    call: (operation, body, credentials) => callRaw(`TrentService.${operation}`, JSON.stringify(body), credentials),
    callIn: (region, operation, body, credentials) => callRawIn(region, `TrentService.${operation}`, JSON.stringify(body), credentials),
    close: async () => {
      await services.lastUse.stop()
      await services.store.close()
    },
  }
}

/** Calls `operation` in `region` and returns the reply body, failing the test (with the body) unless it is 200. */
export async function callOk(h: Pick<Harness, 'callIn'>, region: string, operation: string, body: unknown): Promise<Record<string, unknown>> {
  const r = await h.callIn(region, operation, body)
  if (r.status !== 200) throw new Error(`${operation} in ${region}: ${r.status} ${JSON.stringify(r.body)}`)
  return r.body
}

export function b64(data: string | Uint8Array): string {
  return Buffer.from(data).toString('base64')
}

export function unb64(value: unknown): Buffer {
  if (typeof value !== 'string') throw new Error('expected a base64 string')
  return Buffer.from(value, 'base64')
}
