// The part of the audit hash chain one page of LookupEvents can show: a record's `trentPreviousHash` is the
// SHA-256 of the canonical form of the record with the previous sequence number, and `CloudTrailEvent` is that
// canonical form byte for byte. So wherever both neighbours are on the page the link is checked here. Signed
// digests and the whole chain are verified by `trent audit verify`; no API exposes that.
import { toHex, utf8 } from './bytes.js'

export type LinkStatus = 'verified' | 'broken' | 'unchecked'

export interface ChainFields {
  sequence?: number
  previousHash?: string
}

export function chainFields(canonical: string): ChainFields {
  const record = JSON.parse(canonical) as { trentSequence?: number; trentPreviousHash?: string }
  return { sequence: record.trentSequence, previousHash: record.trentPreviousHash }
}

/** For each canonical record, whether its link to its predecessor could be checked on this page, and held. */
export async function checkLinks(canonicalRecords: string[]): Promise<LinkStatus[]> {
  const fields = canonicalRecords.map(chainFields)
  const bySequence = new Map<number, string>()
  canonicalRecords.forEach((text, i) => { if (fields[i]!.sequence !== undefined) bySequence.set(fields[i]!.sequence!, text) })
  return Promise.all(fields.map(async (f): Promise<LinkStatus> => {
    if (f.sequence === undefined || f.previousHash === undefined) return 'unchecked'
    const previous = bySequence.get(f.sequence - 1)
    if (previous === undefined) return 'unchecked'
    const hash = toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', utf8(previous))))
    return hash === f.previousHash ? 'verified' : 'broken'
  }))
}
