// AWS Signature Version 4 for the console's POST / requests, computed with the browser's WebCrypto
// (SHA-256 and HMAC-SHA256; the protocol, not a primitive). WebCrypto exists only in a secure context:
// https, or http on localhost / 127.0.0.1.
import { toHex, utf8 } from './bytes.js'

export interface SigningCredentials {
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
}

export interface SignInput {
  credentials: SigningCredentials
  region: string
  service: string
  /** host[:port] exactly as the browser sends it in Host (location.host). */
  host: string
  target: string
  contentType: string
  body: string
  date: Date
}

function subtle(): SubtleCrypto {
  if (!globalThis.crypto?.subtle) throw new Error('This page is not a secure context, so the browser offers no WebCrypto to sign requests with: open the console over https or on localhost.')
  return globalThis.crypto.subtle
}

async function sha256Hex(data: Uint8Array<ArrayBuffer>): Promise<string> {
  return toHex(new Uint8Array(await subtle().digest('SHA-256', data)))
}

async function hmac(key: Uint8Array<ArrayBuffer>, data: string): Promise<Uint8Array<ArrayBuffer>> {
  const cryptoKey = await subtle().importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  return new Uint8Array(await subtle().sign('HMAC', cryptoKey, utf8(data)))
}

/** yyyyMMddTHHmmssZ */
export function amzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')
}

/**
 * The headers to send (all but Host, which the browser sets): content-type, x-amz-date, x-amz-target,
 * x-amz-security-token when there is one, and Authorization. Every one of them is signed, with host.
 */
export async function signRequest(input: SignInput): Promise<Record<string, string>> {
  const stamp = amzDate(input.date)
  const day = stamp.slice(0, 8)
  const headers: Record<string, string> = { 'content-type': input.contentType, host: input.host, 'x-amz-date': stamp, 'x-amz-target': input.target }
  if (input.credentials.sessionToken) headers['x-amz-security-token'] = input.credentials.sessionToken
  const names = Object.keys(headers).sort()
  const signedHeaders = names.join(';')
  const canonical = ['POST', '/', '', ...names.map((n) => `${n}:${headers[n]!.trim()}`), '', signedHeaders, await sha256Hex(utf8(input.body))].join('\n')
  const scope = `${day}/${input.region}/${input.service}/aws4_request`
  const stringToSign = ['AWS4-HMAC-SHA256', stamp, scope, await sha256Hex(utf8(canonical))].join('\n')
  let key = utf8(`AWS4${input.credentials.secretAccessKey}`)
  for (const part of [day, input.region, input.service, 'aws4_request']) key = await hmac(key, part)
  const signature = toHex(await hmac(key, stringToSign))
  const { host: _host, ...sent } = headers
  sent.authorization = `AWS4-HMAC-SHA256 Credential=${input.credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`
  return sent
}
