// Canonical headers block: one "name:value" line per signed header, in the order SignedHeaders lists them.
import type { IncomingHttpHeaders } from 'node:http'

/**
 * Lines for exactly the `signedHeaders` (lowercase names). Values are trimmed with runs of spaces and tabs
 * collapsed, as the SDK signers do; repeated headers (an array) are joined with ",". A signed header missing
 * from the request yields "name:" and so a signature mismatch later, never a crash.
 */
export function canonicalHeaders(headers: IncomingHttpHeaders, signedHeaders: readonly string[]): string {
  return signedHeaders.map((name) => `${name}:${canonicalHeaderValue(ownHeader(headers, name))}\n`).join('')
}

/** node:http's header map inherits from Object.prototype: a signed name like `constructor` must not reach it. */
function ownHeader(headers: IncomingHttpHeaders, name: string): string | string[] | undefined {
  return Object.hasOwn(headers, name) ? headers[name] : undefined
}

export function canonicalHeaderValue(value: string | string[] | undefined): string {
  if (value === undefined) return ''
  const values = Array.isArray(value) ? value : [value]
  return values.map(trimAll).join(',')
}

/** Anything trimAll would change; most values (the SDKs send them clean) have none and skip the three rewrites. */
const NEEDS_TRIM = /[\r\n\t]| {2}|^ | $/

function trimAll(value: string): string {
  if (!NEEDS_TRIM.test(value)) return value
  return value.replace(/[\r\n]/g, ' ').replace(/[ \t]+/g, ' ').replace(/^ | $/g, '')
}
