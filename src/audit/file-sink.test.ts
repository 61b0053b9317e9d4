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

  it('rejects a batch whose write fails and puts the next batch in a fresh file, not after a half-written line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trent-sink-test-'))
    const store = await openSqliteStore(':memory:')
    const [first, second, third] = await store.appendAudit([1, 2, 3].map((i) => auditRecord(i)))
    let tick = 0
    const sink = new RotatingFileSink(dir, 1 << 20, () => new Date(Date.UTC(2026, 0, 1, 0, 0, tick++)))
    await sink.write([first!])
    const open = (sink as unknown as { current: { handle: { write(b: Buffer): Promise<unknown> } } }).current
    open.handle.write = async (b: Buffer) => {
      throw new Error(`disk full after ${b.length > 0 ? 'some' : 'no'} bytes`)
    }
    await assert.rejects(sink.write([second!]), /disk full after some bytes/)
    await sink.write([third!])
    await sink.close()
    const files = readdirSync(dir).sort()
    assert.deepEqual(files.map((f) => readFileSync(join(dir, f), 'utf8')), [`${canonicalJson(first)}\n`, `${canonicalJson(third)}\n`])
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  })
})
