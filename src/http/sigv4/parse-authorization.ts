// Parses an `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` header,
// tolerating spaces (or none) after the commas. Completeness is checked by the caller.
import { authorizationSuffix, incompleteSignature } from './errors.js'
import { algorithm } from './string-to-sign.js'

export interface AuthorizationParts {
  credential?: string
  /** Lowercase header names, in the order given. */
  signedHeaders?: string[]
  signature?: string
}

/**
 * The parts of a SigV4 Authorization header; a part that is absent or empty is left undefined.
 * Throws IncompleteSignatureException for another algorithm or a part without '='. Messages never echo
 * the header, so a signature cannot leak through them.
 */
export function parseAuthorization(header: string): AuthorizationParts {
  const text = header.trim()
  const space = text.search(/\s/)
  const scheme = space < 0 ? text : text.slice(0, space)
  if (scheme !== algorithm) {
    throw incompleteSignature(`Unsupported AWS 'algorithm'. Authorization header requires the '${algorithm}' algorithm.`)
  }
  const parts: AuthorizationParts = {}
  for (const piece of (space < 0 ? '' : text.slice(space)).split(',')) {
    const item = piece.trim()
    if (item === '') continue
    const eq = item.indexOf('=')
    if (eq < 0) {
      throw incompleteSignature(`A part of the Authorization header is not a valid key=value pair (missing equal-sign). ${authorizationSuffix}`)
    }
    assignPart(parts, item.slice(0, eq).trim(), item.slice(eq + 1).trim())
  }
  return parts
}

function assignPart(parts: AuthorizationParts, name: string, value: string): void {
  if (value === '') return
  if (name === 'Credential') parts.credential ??= value
  else if (name === 'Signature') parts.signature ??= value
  else if (name === 'SignedHeaders') parts.signedHeaders ??= value.split(';').map((h) => h.trim().toLowerCase())
}
