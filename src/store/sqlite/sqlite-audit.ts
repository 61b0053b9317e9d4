// The SQLite side of the audit store: the hash chain is extended inside one IMMEDIATE transaction per
// batch (so writers in several processes still build one linear chain), plus lookup, digests and pruning.
import type Database from 'better-sqlite3'
import type { AuditDigest } from '../../audit/digest.js'
import type { ChainedAuditRecord } from '../../audit/record.js'
import type { AuditStore } from '../audit-store.js'
import { conflictAware } from './database.js'
import { readVariableLimit } from './multi-row-insert.js'
import { auditAppender } from './sqlite-audit-append.js'
import { lookupMethod } from './sqlite-audit-lookup.js'

type Db = Database.Database

interface HeadRow { genesis_seq: number; seq: number; hash: string; event_time: string | null }

function prepareAuditStatements(db: Db) {
  return {
    head: db.prepare<[], HeadRow>('SELECT genesis_seq, seq, hash, event_time FROM audit_chain WHERE id = 1'),
    list: db.prepare<[number, number, number], { seq: number; record_json: string }>(
      'SELECT seq, record_json FROM audit WHERE seq > ? AND seq > ? ORDER BY seq LIMIT ?',
    ),
    insertDigest: db.prepare<[number, number, string]>('INSERT INTO audit_digests (digest_seq, last_seq, digest_json) VALUES (?, ?, ?)'),
    latestDigest: db.prepare<[], { digest_json: string }>('SELECT digest_json FROM audit_digests ORDER BY digest_seq DESC LIMIT 1'),
    listDigests: db.prepare<[number, number], { digest_json: string }>(
      'SELECT digest_json FROM audit_digests WHERE digest_seq > ? ORDER BY digest_seq LIMIT ?',
    ),
    pruneRecords: db.prepare<[number]>('DELETE FROM audit WHERE seq <= ?'),
    pruneResources: db.prepare<[number]>('DELETE FROM audit_resources WHERE seq <= ?'),
    pruneShared: db.prepare<[number]>('DELETE FROM audit_shared WHERE seq <= ?'),
    pruneDigests: db.prepare<[number]>('DELETE FROM audit_digests WHERE digest_seq <= ?'),
    probe: db.prepare<[]>(
      `INSERT INTO audit (event_id, event_time, event_name, account_id, record_json) VALUES ('probe', 0, 'probe', '', '{}')`,
    ),
    keysByState: db.prepare<[], { key_state: string; n: number }>('SELECT key_state, COUNT(*) AS n FROM keys GROUP BY key_state'),
  }
}

class ProbeRollback extends Error {}

/** `maxVariables` overrides SQLite's bound-variable limit (tests use a small one to exercise chunking). */
export function auditMethods(db: Db, options: { maxVariables?: number } = {}): AuditStore {
  const st = prepareAuditStatements(db)
  const append = auditAppender(db, options.maxVariables ?? readVariableLimit(db))
  const prune = db.transaction((throughRecord: number, throughDigest: number) => {
    st.pruneResources.run(throughRecord)
    st.pruneShared.run(throughRecord)
    const records = st.pruneRecords.run(throughRecord).changes
    return { records, digests: st.pruneDigests.run(throughDigest).changes }
  })
  const probe = db.transaction(() => {
    st.probe.run()
    throw new ProbeRollback()
  })
  return {
    async appendAudit(records) {
      return append(records)
    },
    async listAudit(after, limit) {
      const genesis = st.head.get()?.genesis_seq ?? 0
      return st.list.all(after, genesis, limit).map((row) => ({ seq: row.seq, record: JSON.parse(row.record_json) as ChainedAuditRecord }))
    },
    lookupAudit: lookupMethod(db),
    async auditChainHead() {
      const head = st.head.get()
      if (!head) throw new Error('audit chain head is missing')
      return head.event_time === null ? { sequence: head.seq, hash: head.hash } : { sequence: head.seq, hash: head.hash, eventTime: head.event_time }
    },
    async insertAuditDigest(digest) {
      conflictAware('audit digest', () => st.insertDigest.run(digest.digestSequence, digest.lastSequence, JSON.stringify(digest)))
    },
    async latestAuditDigest() {
      const row = st.latestDigest.get()
      return row && (JSON.parse(row.digest_json) as AuditDigest)
    },
    async listAuditDigests(after, limit) {
      return st.listDigests.all(after, limit).map((row) => JSON.parse(row.digest_json) as AuditDigest)
    },
    async pruneAudit(throughRecord, throughDigest) {
      return prune.immediate(throughRecord, throughDigest)
    },
    async probeAuditWritable() {
      try {
        probe.immediate()
      } catch (e) {
        if (!(e instanceof ProbeRollback)) throw e
      }
    },
    async countKeysByState() {
      return Object.fromEntries(st.keysByState.all().map((r) => [r.key_state, r.n]))
    },
  }
}
