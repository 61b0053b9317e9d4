// The SigV4 string to sign: algorithm, request time, credential scope and the canonical request's hash.
import { sha256Hex } from './payload-hash.js'

export const algorithm = 'AWS4-HMAC-SHA256'

/** `amzDate` is yyyyMMddTHHmmssZ; `scope` is date/region/service/aws4_request. */
export function stringToSign(amzDate: string, scope: string, canonicalRequestText: string): string {
  return [algorithm, amzDate, scope, sha256Hex(canonicalRequestText)].join('\n')
}
