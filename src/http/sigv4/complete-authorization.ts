// Checks that a parsed Authorization header has everything SigV4 needs, listing every gap at once as AWS does.
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

/**
 * The parts, known to be complete. Throws IncompleteSignatureException naming each missing parameter (and a
 * missing X-Amz-Date/Date header), or when SignedHeaders leaves out host or a present X-Amz-Security-Token.
 */
export function requireCompleteAuthorization(parts: AuthorizationParts, headers: IncomingHttpHeaders): CompleteAuthorization {
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
  if (!signedHeaders.includes('host')) {
    throw incompleteSignature("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
  }
  if (readHeader(headers, 'x-amz-security-token') !== undefined && !signedHeaders.includes('x-amz-security-token')) {
    throw incompleteSignature("'X-Amz-Security-Token' must be a 'SignedHeader' in the AWS Authorization when it is present.")
  }
  return { credential, signature, signedHeaders }
}
