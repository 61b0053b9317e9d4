// Assembles the SigV4 canonical request from its six parts.
import type { IncomingHttpHeaders } from 'node:http'
import { canonicalHeaders } from './canonical-headers.js'
import { canonicalQuery } from './canonical-query.js'
import { canonicalUri } from './canonical-uri.js'

export interface CanonicalRequestInput {
  method: string
  /** Raw request target as received: path plus optional "?query". */
  url: string
  headers: IncomingHttpHeaders
  /** Lowercase header names exactly as listed in SignedHeaders. */
  signedHeaders: readonly string[]
  /** Hex SHA-256 of the payload. */
  payloadHash: string
}

/** The canonical request string (method, URI, query, headers, signed headers, payload hash). */
export function canonicalRequest(input: CanonicalRequestInput): string {
  const q = input.url.indexOf('?')
  const path = q < 0 ? input.url : input.url.slice(0, q)
  const query = q < 0 ? '' : input.url.slice(q + 1)
  return [
    input.method.toUpperCase(),
    canonicalUri(path),
    canonicalQuery(query),
    canonicalHeaders(input.headers, input.signedHeaders),
    input.signedHeaders.join(';'),
    input.payloadHash,
  ].join('\n')
}
