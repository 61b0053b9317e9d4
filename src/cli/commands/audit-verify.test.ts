// `trent audit verify` against a real data directory attacked through a second SQLite connection:
// one test per attack, each asserting the first bad record (or digest) it reports.
import assert from 'node:assert/strict'
import { generateKeyPairSync, sign } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, it } from 'node:test'
import type Database from 'better-sqlite3'
import { GENESIS_HASH, canonicalHash, canonicalJson } from '../../audit/canonical-json.js'
import { publicKeyFingerprint, type AuditDigest } from '../../audit/digest.js'
import type { ChainedAuditRecord } from '../../audit/record.js'
import type { VerifyReport } from '../../audit/verify-chain.js'
import { captureStream, createAuditDir, type AuditDir } from '../../../test/support/audit-fixtures.js'
import { auditCommand } from './audit-commands.js'
import { runAuditExport } from './audit-export.js'
import { runAuditVerify } from './audit-verify.js'

async function verify(args: string[]): Promise<{ code: number; report: VerifyReport }> {
  const out = captureStream()
  const code = await runAuditVerify([...args, '--json'], out, captureStream())
  return { code, report: JSON.parse(out.text()) as VerifyReport }
}

function firstProblem(report: VerifyReport) {
  const p = report.problems[0]
  assert.ok(p, 'expected a problem to be reported')
  return { kind: p.kind, sequence: p.sequence, digestSequence: p.digestSequence }
}

function rows(db: Database.Database): ChainedAuditRecord[] {
  return db.prepare<[], { record_json: string }>('SELECT record_json FROM audit ORDER BY seq').all().map((r) => JSON.parse(r.record_json) as ChainedAuditRecord)
}

/** The attacker's full rewrite: change record 3, re-link every later record, re-sign every digest with their own key. */
function rewriteWithForeignKey(db: Database.Database): void {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519')
  const hashes = new Map<number, string>([[0, GENESIS_HASH]])
  for (const r of rows(db)) {
    if (r.trentSequence === 3) r.eventName = 'ListKeys'
    r.trentPreviousHash = hashes.get(r.trentSequence - 1)!
    hashes.set(r.trentSequence, canonicalHash(r))
    db.prepare('UPDATE audit SET record_json = ?, hash = ? WHERE seq = ?').run(canonicalJson(r), hashes.get(r.trentSequence), r.trentSequence)
  }
  let prev: AuditDigest | undefined
  for (const row of db.prepare<[], { digest_json: string }>('SELECT digest_json FROM audit_digests ORDER BY digest_seq').all()) {
    const { signature: _old, ...d } = JSON.parse(row.digest_json) as AuditDigest
    Object.assign(d, {
      previousRecordHash: hashes.get(d.firstSequence - 1), lastRecordHash: hashes.get(d.lastSequence),
      previousDigestHash: prev ? canonicalHash(prev) : GENESIS_HASH, signingKeyFingerprint: publicKeyFingerprint(publicKey),
    })
    const signed: AuditDigest = { ...d, signature: sign(null, Buffer.from(canonicalJson(d)), privateKey).toString('base64') }
    db.prepare('UPDATE audit_digests SET digest_json = ? WHERE digest_seq = ?').run(JSON.stringify(signed), d.digestSequence)
    prev = signed
  }
  const stored = JSON.parse(db.prepare<[], { value: string }>("SELECT value FROM settings WHERE name = 'audit-signing-key'").get()!.value) as Record<string, string>
  stored.publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString()
  db.prepare("UPDATE settings SET value = ? WHERE name = 'audit-signing-key'").run(JSON.stringify(stored))
}

