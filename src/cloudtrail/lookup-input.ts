// Decodes and validates a LookupEvents request body (AWS JSON 1.1: timestamps are epoch seconds) with
// CloudTrail's exception names, so SDKs and the CLI see the errors they know.
import type { AuditLookupAttribute } from '../store/audit-store.js'
import { KmsError } from '../wire/kms-error.js'
import { CloudTrailError } from './cloudtrail-error.js'

export const LOOKUP_ATTRIBUTE_KEYS: readonly AuditLookupAttribute[] = ['EventName', 'ResourceName', 'Username', 'AccessKeyId', 'EventId', 'ReadOnly', 'EventSource']
export const MAX_LOOKUP_RESULTS = 50

export interface LookupEventsInput {
  LookupAttributes?: { AttributeKey: AuditLookupAttribute; AttributeValue: string }[]
  StartTime?: Date
  EndTime?: Date
  EventCategory?: 'insight'
  MaxResults?: number
  NextToken?: string
}

function invalidAttributes(message: string): CloudTrailError {
  return new CloudTrailError('InvalidLookupAttributesException', message)
}

function lookupAttributes(value: unknown): LookupEventsInput['LookupAttributes'] {
  if (value === undefined || value === null) return undefined
  if (!Array.isArray(value)) throw new KmsError('SerializationException', 'LookupAttributes must be a list.')
  if (value.length > 1) throw invalidAttributes('You can only specify one lookup attribute.')
  return value.map((a: unknown) => {
    const { AttributeKey: key, AttributeValue: v } = (a ?? {}) as Record<string, unknown>
    if (typeof key !== 'string' || !(LOOKUP_ATTRIBUTE_KEYS as readonly string[]).includes(key)) {
      throw invalidAttributes(`AttributeKey must be one of: ${LOOKUP_ATTRIBUTE_KEYS.join(', ')}.`)
    }
    if (typeof v !== 'string' || v.length < 1 || v.length > 2000) throw invalidAttributes('AttributeValue must be between 1 and 2000 characters long.')
    if (key === 'ReadOnly' && v !== 'true' && v !== 'false') throw invalidAttributes('The ReadOnly attribute value must be true or false.')
    return { AttributeKey: key as AuditLookupAttribute, AttributeValue: v }
  })
}

function timestamp(name: string, value: unknown): Date | undefined {
  if (value === undefined || value === null) return undefined
  const date = typeof value === 'number' ? new Date(value * 1000) : typeof value === 'string' ? new Date(value) : undefined
  if (!date || Number.isNaN(date.getTime())) throw new KmsError('SerializationException', `${name} must be a timestamp.`)
  return date
}

function maxResults(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_LOOKUP_RESULTS) {
    throw new CloudTrailError('InvalidMaxResultsException', `MaxResults must be an integer between 1 and ${MAX_LOOKUP_RESULTS}.`)
  }
  return value
}

/** Throws CloudTrailError (or SerializationException for wrongly typed members); unknown members are ignored. */
export function parseLookupEventsInput(body: Record<string, unknown>): LookupEventsInput {
  const input: LookupEventsInput = {
    LookupAttributes: lookupAttributes(body.LookupAttributes),
    StartTime: timestamp('StartTime', body.StartTime),
    EndTime: timestamp('EndTime', body.EndTime),
    MaxResults: maxResults(body.MaxResults),
  }
  if (input.StartTime && input.EndTime && input.StartTime > input.EndTime) {
    throw new CloudTrailError('InvalidTimeRangeException', 'Occurs if the timestamp values are invalid. Either the start time occurs after the end time, or the time range is outside the range of possible values.')
  }
  if (body.EventCategory !== undefined && body.EventCategory !== null) {
    if (body.EventCategory !== 'insight') throw new CloudTrailError('InvalidEventCategoryException', 'EventCategory must be insight.')
    input.EventCategory = 'insight'
  }
  if (body.NextToken !== undefined && body.NextToken !== null) {
    if (typeof body.NextToken !== 'string') throw new CloudTrailError('InvalidNextTokenException', 'Invalid NextToken.')
    input.NextToken = body.NextToken
  }
  return input
}
