// The request's signing time: X-Amz-Date (ISO 8601 basic), else the RFC 1123 Date header;
// and the 15-minute window AWS allows between it and the server clock.
import type { IncomingHttpHeaders } from 'node:http'
import { incompleteSignature, invalidSignature } from './errors.js'
import { readHeader } from './header-value.js'

export interface RequestDate {
  /** yyyyMMddTHHmmssZ, the form the string to sign and the messages use. */
  amzDate: string
  at: Date
}

const maxSkewMs = 15 * 60 * 1000
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const basicFormat = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/
const rfc1123 = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/

/** The last X-Amz-Date that parsed, and its instant. */
let lastAmzDate = { text: '', ms: 0 }

/** yyyyMMddTHHmmssZ for `date` (UTC, whole seconds). */
export function formatAmzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')
}

/**
 * The signing time, or undefined when neither header is present. Throws IncompleteSignatureException when the
 * header that is used cannot be read as a real date in its format.
 */
export function readRequestDate(headers: IncomingHttpHeaders): RequestDate | undefined {
  const amz = readHeader(headers, 'x-amz-date')
  if (amz !== undefined && amz !== '') {
    // Concurrent requests carry the same second: parse each distinct value once.
    if (amz === lastAmzDate.text) return { amzDate: amz, at: new Date(lastAmzDate.ms) }
    const m = basicFormat.exec(amz)
    const at = m && utcDate(m[1], m[2], m[3], m[4], m[5], m[6])
    if (!at) throw incompleteSignature(`Date must be in ISO-8601 'basic format'. Got '${amz}'. See http://en.wikipedia.org/wiki/ISO_8601`)
    lastAmzDate = { text: amz, ms: at.getTime() }
    return { amzDate: amz, at }
  }
  const http = readHeader(headers, 'date')
  if (http === undefined || http === '') return undefined
  const m = rfc1123.exec(http)
  const month = m ? months.indexOf(m[2] ?? '') : -1
  const at = m && month >= 0 && utcDate(m[3], String(month + 1), m[1], m[4], m[5], m[6])
  if (!at) throw incompleteSignature(`Date must be in RFC 1123 format. Got '${http}'.`)
  return { amzDate: formatAmzDate(at), at }
}

/** Throws InvalidSignatureException when the signing time is more than 15 minutes from `now`, either way. */
export function checkFreshness(date: RequestDate, now: Date): void {
  const skew = date.at.getTime() - now.getTime()
  if (skew < -maxSkewMs) {
    const floor = formatAmzDate(new Date(now.getTime() - maxSkewMs))
    throw invalidSignature(`Signature expired: ${date.amzDate} is now earlier than ${floor} (${formatAmzDate(now)} - 15 min.)`)
  }
  if (skew > maxSkewMs) {
    const ceiling = formatAmzDate(new Date(now.getTime() + maxSkewMs))
    throw invalidSignature(`Signature not yet current: ${date.amzDate} is still later than ${ceiling} (${formatAmzDate(now)} + 15 min.)`)
  }
}

// A Date for the given UTC fields, or undefined when they name no real instant (e.g. month 13, Feb 30).
function utcDate(...fields: Array<string | undefined>): Date | undefined {
  const [y, mo, d, h, mi, s] = fields.map(Number) as [number, number, number, number, number, number]
  const at = new Date(Date.UTC(y, mo - 1, d, h, mi, s))
  const roundTrips = at.getUTCFullYear() === y && at.getUTCMonth() === mo - 1 && at.getUTCDate() === d &&
    at.getUTCHours() === h && at.getUTCMinutes() === mi && at.getUTCSeconds() === s
  return roundTrips ? at : undefined
}