describe('trent audit verify', () => {
  let a: AuditDir
  beforeEach(async () => {
    a = await createAuditDir()
    // Records 1..10 and 11..15 are covered by digests 1 and 2; 16..17 are the unsigned tail.
    await a.append(1, 10)
    await a.digest()
    await a.append(11, 15)
    await a.digest()
    await a.append(16, 17)
  })
  afterEach(() => a.cleanup())

  it('accepts an untouched log, online with the stored key and with a pinned key', async () => {
    const pinned = await verify(['--data-dir', a.dir, '--public-key', a.pinnedKeyPath])
    assert.equal(pinned.code, 0)
    assert.deepEqual({ ok: pinned.report.ok, records: pinned.report.records, digests: pinned.report.digests, first: pinned.report.firstSequence, last: pinned.report.lastSequence },
      { ok: true, records: 17, digests: 2, first: 1, last: 17 })
    assert.equal((await verify(['--data-dir', a.dir])).code, 0)
  })

  it('reports a modified record as the first bad record', async () => {
    a.raw((db) => db.prepare(`UPDATE audit SET record_json = replace(record_json, '"eventName":"Decrypt"', '"eventName":"ListKeys"') WHERE seq = 3`).run())
    const { code, report } = await verify(['--data-dir', a.dir, '--public-key', a.pinnedKeyPath])
    assert.equal(code, 1)
    assert.deepEqual(firstProblem(report), { kind: 'modified', sequence: 3, digestSequence: undefined })
  })

  it('reports a deleted record', async () => {
    a.raw((db) => db.prepare('DELETE FROM audit WHERE seq = 4').run())
    const { code, report } = await verify(['--data-dir', a.dir, '--public-key', a.pinnedKeyPath])
    assert.equal(code, 1)
    assert.deepEqual(firstProblem(report), { kind: 'deleted', sequence: 4, digestSequence: undefined })
    assert.equal(report.problems.length, 1)
  })

  it('reports reordered records', async () => {
    a.raw((db) => {
      const [three, four] = [3, 4].map((seq) => db.prepare<[number], { record_json: string }>('SELECT record_json FROM audit WHERE seq = ?').get(seq)!.record_json)
      db.prepare('UPDATE audit SET record_json = ? WHERE seq = 3').run(four)
      db.prepare('UPDATE audit SET record_json = ? WHERE seq = 4').run(three)
    })
    const { code, report } = await verify(['--data-dir', a.dir, '--public-key', a.pinnedKeyPath])
    assert.equal(code, 1)
    assert.deepEqual(firstProblem(report), { kind: 'reordered', sequence: 3, digestSequence: undefined })
    assert.equal(report.problems.length, 1)
  })

  it('reports a truncated tail through the last signed digest', async () => {
    a.raw((db) => {
      db.prepare('DELETE FROM audit WHERE seq >= 14').run()
      db.prepare('DELETE FROM audit_resources WHERE seq >= 14').run()
    })
    const { code, report } = await verify(['--data-dir', a.dir, '--public-key', a.pinnedKeyPath])
    assert.equal(code, 1)
    assert.deepEqual(firstProblem(report), { kind: 'truncated', sequence: 14, digestSequence: undefined })
    assert.match(report.problems[0]!.message, /ends at record 13 but signed digest 2 covers through record 15/)
  })

  it('reports a forged digest', async () => {
    a.raw((db) => {
      const row = db.prepare<[], { digest_json: string }>('SELECT digest_json FROM audit_digests WHERE digest_seq = 1').get()!
      const forged = { ...(JSON.parse(row.digest_json) as AuditDigest), lastSequence: 8, recordCount: 8 }
      db.prepare('UPDATE audit_digests SET digest_json = ? WHERE digest_seq = 1').run(JSON.stringify(forged))
    })
    const { code, report } = await verify(['--data-dir', a.dir, '--public-key', a.pinnedKeyPath])
    assert.equal(code, 1)
    assert.deepEqual(firstProblem(report), { kind: 'forged-digest', sequence: undefined, digestSequence: 1 })
  })

  it('reports a replaced signing key against the pinned key, though the rewritten log is self-consistent', async () => {
    a.raw(rewriteWithForeignKey)
    assert.equal((await verify(['--data-dir', a.dir])).code, 0, 'without a pin the attacker\'s key is trusted: the reason to pin')
    const { code, report } = await verify(['--data-dir', a.dir, '--public-key', a.pinnedKeyPath])
    assert.equal(code, 1)
    assert.deepEqual(firstProblem(report), { kind: 'untrusted-key', sequence: undefined, digestSequence: 1 })
  })

  it('verifies an exported log offline with the pinned key, and finds a record modified in the file', async () => {
    const out = captureStream()
    assert.equal(await runAuditExport(['--data-dir', a.dir], out, captureStream()), 0)
    const file = join(a.dir, 'export.jsonl')
    writeFileSync(file, out.text())
    const lines = out.text().trim().split('\n')
    assert.equal(lines.length, 19, '17 records and 2 digests')
    assert.equal((JSON.parse(lines[10]!) as AuditDigest).digestSequence, 1, 'digest 1 follows record 10')
    assert.equal((await verify(['--log', file, '--public-key', a.pinnedKeyPath])).code, 0)
    writeFileSync(file, readFileSync(file, 'utf8').replace('"eventID":"event-5"', '"eventID":"event-X"'))
    const { code, report } = await verify(['--log', file, '--public-key', a.pinnedKeyPath])
    assert.equal(code, 1)
    assert.deepEqual(firstProblem(report), { kind: 'modified', sequence: 5, digestSequence: undefined })
  })

  it('refuses offline verification without a pinned key (exit 2)', async () => {
    assert.equal(await auditCommand.run(['verify', '--log', join(a.dir, 'missing.jsonl')]), 2)
  })
})
