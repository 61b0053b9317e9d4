// LookupEvents queries over SQLite: one prepared statement per lookup attribute, each served by indexes
// that start with the account and end with event_time (and seq), so newest-first pages are index range
// scans however many records the log holds. An account sees its own records (audit) and the cross-account
// calls on its keys (audit_shared), merged in order. The common side of ReadOnly and EventSource walks the
// account index (nearly every row matches); the rare side has a partial index.
import type Database from 'better-sqlite3'
import type { ChainedAuditRecord } from '../../audit/record.js'
import type { AuditLookupQuery, AuditLookupRow } from '../audit-store.js'

type Row = { seq: number; event_time: number; record_json: string }
export type Params = { account: string; value: string | null; start: number; end: number; bt: number; bs: number; limit: number }

const COLUMN: Record<'EventName' | 'Username' | 'AccessKeyId' | 'EventId', string> = {
  EventName: 'event_name',
  Username: 'username',
  AccessKeyId: 'access_key_id',
  EventId: 'event_id',
}

const KMS_SOURCE = 'kms.amazonaws.com'

/** Names the statement a query needs: the attribute, and for the partially indexed ones which side. */
export function variantOf(attribute: AuditLookupQuery['attribute']): string {
  if (!attribute) return 'none'
  if (attribute.key === 'ReadOnly') return `ReadOnly:${attribute.value}`
  if (attribute.key === 'EventSource') return attribute.value === KMS_SOURCE ? 'EventSource:kms' : 'EventSource:other'
  return attribute.key
}

/** Every statement lookupAudit() may run, for the query-plan test. */
export const LOOKUP_VARIANTS: readonly string[] = [
  'none', 'ReadOnly:false', 'ReadOnly:true', 'EventSource:kms', 'EventSource:other', 'ResourceName', ...Object.keys(COLUMN),
]

/** The attribute's condition on the columns of table alias `t` (audit and audit_shared name them alike). */
function attributeFilter(variant: string, t: string): string {
  switch (variant) {
    case 'none': return ''
    // Literals, not parameters: only a literal lets the planner match the partial indexes' WHERE clauses.
    case 'ReadOnly:false': return `AND ${t}.read_only = 0`
    case 'ReadOnly:true': return `AND ${t}.read_only = 1`
    case 'EventSource:kms': return `AND ${t}.event_source = @value`
    case 'EventSource:other': return `AND ${t}.event_source = @value AND ${t}.event_source <> '${KMS_SOURCE}'`
    default: return `AND ${t}.${COLUMN[variant as keyof typeof COLUMN]} = @value`
  }
}

/** The time window and the resume point, on alias `t`: rows at exactly the boundary time are kept only when older (lower seq). */
function window(t: string): string {
  return `AND ${t}.event_time BETWEEN @start AND @end AND (${t}.event_time < @bt OR ${t}.seq < @bs)`
}

const NEWEST_FIRST = 'ORDER BY event_time DESC, seq DESC LIMIT @limit'

/**
 * The SQL of one variant, with @named parameters. Exported for the query-plan test and the PostgreSQL
 * driver, which runs the same text without SQLite's index hints (`hints: false`; its planner needs none).
 */
export function lookupSql(variant: string, options: { hints?: boolean } = {}): string {
  if (variant === 'ResourceName') {
    // audit_resources already holds a row per account that sees the record (caller and key owners).
    return `SELECT r.seq AS seq, r.event_time AS event_time, a.record_json AS record_json
      FROM audit_resources r JOIN audit a ON a.seq = r.seq
      WHERE r.account_id = @account AND r.resource_name = @value ${window('r')} ${NEWEST_FIRST}`
  }
  // An event id matches at most a few rows; left to itself the planner would walk the account's index for the
  // ORDER BY instead (SQLite-specific hint; the PostgreSQL driver's planner needs none).
  const hint = (index: string) => (variant === 'EventId' && options.hints !== false ? ` INDEXED BY ${index}` : '')
  // The account's own records, merged with the cross-account calls on its keys. Both arms are index range
  // scans in (event_time, seq) order, so SQLite merges them (MERGE UNION ALL) without sorting, and stops
  // reading each arm once the page is full.
  return `SELECT a.seq AS seq, a.event_time AS event_time, a.record_json AS record_json FROM audit a${hint('audit_by_event_id')}
      WHERE a.account_id = @account ${attributeFilter(variant, 'a')} ${window('a')}
    UNION ALL
    SELECT s.seq, s.event_time, a.record_json FROM audit_shared s${hint('audit_shared_by_event_id')} JOIN audit a ON a.seq = s.seq
      WHERE s.account_id = @account ${attributeFilter(variant, 's')} ${window('s')}
    ${NEWEST_FIRST}`
}

export function paramsFor(q: AuditLookupQuery): Params {
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
      statement = db.prepare<[Params], Row>(lookupSql(variant))
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
