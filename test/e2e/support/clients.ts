// Real clients for the e2e tests: the AWS SDK KMS client, and raw HTTP requests signed with
// @smithy/signature-v4 for bodies and headers no SDK would send.
import { KMS, type KMSClientConfig } from '@aws-sdk/client-kms'
import { SignatureV4 } from '@smithy/signature-v4'
import assert from 'node:assert/strict'
import { NodeSha256 } from '../../support/node-sha256.js'
import { E2E_CREDENTIALS, E2E_REGION } from './server.js'

export interface Credentials {
  accessKeyId: string
  secretAccessKey: string
}

/** An SDK KMS client pointed at `url`. One attempt by default, so an error is the server's answer, not a retry's. */
export function kmsClient(url: string, config: Partial<KMSClientConfig> = {}): KMS {
  return new KMS({ endpoint: url, region: E2E_REGION, credentials: E2E_CREDENTIALS, maxAttempts: 1, ...config })
}

export interface RawReply {
  status: number
  headers: Headers
  text: string
  /** The body parsed as JSON; {} for an empty body. */
  json: Record<string, unknown>
}

export interface RawRequestOptions {
  /** The X-Amz-Target value; omit to send none. */
  target?: string
  body?: string | Uint8Array
  credentials?: Credentials
  region?: string
  signingDate?: Date
  /** Send the request without an Authorization header (the other headers as a client would send them). */
  unsigned?: boolean
  /** Whether the signer adds x-amz-content-sha256 (the SDK's default is yes). */
  applyChecksum?: boolean
  /** Bytes to send instead of the signed body, to model tampering in transit. */
  sendBody?: string
  /** Lowercase headers sent but left out of SignedHeaders, as a hand-rolled client such as awscurl does. */
  unsignedHeaders?: string[]
  /** An X-Amz-Target to send instead of the signed one, to model a captured signature replayed as another operation. */
  sendTarget?: string
  /** The SigV4 signing service; 'kms' unless set (e.g. 'cloudtrail' for LookupEvents). */
  service?: string
  /** Sent as X-Amz-Security-Token (signed unless listed in unsignedHeaders). */
  sessionToken?: string
  /** Rewrites the signed Authorization header before sending (extra or repeated components). */
  rewriteAuthorization?: (header: string) => string
}

/** POSTs `body` to `url` as an AWS JSON 1.1 request, SigV4-signed unless `unsigned`. */
export async function rawRequest(url: string, options: RawRequestOptions): Promise<RawReply> {
  const body = typeof options.body === 'string' ? new TextEncoder().encode(options.body) : (options.body ?? new Uint8Array())
  const { hostname, port } = new URL(url)
  const headers: Record<string, string> = { host: `${hostname}:${port}`, 'content-type': 'application/x-amz-json-1.1' }
  if (options.target !== undefined) headers['x-amz-target'] = options.target
  let sent = headers
  if (!options.unsigned) {
    const signer = new SignatureV4({
      service: options.service ?? 'kms', region: options.region ?? E2E_REGION, sha256: NodeSha256,
      credentials: { ...(options.credentials ?? E2E_CREDENTIALS), sessionToken: options.sessionToken },
      applyChecksum: options.applyChecksum ?? true,
    })
    const signed = await signer.sign(
      { method: 'POST', protocol: 'http:', hostname, port: Number(port), path: '/', query: {}, headers, body },
      { signingDate: options.signingDate ?? new Date(), unsignableHeaders: new Set(options.unsignedHeaders ?? []) },
    )
    sent = signed.headers as Record<string, string>
    if (options.rewriteAuthorization) sent = { ...sent, authorization: options.rewriteAuthorization(sent.authorization!) }
  }
  if (options.sendTarget !== undefined) sent = { ...sent, 'x-amz-target': options.sendTarget }
  // fetch sets Host itself from the URL (the same value we signed) and refuses a Host header of ours.
  const { host: _host, ...fetchHeaders } = sent
  const sentBody = options.sendBody === undefined ? body : new TextEncoder().encode(options.sendBody)
  const response = await fetch(url, { method: 'POST', headers: fetchHeaders, body: sentBody })
  const text = await response.text()
  return { status: response.status, headers: response.headers, text, json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) }
}

/** Sends a signed `TrentService.<operation>` request with a JSON body. */
export function callOperation(url: string, operation: string, input: unknown, options: Omit<RawRequestOptions, 'target' | 'body'> = {}): Promise<RawReply> {
  return rawRequest(url, { ...options, target: `TrentService.${operation}`, body: JSON.stringify(input) })
}

/** Asserts an AWS JSON error reply: status, `__type` and exact message; `null`: AWS's bare `{"__type"}`, no message member. */
export function assertErrorReply(reply: RawReply, status: number, type: string, message: string | RegExp | null): void {
  assert.equal(reply.status, status, `status for ${reply.text}`)
  assert.equal(reply.headers.get('content-type'), 'application/x-amz-json-1.1')
  assert.equal(reply.json.__type, type, reply.text)
  if (message === null) assert.equal(reply.text, JSON.stringify({ __type: type }))
  else if (typeof message === 'string') assert.equal(reply.json.message, message)
  else assert.match(String(reply.json.message), message)
}

/**
 * Asserts the promise rejects with an SDK service error of this name, message and HTTP 400; `null`: the reply had
 * no message member, which the SDK (smithy's decorateServiceException) shows as its placeholder `UnknownError`,
 * exactly as it does for the same bare exception from AWS.
 */
export async function assertSdkError(promise: Promise<unknown>, name: string, message: string | RegExp | null, status = 400): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } }
    assert.equal(e.name, name, `error name (message: ${e.message})`)
    if (message === null) assert.equal(e.message, 'UnknownError', 'expected the SDK placeholder for a reply without a message')
    else if (typeof message === 'string') assert.equal(e.message, message)
    else assert.match(String(e.message), message)
    assert.equal(e.$metadata?.httpStatusCode, status)
    return true
  })
}
