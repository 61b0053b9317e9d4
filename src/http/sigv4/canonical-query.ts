// Canonical query string: each name and value decoded then RFC 3986-encoded, pairs sorted by name then value.
import { percentDecode, uriEncode } from './uri-encode.js'

/** The canonical query string of a raw query (the part after '?', without it); '' when there is none. */
export function canonicalQuery(rawQuery: string): string {
  const pairs: Array<[string, string]> = []
  for (const part of rawQuery.split('&')) {
    if (part === '') continue
    const eq = part.indexOf('=')
    const name = eq < 0 ? part : part.slice(0, eq)
    const value = eq < 0 ? '' : part.slice(eq + 1)
    pairs.push([uriEncode(percentDecode(name)), uriEncode(percentDecode(value))])
  }
  pairs.sort(([an, av], [bn, bv]) => compareAscii(an, bn) || compareAscii(av, bv))
  return pairs.map(([name, value]) => `${name}=${value}`).join('&')
}

// Encoded strings are pure ASCII, so code-unit order is byte order.
function compareAscii(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
