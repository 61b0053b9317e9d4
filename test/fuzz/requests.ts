// One fuzz case: a served operation's valid body (from the model), maybe mutated, then signed with SigV4,
// then maybe mutated at the protocol level (headers, content type, target, chunking, framing, signature).
import { SignatureV4 } from '@smithy/signature-v4'
import { wireModel } from '../../src/wire/model.generated.js'
import { NodeSha256 } from '../support/node-sha256.js'
import { mutateBody, validBody, type Corpus } from './model-values.js'
import { between, pick, type Rand } from './prng.js'

export interface FuzzTarget {
  port: number
  region: string
  credentials: { accessKeyId: string; secretAccessKey: string }
  /** Other credentials (a principal allowed little) so denied calls are part of the mix. */
  restricted?: { accessKeyId: string; secretAccessKey: string }
  operations: readonly string[]
  corpus: Corpus
}

export interface FuzzCase {
  label: string
  bytes: Uint8Array
  /** The request breaks HTTP framing itself: node may refuse it before Trent sees it (no AWS error shape then). */
  framing: boolean
}

type Headers = [string, string][]

const PROTOCOL_MUTATIONS = [
  'content-type', 'target-case', 'target-unknown', 'target-repeated', 'target-missing', 'chunked', 'invalid-utf8', 'lone-surrogate',
  'duplicate-keys', 'not-json', 'json-array', 'deep-json', 'nul-bytes', 'auth-extra-part', 'auth-truncated', 'auth-other-region',
  'auth-old-date', 'auth-unknown-key', 'auth-missing', 'many-headers', 'huge-header', 'method', 'path', 'oversized-body', 'short-length',
  'bad-date-header', 'restricted-principal',
] as const
type ProtocolMutation = (typeof PROTOCOL_MUTATIONS)[number] | 'none'

function serialize(method: string, path: string, headers: Headers, body: Uint8Array, chunked: boolean, rand: Rand): Uint8Array {
  const lines = headers.filter(([k]) => !(chunked && k === 'content-length')).map(([k, v]) => `${k}: ${v}`)
  if (chunked) lines.push('transfer-encoding: chunked')
  const head = Buffer.from(`${method} ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\nconnection: close\r\n\r\n`, 'latin1')
  if (!chunked) return Buffer.concat([head, body])
  const parts: Buffer[] = [head]
  for (let at = 0; at < body.length;) {
    const n = Math.min(body.length - at, between(rand, 1, 64))
    parts.push(Buffer.from(`${n.toString(16)}\r\n`), Buffer.from(body.subarray(at, at + n)), Buffer.from('\r\n'))
    at += n
  }
  parts.push(Buffer.from('0\r\n\r\n'))
  return Buffer.concat(parts)
}

async function sign(target: FuzzTarget, headers: Record<string, string>, body: Uint8Array, options: { region?: string; date?: Date; credentials?: FuzzTarget['credentials'] }): Promise<Record<string, string>> {
  const signer = new SignatureV4({ service: 'kms', region: options.region ?? target.region, credentials: options.credentials ?? target.credentials, sha256: NodeSha256 })
  const signed = await signer.sign(
    { method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port: target.port, path: '/', query: {}, headers, body },
    { signingDate: options.date ?? new Date() },
  )
  return signed.headers as Record<string, string>
}

