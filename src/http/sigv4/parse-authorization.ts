// Parses an `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` header,
// tolerating spaces (or none) after the commas and the parts in any order. The header has exactly these
// three parts, each at most once: anything else is refused, so nothing unsigned rides along with a valid
// signature. Completeness (no part missing) is checked by the caller.
import { authorizationSuffix, incompleteSignature } from './errors.js'
import { algorithm } from './string-to-sign.js'

export interface AuthorizationParts {
  credential?: string
  /** Lowercase header names, in the order given. */
  signedHeaders?: string[]
  signature?: string
}

type PartName = 'Credential' | 'SignedHeaders' | 'Signature'
const PART_NAMES: ReadonlySet<string> = new Set<PartName>(['Credential', 'SignedHeaders', 'Signature'])

/**
 * The parts of a SigV4 Authorization header; a part that is absent or empty is left undefined.
 * Throws IncompleteSignatureException for another algorithm, a part without '=', an unknown part or a
 * repeated one. Messages never echo the header (only the three fixed part names), so a signature or a
 * caller's bulk cannot leak through them.
 */
export function parseAuthorization(header: string): AuthorizationParts {
  const text = header.trim()
  const space = text.search(/\s/)
  const scheme = space < 0 ? text : text.slice(0, space)
  if (scheme !== algorithm) {
    throw incompleteSignature(`Unsupported AWS 'algorithm'. Authorization header requires the '${algorithm}' algorithm.`)
  }
  const parts: AuthorizationParts = {}
  const seen = new Set<string>()
  for (const piece of (space < 0 ? '' : text.slice(space)).split(',')) {
    const item = piece.trim()
    if (item === '') continue
    const eq = item.indexOf('=')
    if (eq < 0) {
      throw incompleteSignature(`A part of the Authorization header is not a valid key=value pair (missing equal-sign). ${authorizationSuffix}`)
    }
    const name = item.slice(0, eq).trim()
    if (!PART_NAMES.has(name)) {
      throw incompleteSignature(`Authorization header contains an unrecognized parameter; only 'Credential', 'SignedHeaders' and 'Signature' are allowed. ${authorizationSuffix}`)
    }
    if (seen.has(name)) throw incompleteSignature(`Authorization header contains the '${name}' parameter more than once. ${authorizationSuffix}`)
    seen.add(name)
    assignPart(parts, name as PartName, item.slice(eq + 1).trim())
  }
  return parts
}

function assignPart(parts: AuthorizationParts, name: PartName, value: string): void {
  if (value === '') return
  if (name === 'Credential') parts.credential = value
  else if (name === 'Signature') parts.signature = value
  else parts.signedHeaders = value.split(';').map((h) => h.trim().toLowerCase())
}
