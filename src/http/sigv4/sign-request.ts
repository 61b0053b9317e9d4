// The client half of SigV4, for the requests Trent itself sends (to peer deployments): built from the same
// canonical-request, string-to-sign and signing-key pieces the server verifies with, so both sides cannot drift.
// Signs host, content-type, x-amz-date and x-amz-target (as the AWS SDK's JSON clients do), with the body's hash.
import { canonicalRequest } from './canonical-request.js'
import { sha256Hex } from './payload-hash.js'
import { computeSignature } from './signature.js'
import { deriveSigningKey } from './signing-key.js'
import { algorithm, stringToSign } from './string-to-sign.js'

export interface RequestToSign {
  /** host[:port], exactly as the Host header will carry it. */
  host: string
  /** Path (and query) of the request target. */
  url: string
  /** Lower-case header names; host and x-amz-date are added. */
  headers: Record<string, string>
  body: string
}

export interface SigningCredential {
  accessKeyId: string
  secretAccessKey: string
}

/** yyyyMMddTHHmmssZ. */
function amzDateOf(at: Date): string {
  return at.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')
}

/** The request's headers with host, x-amz-date and Authorization added, signed POST for `service` in `region` at `at`. */
export function signRequest(req: RequestToSign, credential: SigningCredential, region: string, service: string, at: Date): Record<string, string> {
  const amzDate = amzDateOf(at)
  const date = amzDate.slice(0, 8)
  const headers: Record<string, string> = { ...req.headers, host: req.host, 'x-amz-date': amzDate }
  const signedHeaders = Object.keys(headers).map((h) => h.toLowerCase()).sort()
  const canonical = canonicalRequest({ method: 'POST', url: req.url, headers, signedHeaders, payloadHash: sha256Hex(req.body) })
  const scope = `${date}/${region}/${service}/aws4_request`
  const key = deriveSigningKey(credential.secretAccessKey, date, region, service)
  try {
    const signature = computeSignature(key, stringToSign(amzDate, scope, canonical))
    return { ...headers, authorization: `${algorithm} Credential=${credential.accessKeyId}/${scope}, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}` }
  } finally {
    key.fill(0)
  }
}
