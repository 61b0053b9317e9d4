// The SQLite side of the key owner's view: a database written before it existed migrates, its cross-account
// records become visible to the key owner with the chain untouched, and pruning leaves no index row behind.
import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import Database from 'better-sqlite3'
import { GENESIS_HASH, canonicalJson, sha256Hex } from '../../audit/canonical-json.js'
import { auditUsername, type AuditRecord } from '../../audit/record.js'
import { verifyAuditChain } from '../../audit/verify-chain.js'
import { ACCOUNT as OWNER, REGION, keyIdOf, makeAudit } from '../contract/fixtures.js'
import { migrations } from './migrations.js'
import { openSqliteStore } from './sqlite-store.js'

const CALLER = '444455556666'
const OWNER_KEY = `arn:aws:kms:${REGION}:${OWNER}:key/${keyIdOf(1)}`

function call(eventID: string, second: number, account: string, errorCode?: string): AuditRecord {
  const r = makeAudit(eventID, 'Encrypt', new Date(Date.UTC(2024, 0, 1, 0, 0, second)).toISOString())
  const record: AuditRecord = {
    ...r, recipientAccountId: account,
    userIdentity: { type: 'Root', principalId: account, arn: `arn:aws:iam::${account}:root`, accountId: account, accessKeyId: `AKID${account}` },
  }
  return errorCode ? { ...record, errorCode, errorMessage: 'no' } : record
}

/** Writes `records` the way the build before the owner's view did: one audit row, resource rows for the caller only. */
function writeAsPreviousVersion(db: Database.Database, records: AuditRecord[]): void {
  let hash = GENESIS_HASH
  records.forEach((r, i) => {
    const seq = i + 1
    const json = canonicalJson({ ...r, trentSequence: seq, trentPreviousHash: hash })
    const time = Date.parse(r.eventTime)
    db.prepare(`INSERT INTO audit (seq, event_id, event_time, event_name, account_id, access_key_id, username, read_only, event_source, hash, record_json)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(seq, r.eventID, time, r.eventName, r.recipientAccountId, r.userIdentity?.accessKeyId ?? null,
      auditUsername(r) ?? null, r.readOnly ? 1 : 0, r.eventSource, sha256Hex(json), json)
    for (const res of r.resources) db.prepare('INSERT INTO audit_resources VALUES (?, ?, ?, ?)').run(r.recipientAccountId, res.ARN, time, seq)
    hash = sha256Hex(json)
    db.prepare('UPDATE audit_chain SET seq = ?, hash = ?, event_time = ? WHERE id = 1').run(seq, hash, r.eventTime)
  })
}

describe('the key owner\'s view in SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'trent-audit-shared-'))
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('a database from before the owner\'s view migrates, and the owner then sees the old cross-account calls on its keys', async () => {
    const path = join(dir, 'old.db')
    const previous = migrations.findIndex((m) => m.includes('CREATE TABLE audit_shared'))
    assert.ok(previous > 0)
    const db = new Database(path)
    for (const step of migrations.slice(0, previous)) db.exec(step)
    db.pragma(`user_version = ${previous}`)
    const cross = call('cross', 1, CALLER)
    const resources = [{ ARN: OWNER_KEY, accountId: OWNER, type: 'AWS::KMS::Key' as const }]
    writeAsPreviousVersion(db, [
      { ...cross, resources }, { ...call('denied', 2, CALLER, 'AccessDeniedException'), resources }, { ...call('own', 3, OWNER), resources },
    ])
    db.close()

    const store = await openSqliteStore(path)
    try {
      const ids = async (attribute?: { key: 'ResourceName' | 'AccessKeyId' | 'EventName'; value: string }) =>
        (await store.lookupAudit({ accountId: OWNER, attribute, limit: 10 })).map((r) => r.record.eventID)
      assert.deepEqual(await ids(), ['own', 'cross'])
      assert.deepEqual(await ids({ key: 'ResourceName', value: OWNER_KEY }), ['own', 'cross'])
      assert.deepEqual(await ids({ key: 'AccessKeyId', value: `AKID${CALLER}` }), ['cross'])
      assert.deepEqual(await ids({ key: 'EventName', value: 'Encrypt' }), ['own', 'cross'])
      assert.deepEqual((await store.lookupAudit({ accountId: CALLER, limit: 10 })).map((r) => r.record.eventID), ['denied', 'cross'])
      const records = (await store.listAudit(0, 10)).map((r) => r.record)
      const report = verifyAuditChain(records, [], generateKeyPairSync('ed25519').publicKey)
      assert.deepEqual([report.ok, report.records, report.problems], [true, 3, []], 'migration leaves the chain as it was')
    } finally {
      await store.close()
    }
  })

  it('pruning removes the owner\'s index rows along with the records', async () => {
    const path = join(dir, 'prune.db')
    const store = await openSqliteStore(path)
    const resources = [{ ARN: OWNER_KEY, accountId: OWNER, type: 'AWS::KMS::Key' as const }]
    await store.appendAudit([{ ...call('a', 1, CALLER), resources }, { ...call('b', 2, CALLER), resources }])
    await store.pruneAudit(2, 0)
    await store.close()
    const db = new Database(path, { readonly: true })
    try {
      const count = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n
      assert.deepEqual([count('audit'), count('audit_shared'), count('audit_resources')], [0, 0, 0])
    } finally {
      db.close()
    }
  })
})
