// The payload hash that ends the canonical request: hex SHA-256 of the body, checked against x-amz-content-sha256.
import { createHash } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import { payloadHashMismatch } from './errors.js'
import { readHeader } from './header-value.js'

/** Hex SHA-256 of `body`. */
export function sha256Hex(body: Uint8Array | string): string {
  return createHash('sha256').update(body).digest('hex')
}

/**
 * The body's hex SHA-256. Throws InvalidSignatureException when an x-amz-content-sha256 header is present and
 * differs from it; UNSIGNED-PAYLOAD and streaming markers are refused the same way, since KMS bodies are small.
 */
export function payloadHash(body: Uint8Array, headers: IncomingHttpHeaders): string {
  const computed = sha256Hex(body)
  const claimed = readHeader(headers, 'x-amz-content-sha256')
  if (claimed !== undefined && claimed !== computed) throw payloadHashMismatch()
  return computed
}
