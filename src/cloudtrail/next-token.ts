// LookupEvents page tokens: the position of the last event returned, bound to the query that produced it,
// so a token replayed with other filters is refused rather than silently paging a different result.
import { canonicalJson, sha256Hex } from '../audit/canonical-json.js'
import { CloudTrailError } from './cloudtrail-error.js'

export interface PagePosition {
  eventTime: number
  sequence: number
}

/** Identifies a query by everything except its page size and token. */
export function queryFingerprint(query: unknown): string {
  return sha256Hex(canonicalJson(query)).slice(0, 32)
}

export function encodeNextToken(position: PagePosition, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ t: position.eventTime, s: position.sequence, q: fingerprint }), 'utf8').toString('base64url')
}

/** Throws InvalidNextTokenException when the token is malformed or belongs to another query. */
export function decodeNextToken(token: string, fingerprint: string): PagePosition {
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'))
  } catch {
    parsed = undefined
  }
  const { t, s, q } = (parsed ?? {}) as Record<string, unknown>
  if (!Number.isSafeInteger(t) || !Number.isSafeInteger(s) || q !== fingerprint) {
    throw new CloudTrailError('InvalidNextTokenException', 'Invalid NextToken.')
  }
  return { eventTime: t as number, sequence: s as number }
}