/** The body's JSON text, with the mutations that only text can express. */
function bodyText(json: unknown, mutation: ProtocolMutation, rand: Rand): Uint8Array {
  const text = JSON.stringify(json)
  switch (mutation) {
    case 'invalid-utf8': {
      const bytes = Buffer.from(text)
      const at = text.indexOf('":"')
      return at < 0 ? Buffer.concat([bytes, Buffer.from([0xff, 0xfe])]) : Buffer.concat([bytes.subarray(0, at + 3), Buffer.from([0xc3, 0x28, 0xff]), bytes.subarray(at + 3)])
    }
    case 'lone-surrogate': return Buffer.from(text.replace(/":"/, '":"\\udc00'))
    case 'duplicate-keys': return Buffer.from(text.replace(/^\{("[^"]+":)/, '{$1"dup",$1'))
    case 'not-json': return Buffer.from(pick(rand, ['{', '{"a":', 'nul', '{"a":1}}', "{'a':1}", '\u0000']))
    case 'json-array': return Buffer.from(pick(rand, ['[]', '1', '"s"', 'null', 'true']))
    case 'deep-json': { const n = between(rand, 1000, 200_000); return Buffer.from(`{"KeyId":${'['.repeat(n)}${']'.repeat(n)}}`) }
    case 'nul-bytes': return Buffer.from(text.replace(/":"/, '":"\u0000'))
    case 'oversized-body': return Buffer.alloc(1024 * 1024 + between(rand, 1, 4096), 0x20)
    default: return Buffer.from(text)
  }
}

/** Builds case `index` of a run: reproducible from (the run's seed, index) through `rand`. */
export async function buildCase(target: FuzzTarget, rand: Rand): Promise<FuzzCase> {
  const operation = pick(rand, target.operations)
  const inputShape = wireModel.operations[operation]?.input ?? null
  const json = validBody(inputShape, rand, target.corpus)
  const bodyMutation = mutateBody(inputShape, json, rand)
  const mutation: ProtocolMutation = rand() < 0.35 ? pick(rand, PROTOCOL_MUTATIONS) : 'none'
  const body = bodyText(json, mutation, rand)
  const label = `${operation}/${bodyMutation}/${mutation}`
  const base: Record<string, string> = { host: `127.0.0.1:${target.port}`, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `TrentService.${operation}` }
  if (mutation === 'content-type') base['content-type'] = pick(rand, ['application/json', 'text/plain', '', 'application/x-amz-json-1.0', 'application/x-amz-json-1.1; charset=latin1'])
  if (mutation === 'target-case') base['x-amz-target'] = `trentservice.${operation.toLowerCase()}`
  if (mutation === 'target-unknown') base['x-amz-target'] = pick(rand, ['TrentService.Nope', 'TrentService.', 'KMS.Encrypt', `TrentService.${operation}X`, `TrentService.${'A'.repeat(4000)}`, 'TrentService.__proto__'])
  if (mutation === 'target-missing') delete base['x-amz-target']
  const signOptions = {
    region: mutation === 'auth-other-region' ? 'eu-west-3' : undefined,
    date: mutation === 'auth-old-date' ? new Date(Date.now() - 3_600_000) : undefined,
    credentials: mutation === 'auth-unknown-key' ? { accessKeyId: 'AKIDFUZZUNKNOWN00001', secretAccessKey: 'x'.repeat(40) }
      : mutation === 'restricted-principal' ? target.restricted : undefined,
  }
  const signed = await sign(target, base, body, signOptions)
  const headers: Headers = Object.entries(signed)
  const auth = headers.find(([k]) => k.toLowerCase() === 'authorization')!
  if (mutation === 'auth-extra-part') auth[1] = `${auth[1]}, Junk=${'j'.repeat(between(rand, 1, 12_000))}`
  if (mutation === 'auth-truncated') auth[1] = auth[1].slice(0, between(rand, 0, auth[1].length - 1))
  if (mutation === 'auth-missing') headers.splice(headers.indexOf(auth), 1)
  if (mutation === 'target-repeated') headers.push(['x-amz-target', `TrentService.${pick(rand, target.operations)}`])
  if (mutation === 'many-headers') for (let i = 0; i < between(rand, 50, 150); i++) headers.push([`x-fuzz-${i}`, 'v'])
  if (mutation === 'bad-date-header') headers.find(([k]) => k.toLowerCase() === 'x-amz-date')![1] = pick(rand, ['yesterday', '20261301T000000Z', ''])
  if (mutation === 'huge-header') headers.push(['x-fuzz-bulk', 'b'.repeat(between(rand, 17_000, 40_000))])
  headers.push(['content-length', String(body.length)])
  const method = mutation === 'method' ? pick(rand, ['GET', 'PUT', 'DELETE', 'OPTIONS', 'PATCH']) : 'POST'
  const path = mutation === 'path' ? pick(rand, ['/x', '//', '/%zz', '/?a=1&a=2', '/metrics/../']) : '/'
  let bytes = serialize(method, path, headers, body, mutation === 'chunked', rand)
  if (mutation === 'short-length') {
    // Announce fewer bytes than are sent: the rest arrives as a garbled second request on the same connection.
    const text = Buffer.from(bytes).toString('latin1').replace(/content-length: \d+/, `content-length: ${Math.max(0, body.length - between(rand, 1, 10))}`)
    bytes = Buffer.from(text, 'latin1')
  }
  return { label, bytes, framing: mutation === 'huge-header' || mutation === 'short-length' || mutation === 'path' }
}
