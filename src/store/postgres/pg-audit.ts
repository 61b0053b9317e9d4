// The PostgreSQL side of the audit store. An append locks the chain head row (SELECT … FOR UPDATE) for its
// transaction, so appenders on every node queue on it and extend one linear chain; each batch is then one
// INSERT per table (unnest of column arrays, any batch size in one statement). Records are placed exactly as
// the SQLite driver places them (placeRecord), so both produce the same stored text and hashes.
import type pg from 'pg'
import type { AuditDigest } from '../../audit/digest.js'
import type { AuditRecord, ChainedAuditRecord } from '../../audit/record.js'
import type { AuditLookupQuery, AuditLookupRow, AuditStore } from '../audit-store.js'
import { placeBatch } from '../sqlite/sqlite-audit-append.js'
import { LOOKUP_VARIANTS, lookupSql, paramsFor, variantOf } from '../sqlite/sqlite-audit-lookup.js'
import { conflictAware, inTransaction, positional, type Query } from './pool.js'

/** Each table's columns with their types, in the order placeRecord() fills its rows. */
const AUDIT = [['seq', 'bigint'], ['event_id', 'text'], ['event_time', 'bigint'], ['event_name', 'text'], ['account_id', 'text'],
  ['access_key_id', 'text'], ['username', 'text'], ['read_only', 'integer'], ['event_source', 'text'], ['hash', 'text'], ['record_json', 'text']] as const
const SHARED = [['account_id', 'text'], ['event_time', 'bigint'], ['seq', 'bigint'], ['event_id', 'text'], ['event_name', 'text'],
  ['access_key_id', 'text'], ['username', 'text'], ['read_only', 'integer'], ['event_source', 'text']] as const
const RESOURCES = [['account_id', 'text'], ['resource_name', 'text'], ['event_time', 'bigint'], ['seq', 'bigint']] as const

type Columns = readonly (readonly [string, string])[]

/** Inserts rows given flat (row after row) in one statement: one array parameter per column. */
async function insertColumns(query: Query, table: string, columns: Columns, flat: unknown[], onConflict = ''): Promise<void> {
  if (flat.length === 0) return
  const arrays = columns.map((_, c) => flat.filter((_v, i) => i % columns.length === c))
  const names = columns.map(([name]) => name).join(', ')
  const unnest = columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')
  await query(`INSERT INTO ${table} (${names}) SELECT * FROM unnest(${unnest}) ${onConflict}`, arrays)
}

async function append(query: Query, records: AuditRecord[]): Promise<ChainedAuditRecord[]> {
  const head = (await query('SELECT seq, hash FROM audit_chain WHERE id = 1 FOR UPDATE')).rows[0] as { seq: number; hash: string } | undefined
  if (!head) throw new Error('audit chain head is missing')
  const { rows, stored, seq, hash } = placeBatch(records, head.seq, head.hash)
  await insertColumns(query, 'audit', AUDIT, rows.audit)
  await insertColumns(query, 'audit_shared', SHARED, rows.shared, 'ON CONFLICT DO NOTHING')
  await insertColumns(query, 'audit_resources', RESOURCES, rows.resources, 'ON CONFLICT DO NOTHING')
  await query('UPDATE audit_chain SET seq = $1, hash = $2, event_time = $3 WHERE id = 1', [seq, hash, records[records.length - 1]!.eventTime])
  return stored
}

class ProbeRollback extends Error {}

const LOOKUPS = new Map(LOOKUP_VARIANTS.map((v) => [v, positional(lookupSql(v, { hints: false }))]))

export function auditMethods(pool: pg.Pool): AuditStore {
  const rows = async <R>(text: string, values: unknown[] = []): Promise<R[]> => (await pool.query(text, values)).rows as R[]
  return {
    async appendAudit(records) {
      if (records.length === 0) return []
      return inTransaction(pool, (query) => append(query, records))
    },
    async listAudit(after, limit) {
      const found = await rows<{ seq: number; record_json: string }>(
        'SELECT seq, record_json FROM audit WHERE seq > $1 AND seq > (SELECT genesis_seq FROM audit_chain WHERE id = 1) ORDER BY seq LIMIT $2', [after, limit])
      return found.map((row) => ({ seq: row.seq, record: JSON.parse(row.record_json) as ChainedAuditRecord }))
    },
    async lookupAudit(q: AuditLookupQuery): Promise<AuditLookupRow[]> {
      const statement = LOOKUPS.get(variantOf(q.attribute))
      if (!statement) throw new RangeError('unknown audit lookup attribute')
      const found = await rows<{ seq: number; event_time: number; record_json: string }>(statement.text, statement.values({ ...paramsFor(q) }))
      return found.map((row) => ({ sequence: row.seq, eventTime: row.event_time, record: JSON.parse(row.record_json) as ChainedAuditRecord }))
    },
    async auditChainHead() {
      const head = (await rows<{ seq: number; hash: string; event_time: string | null }>('SELECT seq, hash, event_time FROM audit_chain WHERE id = 1'))[0]
      if (!head) throw new Error('audit chain head is missing')
      return head.event_time === null ? { sequence: head.seq, hash: head.hash } : { sequence: head.seq, hash: head.hash, eventTime: head.event_time }
    },
    async insertAuditDigest(digest) {
      await conflictAware('audit digest', () => pool.query('INSERT INTO audit_digests (digest_seq, last_seq, digest_json) VALUES ($1, $2, $3)',
        [digest.digestSequence, digest.lastSequence, JSON.stringify(digest)]))
    },
    async latestAuditDigest() {
      const row = (await rows<{ digest_json: string }>('SELECT digest_json FROM audit_digests ORDER BY digest_seq DESC LIMIT 1'))[0]
      return row && (JSON.parse(row.digest_json) as AuditDigest)
    },
    async listAuditDigests(after, limit) {
      const found = await rows<{ digest_json: string }>('SELECT digest_json FROM audit_digests WHERE digest_seq > $1 ORDER BY digest_seq LIMIT $2', [after, limit])
      return found.map((row) => JSON.parse(row.digest_json) as AuditDigest)
    },
    async pruneAudit(throughRecord, throughDigest) {
      return inTransaction(pool, async (query) => {
        await query('DELETE FROM audit_resources WHERE seq <= $1', [throughRecord])
        await query('DELETE FROM audit_shared WHERE seq <= $1', [throughRecord])
        const removed = await query('DELETE FROM audit WHERE seq <= $1', [throughRecord])
        const digests = await query('DELETE FROM audit_digests WHERE digest_seq <= $1', [throughDigest])
        return { records: removed.rowCount ?? 0, digests: digests.rowCount ?? 0 }
      })
    },
    async probeAuditWritable() {
      // A real insert, rolled back: fails on a read-only standby (after a failover) or a database that is down.
      try {
        await inTransaction(pool, async (query) => {
          await query(`INSERT INTO audit (seq, event_id, event_time, event_name, account_id, read_only, event_source, record_json)
            VALUES (-1, 'probe', 0, 'probe', '', 0, 'probe', '{}')`)
          throw new ProbeRollback()
        })
      } catch (e) {
        if (!(e instanceof ProbeRollback)) throw e
      }
    },
    async countKeysByState() {
      const found = await rows<{ key_state: string; n: number }>('SELECT key_state, COUNT(*) AS n FROM keys GROUP BY key_state')
      return Object.fromEntries(found.map((r) => [r.key_state, r.n]))
    },
  }
}
