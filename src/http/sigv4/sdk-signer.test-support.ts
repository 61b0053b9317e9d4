// Shared by the verify*.test.ts files: requests signed by the AWS SDK's own signer (@smithy/signature-v4),
// verify options with a recording lookup, and an exact KmsError assertion. Test-only; nothing in src imports it.
import { createHash, createHmac } from 'node:crypto'
import type { Hash, Hmac } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import assert from 'node:assert/strict'
import { SignatureV4 } from '@smithy/signature-v4'
import { KmsError } from '../../wire/kms-error.js'
import type { SignedRequest, VerifyOptions } from './verify.js'

// @aws-crypto/sha256-js is not installed, so the SDK signer gets this Checksum over node:crypto.
export class NodeSha256 {
  readonly #secret: string | Uint8Array | undefined
  #hash: Hash | Hmac
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.#secret = secret === undefined || typeof secret === 'string' ? secret : toBytes(secret)
    this.#hash = this.#fresh()
  }
  update(chunk: Uint8Array): void {
    this.#hash.update(chunk)
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#hash.digest())
  }
  reset(): void {
    this.#hash = this.#fresh()
  }
  #fresh(): Hash | Hmac {
    return this.#secret === undefined ? createHash('sha256') : createHmac('sha256', this.#secret)
  }
}

export function toBytes(data: ArrayBuffer | ArrayBufferView): Uint8Array {
  return data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
}

export const accessKeyId = 'AKIDTRENTEXAMPLE0001'
export const secretAccessKey = 'trentSecretKeyEXAMPLEtrentSecretKeyEXAMPL'
export const host = 'kms.us-east-1.amazonaws.com'
export const signedAt = new Date('2024-05-01T10:00:00Z')
export const body = new TextEncoder().encode('{"KeyId":"alias/trent","Plaintext":"aGVsbG8="}')

export interface Account { accountId: string; secretAccessKey: string }

export interface SignInput {
  region?: string
  service?: string
  secret?: string
  at?: Date
  sessionToken?: string
  applyChecksum?: boolean
  path?: string
  query?: Record<string, string>
  headers?: Record<string, string>
  /** Lowercase header names the signer leaves out of SignedHeaders (still sent), e.g. ['x-amz-target']. */
  unsigned?: string[]
}

/** A KMS Encrypt request as the Node SDK sends it, signed by @smithy/signature-v4. */
export async function sign(input: SignInput = {}): Promise<SignedRequest> {
  const signer = new SignatureV4({
    service: input.service ?? 'kms',
    region: input.region ?? 'us-east-1',
    credentials: { accessKeyId, secretAccessKey: input.secret ?? secretAccessKey, sessionToken: input.sessionToken },
    sha256: NodeSha256,
    applyChecksum: input.applyChecksum ?? false,
  })
  const headers: Record<string, string> = {
    host,
    'content-type': 'application/x-amz-json-1.1',
    'content-length': String(body.length),
    'x-amz-target': 'TrentService.Encrypt',
    'x-amz-user-agent': 'aws-sdk-js/3.0.0',
    'amz-sdk-invocation-id': '6f1c1a52-3c0e-4a4f-9d1e-7c3c0b9a1e11',
    'amz-sdk-request': 'attempt=1; max=3',
    ...input.headers,
  }
  const query = input.query ?? {}
  const signed = await signer.sign(
    { method: 'POST', protocol: 'https:', hostname: host, path: input.path ?? '/', query, headers, body },
    { signingDate: input.at ?? signedAt, unsignableHeaders: new Set(input.unsigned ?? []) },
  )
  // As the SDK's HTTP handler writes a query: RFC 3986 escapes, so a space is %20 (never '+').
  const search = Object.entries(query).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')
  return { method: 'POST', url: (input.path ?? '/') + (search ? `?${search}` : ''), headers: lower(signed.headers), body }
}

export function lower(headers: Record<string, string>): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]))
}

export function options(overrides: Partial<VerifyOptions<Account>> = {}): VerifyOptions<Account> & { lookups: string[] } {
  const lookups: string[] = []
  return {
    regions: new Set(['us-east-1']),
    services: ['kms'],
    now: signedAt,
    async lookup(id) {
      lookups.push(id)
      return id === accessKeyId ? { accountId: '111122223333', secretAccessKey } : undefined
    },
    lookups,
    ...overrides,
  }
}

export function withHeaders(req: SignedRequest, changes: Record<string, string | undefined>): SignedRequest {
  const headers: IncomingHttpHeaders = { ...req.headers }
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) delete headers[name]
    else headers[name] = value
  }
  return { ...req, headers }
}

export function authorizationOf(req: SignedRequest): string {
  return String(req.headers.authorization)
}

export function signatureOf(req: SignedRequest): string {
  return authorizationOf(req).replace(/^.*Signature=/, '')
}

export const mismatch =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.'

/** Asserts a KmsError with exactly this name and message, and that the message leaks neither signature nor secret. */
export async function assertKmsError(promise: Promise<unknown>, name: string, message: string, req?: SignedRequest): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof KmsError, `expected KmsError, got ${String(err)}`)
    assert.equal(err.name, name)
    assert.equal(err.message, message)
    assert.ok(!err.message.includes(secretAccessKey))
    if (req?.headers.authorization !== undefined) assert.ok(!err.message.includes(signatureOf(req)))
    return true
  })
}
