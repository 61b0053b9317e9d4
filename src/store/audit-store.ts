// The audit half of the storage contract: the hash-chained record log, its signed digests, indexed lookup
// for CloudTrail LookupEvents, retention pruning and a cheap writability probe.
import type { AuditRecord, ChainedAuditRecord } from '../audit/record.js'
import type { AuditDigest } from '../audit/digest.js'

/** The chain's last link: what the next appended record will point back to. */
export interface AuditChainHead {
  /** Sequence of the last record (0 before any). */
  sequence: number
  /** Canonical hash of the last record (the genesis hash before any). */
  hash: string
  /** eventTime of the last record, when there is one. */
  eventTime?: string
}

export type AuditLookupAttribute = 'EventName' | 'ResourceName' | 'Username' | 'AccessKeyId' | 'EventId' | 'ReadOnly' | 'EventSource'

export interface AuditLookupQuery {
  /**
   * Only records this account may see: those whose recipientAccountId is this account, and cross-account
   * calls on its keys (auditSharedAccounts() in audit/record.ts; docs/audit-chain.md).
   */
  accountId: string
  attribute?: { key: AuditLookupAttribute; value: string }
  /** Inclusive bounds on eventTime. */
  start?: Date
  end?: Date
  /** Resume strictly after (older than) this position, from a previous page. */
  before?: { eventTime: number; sequence: number }
  limit: number
}

export interface AuditLookupRow {
  sequence: number
  /** eventTime in milliseconds. */
  eventTime: number
  record: ChainedAuditRecord
}

export interface AuditStore {
  /**
   * Places the records at the end of the chain and stores them in one durable write, in order. Sequence
   * numbers and previous hashes are computed inside the write transaction, so concurrent writers (in this
   * process or others sharing the database) always extend one linear chain. Returns the records as stored.
   */
  appendAudit(records: AuditRecord[]): Promise<ChainedAuditRecord[]>
  /** Records in chain order with sequence greater than `after`. */
  listAudit(after: number, limit: number): Promise<{ seq: number; record: ChainedAuditRecord }[]>
  /** Records one account sees (its own and cross-account calls on its keys), newest first (eventTime, then sequence), by index. */
  lookupAudit(query: AuditLookupQuery): Promise<AuditLookupRow[]>
  auditChainHead(): Promise<AuditChainHead>

  /** Stores a signed digest. Throws StoreConflictError when a digest with its sequence exists (another writer won). */
  insertAuditDigest(digest: AuditDigest): Promise<void>
  /** The digest with the highest sequence, if any. */
  latestAuditDigest(): Promise<AuditDigest | undefined>
  /** Digests in sequence order with digestSequence greater than `after`. */
  listAuditDigests(after: number, limit: number): Promise<AuditDigest[]>
  /**
   * Deletes records with sequence ≤ `throughRecord` and digests with sequence ≤ `throughDigest`, atomically.
   * Returns how many of each went.
   */
  pruneAudit(throughRecord: number, throughDigest: number): Promise<{ records: number; digests: number }>
  /** Throws unless a record could be appended right now (runs a real insert and rolls it back). */
  probeAuditWritable(): Promise<void>
  /** Number of keys in each key state, for the monitoring gauge. */
  countKeysByState(): Promise<Record<string, number>>
}
