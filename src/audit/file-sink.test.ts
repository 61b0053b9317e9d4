// The JSONL file sink: one canonical record per line, rotation by size, files private to the owner.
import assert from 'node:assert/strict'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { openSqliteStore } from '../store/sqlite/sqlite-store.js'
import { auditRecord } from '../../test/support/audit-fixtures.js'
import { canonicalJson } from './canonical-json.js'
import { RotatingFileSink } from './file-sink.js'

describe('RotatingFileSink', () => {
  it('writes canonical JSON lines and starts a new file once one reaches the size limit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trent-sink-test-'))
    const store = await openSqliteStore(':memory:')
    const records = await store.appendAudit([1, 2, 3, 4, 5].map((i) => auditRecord(i)))
    const lineBytes = Buffer.byteLength(`${canonicalJson(records[0])}\n`)
    const sink = new RotatingFileSink(join(dir, 'audit'), lineBytes * 2)
    for (const r of records) await sink.write([r])
    await sink.close()
    const files = readdirSync(join(dir, 'audit')).sort()
    assert.equal(files.length, 3, 'two lines per file: 2 + 2 + 1')
    assert.ok(files.every((f) => /^trent-audit-.*\.jsonl$/.test(f)))
    const lines = files.flatMap((f) => readFileSync(join(dir, 'audit', f), 'utf8').trim().split('\n'))
    assert.deepEqual(lines, records.map((r) => canonicalJson(r)))
    assert.equal(statSync(join(dir, 'audit', files[0]!)).mode & 0o777, 0o600)
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  })
})
