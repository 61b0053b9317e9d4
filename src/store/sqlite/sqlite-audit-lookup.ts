// LookupEvents queries over SQLite: one prepared statement per lookup attribute, each served by an index
// that starts with the account and ends with event_time (and the rowid, seq), so newest-first pages are
// index range scans however many records the log holds. The common side of ReadOnly and EventSource walks
// the account index (nearly every row matches); the rare side has a partial index.
import type Database from 'better-sqlite3'
import type { ChainedAuditRecord } from '../../audit/record.js'
import type { AuditLookupQuery, AuditLookupRow } from '../audit-store.js'

type Row = { seq: number; event_time: number; record_json: string }
type Params = { account: string; value: string | null; start: number; end: number; bt: number; bs: number; limit: number }

const COLUMN: Record<'EventName' | 'Username' | 'AccessKeyId' | 'EventId', string> = {
  EventName: 'event_name',
  Username: 'username',
  AccessKeyId: 'access_key_id',
  EventId: 'event_id',
}

const KMS_SOURCE = 'kms.amazonaws.com'

// @bt/@bs resume a page: rows at exactly the boundary time are kept only when older (lower seq).
const PAGE = 'AND event_time BETWEEN @start AND @end AND (event_time < @bt OR seq < @bs) ORDER BY event_time DESC, seq DESC LIMIT @limit'

/** Names the statement a query needs: the attribute, and for the partially indexed ones which side. */
function variantOf(attribute: AuditLookupQuery['attribute']): string {
  if (!attribute) return 'none'
  if (attribute.key === 'ReadOnly') return `ReadOnly:${attribute.value}`
  if (attribute.key === 'EventSource') return attribute.value === KMS_SOURCE ? 'EventSource:kms' : 'EventSource:other'
  return attribute.key
}

function attributeFilter(variant: string): string {
  switch (variant) {
    case 'none': return ''
    // Literals, not parameters: only a literal lets the planner match the partial indexes' WHERE clauses.
    case 'ReadOnly:false': return 'AND read_only = 0'
    case 'ReadOnly:true': return 'AND read_only = 1'
    case 'EventSource:kms': return 'AND event_source = @value'
    case 'EventSource:other': return `AND event_source = @value AND event_source <> '${KMS_SOURCE}'`
    default: return `AND ${COLUMN[variant as keyof typeof COLUMN]} = @value`
  }
}

function sqlFor(variant: string): string {
  if (variant === 'ResourceName') {
    return `SELECT a.seq AS seq, r.event_time AS event_time, a.record_json AS record_json
      FROM audit_resources r JOIN audit a ON a.seq = r.seq
      WHERE r.account_id = @account AND r.resource_name = @value
      AND r.event_time BETWEEN @start AND @end AND (r.event_time < @bt OR r.seq < @bs)
      ORDER BY r.event_time DESC, r.seq DESC LIMIT @limit`
  }
  // An event id matches at most a few rows; left to itself the planner would walk the account's index for the
  // ORDER BY instead (SQLite-specific hint; the PostgreSQL driver's planner needs none).
  const hint = variant === 'EventId' ? ' INDEXED BY audit_by_event_id' : ''
  return `SELECT seq, event_time, record_json FROM audit${hint} WHERE account_id = @account ${attributeFilter(variant)} ${PAGE}`
}

function paramsFor(q: AuditLookupQuery): Params {
  const end = Math.min(q.end?.getTime() ?? Number.MAX_SAFE_INTEGER, q.before?.eventTime ?? Number.MAX_SAFE_INTEGER)
  const value = q.attribute === undefined || q.attribute.key === 'ReadOnly' ? null : q.attribute.value
  return {
    account: q.accountId, value, start: q.start?.getTime() ?? 0, end,
    bt: q.before?.eventTime ?? Number.MAX_SAFE_INTEGER, bs: q.before?.sequence ?? Number.MAX_SAFE_INTEGER, limit: q.limit,
  }
}

/** Builds the store's lookupAudit over `db`, preparing each attribute's statement on first use. */
export function lookupMethod(db: Database.Database): (q: AuditLookupQuery) => Promise<AuditLookupRow[]> {
  const prepared = new Map<string, Database.Statement<[Params], Row>>()
  return async (q) => {
    const variant = variantOf(q.attribute)
    let statement = prepared.get(variant)
    if (!statement) {
      statement = db.prepare<[Params], Row>(sqlFor(variant))
      prepared.set(variant, statement)
    }
    const params = paramsFor(q)
    // better-sqlite3 refuses named parameters the statement does not use.
    if (params.value === null) delete (params as Partial<Params>).value
    return statement.all(params).map((row) => ({
      sequence: row.seq, eventTime: row.event_time, record: JSON.parse(row.record_json) as ChainedAuditRecord,
    }))
  }
}
