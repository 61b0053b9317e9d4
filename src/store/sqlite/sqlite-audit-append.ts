// Appending a batch to the SQLite audit chain: inside one IMMEDIATE transaction, read the chain head, place
// each record (its canonical form and hash computed once, here), then write the batch's rows for audit,
// audit_shared and audit_resources with multi-row INSERTs and move the head.
import type Database from 'better-sqlite3'
import { canonicalJsonWith, sha256Hex } from '../../audit/canonical-json.js'
import { auditSharedAccounts, auditUsername, type AuditRecord, type ChainedAuditRecord } from '../../audit/record.js'
import { rememberStoredForm } from '../../audit/stored-form.js'
import { multiRowInsert } from './multi-row-insert.js'

type Db = Database.Database

interface HeadRow { seq: number; hash: string }

/** The rows one batch adds to the three audit tables, in append order, each table's values flat (multiRowInsert). */
export interface BatchRows {
  audit: unknown[]
  shared: unknown[]
  resources: unknown[]
}

/**
 * Adds record `r`, placed at `seq` after `previousHash`, to `rows`; returns the record as stored and its hash.
 * Throws RangeError for an eventTime that does not parse.
 */
export function placeRecord(r: AuditRecord, seq: number, previousHash: string, rows: BatchRows): { record: ChainedAuditRecord; hash: string } {
  const time = Date.parse(r.eventTime)
  // A record we cannot place in time would silently drop out of time-range queries.
  if (!Number.isFinite(time)) throw new RangeError('audit record has an unparseable eventTime')
  const json = canonicalJsonWith(r, { trentSequence: seq, trentPreviousHash: previousHash })
  const hash = sha256Hex(json)
  const record: ChainedAuditRecord = { ...r, trentSequence: seq, trentPreviousHash: previousHash }
  rememberStoredForm(record, json)
  const accessKeyId = r.userIdentity?.accessKeyId ?? null
  const username = auditUsername(r) ?? null
  const readOnly = r.readOnly ? 1 : 0
  rows.audit.push(seq, r.eventID, time, r.eventName, r.recipientAccountId, accessKeyId, username, readOnly, r.eventSource, hash, json)
  // One record, indexed for every account that sees it: the caller's in audit, each key owner's in audit_shared.
  const shared = auditSharedAccounts(r)
  for (const account of shared) rows.shared.push(account, time, seq, r.eventID, r.eventName, accessKeyId, username, readOnly, r.eventSource)
  for (const account of [r.recipientAccountId, ...shared]) {
    for (const res of r.resources) rows.resources.push(account, res.ARN, time, seq)
  }
  return { record, hash }
}

/** Places `records` one after another after (`seq`, `hash`): their rows, the records as stored, and the new head. */
export function placeBatch(records: AuditRecord[], seq: number, hash: string): { rows: BatchRows; stored: ChainedAuditRecord[]; seq: number; hash: string } {
  const rows: BatchRows = { audit: [], shared: [], resources: [] }
  const stored: ChainedAuditRecord[] = []
  for (const r of records) {
    const placed = placeRecord(r, ++seq, hash, rows)
    hash = placed.hash
    stored.push(placed.record)
  }
  return { rows, stored, seq, hash }
}

/**
 * The append transaction of the SQLite audit store. `maxVariables` is SQLite's bound-variable limit
 * (readVariableLimit); every multi-row statement stays within it.
 */
export function auditAppender(db: Db, maxVariables: number): (records: AuditRecord[]) => ChainedAuditRecord[] {
  const head = db.prepare<[], HeadRow>('SELECT seq, hash FROM audit_chain WHERE id = 1')
  const setHead = db.prepare<[number, string, string]>('UPDATE audit_chain SET seq = ?, hash = ?, event_time = ? WHERE id = 1')
  // OR ROLLBACK: a statement that writes several rows and may abort half-way needs a statement journal (a
  // temp file per statement, which made multi-row inserts cost more CPU than single rows); a conflict here
  // fails the whole batch anyway, so ending the transaction at once loses nothing. The shared and resource
  // inserts already ignore conflicts, so they cannot abort half-way either.
  const insertAudit = multiRowInsert(db, `INSERT OR ROLLBACK INTO audit (seq, event_id, event_time, event_name, account_id, access_key_id, username,
    read_only, event_source, hash, record_json)`, 11, maxVariables)
  const insertShared = multiRowInsert(db, `INSERT OR IGNORE INTO audit_shared (account_id, event_time, seq, event_id, event_name,
    access_key_id, username, read_only, event_source)`, 9, maxVariables)
  const insertResources = multiRowInsert(db, 'INSERT OR IGNORE INTO audit_resources (account_id, resource_name, event_time, seq)', 4, maxVariables)
  const append = db.transaction((records: AuditRecord[]): ChainedAuditRecord[] => {
    const at = head.get()
    if (!at) throw new Error('audit chain head is missing')
    const { rows, stored, seq, hash } = placeBatch(records, at.seq, at.hash)
    insertAudit.run(rows.audit)
    insertShared.run(rows.shared)
    insertResources.run(rows.resources)
    setHead.run(seq, hash, records[records.length - 1]!.eventTime)
    return stored
  })
  return (records) => (records.length > 0 ? append.immediate(records) : [])
}
