// Checks that a parsed Authorization header has everything SigV4 needs, listing every gap at once as AWS does,
// and that the headers which decide what a request does are covered by its signature.
import type { IncomingHttpHeaders } from 'node:http'
import { authorizationSuffix, incompleteSignature } from './errors.js'
import { readHeader } from './header-value.js'
import type { AuthorizationParts } from './parse-authorization.js'

export const missingDateGap = "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "

export interface CompleteAuthorization {
  credential: string
  signedHeaders: string[]
  signature: string
}

export interface SignedHeaderPolicy {
  /**
   * Admit a present X-Amz-Target that SignedHeaders leaves out (awscurl signs only host;x-amz-date). Off by
   * default: the target names the operation, so an unsigned one lets a captured DescribeKey be replayed as DisableKey.
   */
  allowUnsignedTarget?: boolean
}

/**
 * Headers that must be in SignedHeaders, in the order they are checked, each with the message naming it.
 * Host is always required (AWS's own rule and wording); the others only when present in the request.
 * X-Amz-Date is also bound through the string to sign, but every AWS SDK signs it, so an unsigned one is refused too.
 */
const required: readonly { name: string; whenPresent: boolean; message: string }[] = [
  { name: 'host', whenPresent: false, message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization." },
  { name: 'x-amz-date', whenPresent: true, message: "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization when it is present." },
  {
    name: 'x-amz-security-token',
    whenPresent: true,
    message: "'X-Amz-Security-Token' must be a 'SignedHeader' in the AWS Authorization when it is present.",
  },
  { name: 'x-amz-target', whenPresent: true, message: "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization when it is present." },
]

/**
 * The parts, known to be complete. Throws IncompleteSignatureException naming each missing parameter (and a
 * missing X-Amz-Date/Date header), or naming the first required header that SignedHeaders leaves out: host
 * always; X-Amz-Date, X-Amz-Security-Token and X-Amz-Target when present (the last unless `policy` admits it).
 */
export function requireCompleteAuthorization(
  parts: AuthorizationParts, headers: IncomingHttpHeaders, policy: SignedHeaderPolicy = {},
): CompleteAuthorization {
  const gaps: string[] = []
  if (parts.credential === undefined) gaps.push("Authorization header requires 'Credential' parameter. ")
  if (parts.signature === undefined) gaps.push("Authorization header requires 'Signature' parameter. ")
  if (parts.signedHeaders === undefined) gaps.push("Authorization header requires 'SignedHeaders' parameter. ")
  if (!readHeader(headers, 'x-amz-date') && !readHeader(headers, 'date')) {
    gaps.push(missingDateGap)
  }
  const { credential, signature, signedHeaders } = parts
  if (gaps.length > 0 || !credential || !signature || !signedHeaders) {
    throw incompleteSignature(gaps.join('') + authorizationSuffix)
  }
  for (const header of required) {
    if (header.name === 'x-amz-target' && policy.allowUnsignedTarget === true) continue
    if (header.whenPresent && readHeader(headers, header.name) === undefined) continue
    if (!signedHeaders.includes(header.name)) throw incompleteSignature(header.message)
  }
  return { credential, signature, signedHeaders }
}
