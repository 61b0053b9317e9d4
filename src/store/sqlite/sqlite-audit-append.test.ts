// The multi-row append writes exactly what one-row-at-a-time inserts wrote: the same records byte for byte,
// the same chain, the same index rows, at every chunk size; and a batch that fails part-way leaves nothing.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type Database from 'better-sqlite3'
import { GENESIS_HASH, canonicalJson, sha256Hex } from '../../audit/canonical-json.js'
import { auditSharedAccounts, auditUsername, type AuditRecord } from '../../audit/record.js'
import { storedFormOf } from '../../audit/stored-form.js'
import { auditRecord } from '../../../test/support/audit-fixtures.js'
import { openSqliteDatabase } from './database.js'
import { readVariableLimit } from './multi-row-insert.js'
import { auditMethods } from './sqlite-audit.js'

const CALLER = '111122223333'
const OWNER = '444455556666'
const THIRD = '777788889999'
const keyArn = (account: string, id: string) => `arn:aws:kms:us-east-1:${account}:key/${id}`
const resource = (account: string, id: string) => ({ ARN: keyArn(account, id), accountId: account, type: 'AWS::KMS::Key' as const })

/** A batch with every shape the index rows depend on: own and cross-account keys, denials, sessions, no identity. */
function mixedBatch(): AuditRecord[] {
  return [
    auditRecord(1),
    auditRecord(2, { resources: [resource(OWNER, 'k2')] }),
    // A ReEncrypt between two other accounts' keys: indexed for both owners.
    auditRecord(3, { eventName: 'ReEncrypt', resources: [resource(OWNER, 'k3'), resource(THIRD, 'k4')] }),
    // A denied cross-account call stays the caller's alone.
    auditRecord(4, { resources: [resource(OWNER, 'k5')], errorCode: 'AccessDeniedException', errorMessage: 'denied' }),
    auditRecord(5, {
      readOnly: true, userAgent: 'aws-cli/2 "quoted" é',
      userIdentity: {
        type: 'AssumedRole', principalId: 'AROAEXAMPLE:session-5', arn: `arn:aws:sts::${CALLER}:assumed-role/Role/session-5`, accountId: CALLER,
        accessKeyId: 'ASIAEXAMPLE', sessionContext: { sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLE', arn: `arn:aws:iam::${CALLER}:role/Role`, accountId: CALLER, userName: 'Role' }, attributes: { mfaAuthenticated: 'false' } },
      },
      requestParameters: { keyId: 'k', encryptionContext: { z: '1', a: '2', B: '3' } },
    }),
    auditRecord(6, { userIdentity: undefined, resources: [], recipientAccountId: '', errorCode: 'UnrecognizedClientException', errorMessage: 'no' }),
    auditRecord(7, { eventSource: 'cloudtrail.amazonaws.com', eventName: 'LookupEvents', resources: [], readOnly: true }),
    ...Array.from({ length: 13 }, (_, i) => auditRecord(8 + i, i % 3 === 0 ? { resources: [resource(OWNER, `k${i}`)] } : {})),
  ]
}

/** The append as it was before multi-row statements: one INSERT per row, record after record (the reference). */
function appendOneRowAtATime(db: Database.Database, records: AuditRecord[]): void {
  const insert = db.prepare(`INSERT INTO audit (seq, event_id, event_time, event_name, account_id, access_key_id, username, read_only,
    event_source, hash, record_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
  const insertShared = db.prepare(`INSERT OR IGNORE INTO audit_shared (account_id, event_time, seq, event_id, event_name, access_key_id,
    username, read_only, event_source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
  const insertResource = db.prepare('INSERT OR IGNORE INTO audit_resources (account_id, resource_name, event_time, seq) VALUES (?, ?, ?, ?)')
  db.transaction(() => {
    let { seq, hash } = db.prepare('SELECT seq, hash FROM audit_chain WHERE id = 1').get() as { seq: number; hash: string }
    for (const r of records) {
      seq++
      const json = canonicalJson({ ...r, trentSequence: seq, trentPreviousHash: hash })
      const time = Date.parse(r.eventTime)
      const accessKeyId = r.userIdentity?.accessKeyId ?? null
      const username = auditUsername(r) ?? null
      hash = sha256Hex(json)
      insert.run(seq, r.eventID, time, r.eventName, r.recipientAccountId, accessKeyId, username, r.readOnly ? 1 : 0, r.eventSource, hash, json)
      const shared = auditSharedAccounts(r)
      for (const a of shared) insertShared.run(a, time, seq, r.eventID, r.eventName, accessKeyId, username, r.readOnly ? 1 : 0, r.eventSource)
      for (const a of [r.recipientAccountId, ...shared]) for (const res of r.resources) insertResource.run(a, res.ARN, time, seq)
    }
    db.prepare('UPDATE audit_chain SET seq = ?, hash = ?, event_time = ? WHERE id = 1').run(seq, hash, records.at(-1)!.eventTime)
  }).immediate()
}

/** Every row of the audit tables, in a fixed order. */
function dumpAuditTables(db: Database.Database): Record<string, unknown[]> {
  return {
    audit: db.prepare('SELECT * FROM audit ORDER BY seq').all(),
    audit_shared: db.prepare('SELECT * FROM audit_shared ORDER BY seq, account_id').all(),
    audit_resources: db.prepare('SELECT * FROM audit_resources ORDER BY seq, account_id, resource_name').all(),
    audit_chain: db.prepare('SELECT * FROM audit_chain').all(),
  }
}

/** Appends `batches` with the store's append at the given variable limit; returns its tables. */
async function appendMultiRow(batches: AuditRecord[][], maxVariables?: number): Promise<Record<string, unknown[]>> {
  const db = openSqliteDatabase(':memory:')
  try {
    const store = auditMethods(db, { maxVariables })
    for (const batch of batches) await store.appendAudit(batch)
    return dumpAuditTables(db)
  } finally {
    db.close()
  }
}

function appendReference(batches: AuditRecord[][]): Record<string, unknown[]> {
  const db = openSqliteDatabase(':memory:')
  try {
    for (const batch of batches) appendOneRowAtATime(db, batch)
    return dumpAuditTables(db)
  } finally {
    db.close()
  }
}

describe('multi-row audit append', () => {
  const batch = mixedBatch()
  const reference = appendReference([batch.slice(0, 3), batch.slice(3)])

  it('the reference batch has cross-account and denied rows, so the comparison covers audit_shared', () => {
    assert.equal(reference.audit!.length, batch.length)
    assert.ok(reference.audit_shared!.length >= 6)
    assert.ok(reference.audit_resources!.length > batch.length)
  })

  it('stores byte-identical records, chain and index rows to one INSERT per row, at the real variable limit', async () => {
    assert.deepEqual(await appendMultiRow([batch.slice(0, 3), batch.slice(3)]), reference)
  })

  for (const maxVariables of [11, 12, 23, 36, 47]) {
    it(`stores the same rows when a ${maxVariables}-variable limit splits each table into several statements`, async () => {
      assert.deepEqual(await appendMultiRow([batch.slice(0, 3), batch.slice(3)], maxVariables), reference)
    })
  }

  it('hands back records whose stored form is the text in the table, and which verify as a chain', async () => {
    const db = openSqliteDatabase(':memory:')
    const stored = await auditMethods(db, { maxVariables: 23 }).appendAudit(batch)
    const rows = db.prepare('SELECT record_json, hash FROM audit ORDER BY seq').all() as { record_json: string; hash: string }[]
    assert.deepEqual(stored.map(storedFormOf), rows.map((r) => r.record_json))
    assert.deepEqual(stored.map((r) => canonicalJson(r)), rows.map((r) => r.record_json))
    stored.forEach((r, i) => {
      assert.equal(r.trentSequence, i + 1)
      assert.equal(r.trentPreviousHash, i === 0 ? GENESIS_HASH : rows[i - 1]!.hash)
      assert.equal(rows[i]!.hash, sha256Hex(rows[i]!.record_json))
    })
    db.close()
  })

  it('reads the variable limit the SQLite build was compiled with', () => {
    const db = openSqliteDatabase(':memory:')
    assert.equal(readVariableLimit(db), 32766)
    db.close()
  })

  it('rolls back the whole batch when a later statement fails, leaving the chain head where it was', async () => {
    const db = openSqliteDatabase(':memory:')
    const store = auditMethods(db, { maxVariables: 23 })
    await store.appendAudit([auditRecord(100)])
    const before = dumpAuditTables(db)
    // audit rows go in first; a refusal in the last table's last chunk must undo them too.
    db.exec(`CREATE TRIGGER poison BEFORE INSERT ON audit_resources WHEN NEW.resource_name LIKE '%/poison'
      BEGIN SELECT RAISE(ABORT, 'refused'); END`)
    const poisoned = [...batch, auditRecord(99, { resources: [resource(CALLER, 'poison')] })]
    await assert.rejects(store.appendAudit(poisoned), { message: 'refused' })
    assert.deepEqual(dumpAuditTables(db), before)
    db.close()
  })
})
