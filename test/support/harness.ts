// In-process test harness: real services over in-memory SQLite, an injected clock, and requests signed
// with @smithy/signature-v4 that go through the real dispatch pipeline.
import { SignatureV4 } from '@smithy/signature-v4'
import { createServices } from '../../src/app.js'
import { bootstrapDefaultAccount } from '../../src/auth/bootstrap.js'
import { ManualClock } from '../../src/config/clock.js'
import { dispatch, type RawResponse } from '../../src/http/dispatch.js'
import type { Services } from '../../src/http/services.js'
import { memoryLogger } from '../../src/logging/logger.js'
import { inProcessRootKey } from '../../src/rootkey/root-key.js'
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js'
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
  /** Sends raw bytes as the body (for malformed-input tests), signed correctly. */
  callRaw(target: string, body: string | Uint8Array, credentials?: Credentials): Promise<CallResult>
  close(): Promise<void>
}

async function sign(body: Uint8Array, target: string, now: Date, credentials: Credentials) {
  const signer = new SignatureV4({ service: 'kms', region: TEST_REGION, credentials, sha256: NodeSha256 })
  return signer.sign(
    {
      method: 'POST', protocol: 'http:', hostname: 'localhost', port: 80, path: '/', query: {},
      headers: { host: 'localhost', 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
      body,
    },
    { signingDate: now },
  )
}

export async function createHarness(options: { random?: (n: number) => Uint8Array } = {}): Promise<Harness> {
  const store = await openSqliteStore(':memory:')
  const rootKey = inProcessRootKey(new Uint8Array(32).fill(7), 'test')
  const clock = new ManualClock(new Date('2026-01-15T10:00:00Z'))
  const logs = memoryLogger()
  const services = createServices({ store, rootKey, region: TEST_REGION, clock, logger: logs, random: options.random })
  await bootstrapDefaultAccount(store, rootKey, clock.now(), { accountId: TEST_ACCOUNT, credentials: TEST_CREDENTIALS })
  let counter = 0
  const callRaw = async (target: string, body: string | Uint8Array, credentials: Credentials = TEST_CREDENTIALS): Promise<CallResult> => {
    const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body
    const signed = await sign(bytes, target, clock.now(), credentials)
    const raw = await dispatch(services, {
      method: 'POST', url: '/', headers: signed.headers as Record<string, string>, body: bytes, sourceIp: '127.0.0.1', requestId: `req-${++counter}`,
    })
    return { status: raw.status, body: raw.body ? (JSON.parse(raw.body) as Record<string, unknown>) : {}, raw }
  }
  return {
    services, clock, logs, callRaw,
    call: (operation, body, credentials) => callRaw(`TrentService.${operation}`, JSON.stringify(body), credentials),
    close: () => store.close(),
  }
}

export function b64(data: string | Uint8Array): string {
  return Buffer.from(data).toString('base64')
}

export function unb64(value: unknown): Buffer {
  if (typeof value !== 'string') throw new Error('expected a base64 string')
  return Buffer.from(value, 'base64')
}
