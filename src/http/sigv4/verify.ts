// The SigV4 entry point: verifies an AWS4-HMAC-SHA256 Authorization header against the request and
// resolves the signing credential. Every failure is a KmsError carrying the AWS exception name.
import type { IncomingHttpHeaders } from 'node:http'
import { canonicalRequest } from './canonical-request.js'
import { missingDateGap, requireCompleteAuthorization } from './complete-authorization.js'
import { checkScope, parseCredential, scopeString } from './credential-scope.js'
import { authorizationSuffix, incompleteSignature, missingAuthenticationToken, signatureMismatch, unrecognizedClient } from './errors.js'
import { readHeader } from './header-value.js'
import { parseAuthorization } from './parse-authorization.js'
import { payloadHash } from './payload-hash.js'
import { checkFreshness, readRequestDate } from './request-date.js'
import { computeSignature, isSameSignature } from './signature.js'
import { createSigningKeyCache, type SigningScope } from './signing-key.js'
import { stringToSign } from './string-to-sign.js'

export interface SignedRequest {
  method: string
  /** Raw path + optional ?query, as received. */
  url: string
  /** Lowercase keys as node:http gives them. Pass `req.headersDistinct` to keep repeated headers apart. */
  headers: IncomingHttpHeaders
  body: Uint8Array
}

export interface VerifyOptions<C> {
  /** The regions the server serves; the credential scope must name one of them. */
  regions: ReadonlySet<string>
  /** Allowed signing service names, e.g. ['kms']. */
  services: readonly string[]
  /** Injected clock. */
  now: Date
  /**
   * Looks up an access key; undefined when unknown. Returns the secret, or (from a credential cache) the
   * signing key already derived for `scope`, as a copy this function zeroes once it has used it.
   */
  lookup(accessKeyId: string, scope: SigningScope): Promise<(C & ({ secretAccessKey: string } | { signingKey: Uint8Array })) | undefined>
  /** Admit an X-Amz-Target left out of SignedHeaders (see SignedHeaderPolicy); false when absent. */
  allowUnsignedTarget?: boolean
}

export interface VerifiedRequest<C> {
  /** What `lookup` returned, copied without `secretAccessKey`. */
  credential: C
  accessKeyId: string
  service: string
  /** The credential scope's region: which of the served regions the request is for. */
  region: string
  /** The signed X-Amz-Security-Token, for the caller to validate; this function does not. */
  sessionToken?: string
  signedAt: Date
}

const signingKeys = createSigningKeyCache()

/**
 * Verifies the request's SigV4 signature. Throws KmsError: MissingAuthenticationTokenException (no Authorization),
 * IncompleteSignatureException (malformed or incomplete header, or a required header left unsigned: host, and when
 * present X-Amz-Date, X-Amz-Security-Token and X-Amz-Target), UnrecognizedClientException (unknown key) or
 * InvalidSignatureException (scope, clock skew, payload hash or signature mismatch).
 */
export async function verifySigV4<C>(req: SignedRequest, opts: VerifyOptions<C>): Promise<VerifiedRequest<C>> {
  const header = readHeader(req.headers, 'authorization')
  if (header === undefined || header.trim() === '') throw missingAuthenticationToken()
  const auth = requireCompleteAuthorization(parseAuthorization(header), req.headers, { allowUnsignedTarget: opts.allowUnsignedTarget })
  const date = readRequestDate(req.headers)
  if (date === undefined) throw incompleteSignature(`${missingDateGap}${authorizationSuffix}`)
  const scope = parseCredential(auth.credential)
  checkScope(scope, { regions: opts.regions, services: opts.services, amzDate: date.amzDate })
  checkFreshness(date, opts.now)
  const found = await opts.lookup(scope.accessKeyId, { date: scope.date, region: scope.region, service: scope.service })
  if (found === undefined) throw unrecognizedClient()
  const { secretAccessKey, signingKey: lent, ...credential } = found as C & { secretAccessKey?: string; signingKey?: Uint8Array }
  const canonical = canonicalRequest({
    method: req.method,
    url: req.url,
    headers: req.headers,
    signedHeaders: auth.signedHeaders,
    payloadHash: payloadHash(req.body, req.headers),
  })
  const toSign = stringToSign(date.amzDate, scopeString(scope), canonical)
  let expected: string
  if (lent !== undefined) {
    expected = computeSignature(lent, toSign)
    lent.fill(0)
  } else {
    expected = computeSignature(signingKeys.get(secretAccessKey ?? '', scope.date, scope.region, scope.service), toSign)
  }
  if (!isSameSignature(expected, auth.signature)) throw signatureMismatch()
  const sessionToken = readHeader(req.headers, 'x-amz-security-token')
  return {
    credential: credential as unknown as C,
    accessKeyId: scope.accessKeyId,
    service: scope.service,
    region: scope.region,
    signedAt: date.at,
    ...(sessionToken === undefined ? {} : { sessionToken }),
  }
}
