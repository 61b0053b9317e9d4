// CloudTrail LookupEvents over the audit log: what the caller's account sees (its own records and the
// cross-account calls on its keys), newest first, one lookup attribute, each result carrying the whole record
// as CloudTrailEvent (in canonical JSON, so its hash can be checked).
import { canonicalJson } from '../audit/canonical-json.js'
import { auditUsername, type ChainedAuditRecord } from '../audit/record.js'
import type { AuditLookupQuery, AuditStore } from '../store/audit-store.js'
import { MAX_LOOKUP_RESULTS, type LookupEventsInput } from './lookup-input.js'
import { decodeNextToken, encodeNextToken, queryFingerprint, type PagePosition } from './next-token.js'

export interface CloudTrailEvent {
  EventId: string
  EventName: string
  ReadOnly: string
  AccessKeyId?: string
  /** Epoch seconds, as AWS JSON 1.1 sends timestamps. */
  EventTime: number
  EventSource: string
  Username?: string
  Resources: { ResourceType: string; ResourceName: string }[]
  CloudTrailEvent: string
}

export interface LookupEventsOutput {
  Events: CloudTrailEvent[]
  NextToken?: string
}

function toEvent(record: ChainedAuditRecord, eventTime: number): CloudTrailEvent {
  const event: CloudTrailEvent = {
    EventId: record.eventID, EventName: record.eventName, ReadOnly: String(record.readOnly), EventTime: eventTime / 1000,
    EventSource: record.eventSource, Resources: record.resources.map((r) => ({ ResourceType: r.type, ResourceName: r.ARN })),
    CloudTrailEvent: canonicalJson(record),
  }
  if (record.userIdentity?.accessKeyId) event.AccessKeyId = record.userIdentity.accessKeyId
  const username = auditUsername(record)
  if (username) event.Username = username
  return event
}

/** A bare key id names the key of the caller's account in this region, as the KMS API lets callers do. */
function resourceArn(value: string, region: string, accountId: string): string {
  return value.startsWith('arn:') ? value : `arn:aws:kms:${region}:${accountId}:key/${value}`
}

/**
 * At most this many records are read for one page. The index is per account, not per region, so a region with
 * few records among many of another's would otherwise read them all; past the bound the page ends early, with
 * a NextToken that resumes where the reading stopped (CloudTrail may also answer a page with fewer events).
 */
export const MAX_EXAMINED_PER_PAGE = 5_000

/** Runs one page of the lookup in `region`. Throws InvalidNextTokenException for a foreign or malformed token. */
export async function lookupEvents(store: AuditStore, region: string, accountId: string, input: LookupEventsInput): Promise<LookupEventsOutput> {
  // CloudTrail Insights events do not exist here: that category is always empty.
  if (input.EventCategory === 'insight') return { Events: [] }
  const given = input.LookupAttributes?.[0]
  const attribute = given && {
    key: given.AttributeKey,
    value: given.AttributeKey === 'ResourceName' ? resourceArn(given.AttributeValue, region, accountId) : given.AttributeValue,
  }
  const fingerprint = queryFingerprint({ accountId, region, attribute, start: input.StartTime?.getTime(), end: input.EndTime?.getTime() })
  const limit = input.MaxResults ?? MAX_LOOKUP_RESULTS
  const query: AuditLookupQuery = { accountId, attribute, start: input.StartTime, end: input.EndTime, limit: limit + 1 }
  if (input.NextToken !== undefined) query.before = decodeNextToken(input.NextToken, fingerprint)
  const events: CloudTrailEvent[] = []
  let lastReturned: PagePosition | undefined
  let examined = 0
  for (;;) {
    // One extra row tells whether another page exists without a second query.
    const rows = await store.lookupAudit(query)
    for (const row of rows) {
      examined++
      const position = { eventTime: row.eventTime, sequence: row.sequence }
      query.before = position
      if (row.record.awsRegion !== region) continue
      // A further event of this region exists: the next page starts after the last one returned.
      if (events.length === limit) return { Events: events, NextToken: encodeNextToken(lastReturned!, fingerprint) }
      events.push(toEvent(row.record, row.eventTime))
      lastReturned = position
    }
    if (rows.length < query.limit) return { Events: events }
    if (examined >= MAX_EXAMINED_PER_PAGE) return { Events: events, NextToken: encodeNextToken(query.before!, fingerprint) }
  }
}
