// The audit chain stays one linear chain when several processes append to the same SQLite file at once,
// because each batch reads the chain head and extends it inside one IMMEDIATE transaction.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { GENESIS_HASH, canonicalHash } from '../../audit/canonical-json.js'
import { openSqliteStore } from './sqlite-store.js'

const WRITERS = 3
const BATCHES = 100
const PER_BATCH = 5

// Appends BATCHES batches of PER_BATCH records tagged with the writer's name, as fast as it can.
const CHILD = `
const [storeUrl, path, name, batches, perBatch, startAt] = process.argv.slice(1)
const { openSqliteStore } = await import(storeUrl)
const store = await openSqliteStore(path)
// Every writer starts at the same moment, so their transactions really contend.
await new Promise((r) => setTimeout(r, Math.max(0, Number(startAt) - Date.now())))
for (let b = 0; b < Number(batches); b++) {
  const records = Array.from({ length: Number(perBatch) }, (_, i) => ({
    eventVersion: '1.08', eventID: name + '-' + b + '-' + i, eventTime: new Date().toISOString(), eventSource: 'kms.amazonaws.com',
    eventName: 'Encrypt', eventType: 'AwsApiCall', awsRegion: 'us-east-1', requestID: 'r', requestParameters: null,
    responseElements: null, readOnly: true, resources: [], managementEvent: true, recipientAccountId: '111122223333',
  }))
  await store.appendAudit(records)
  // A pause like the gap between a server's batches; without it SQLite's busy back-off lets one writer win every time.
  await new Promise((r) => setTimeout(r, 2))
}
await store.close()
`

function runWriter(path: string, name: string, startAt: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, new URL('./sqlite-store.js', import.meta.url).href, path, name, String(BATCHES), String(PER_BATCH), String(startAt)], { stdio: ['ignore', 'ignore', 'inherit'] })
    child.on('error', reject)
    child.on('close', (code) => resolve(code ?? -1))
  })
}

describe('audit chain across processes', () => {
  it('several processes appending to one database file build one gap-free, correctly linked chain', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trent-chain-mp-'))
    const path = join(dir, 'trent.db')
    try {
      await (await openSqliteStore(path)).close()
      const startAt = Date.now() + 1500
      const codes = await Promise.all(Array.from({ length: WRITERS }, (_, i) => runWriter(path, `w${i}`, startAt)))
      assert.deepEqual(codes, Array(WRITERS).fill(0))
      const store = await openSqliteStore(path)
      const rows = await store.listAudit(0, 100_000)
      await store.close()
      assert.equal(rows.length, WRITERS * BATCHES * PER_BATCH)
      rows.forEach((row, i) => {
        assert.equal(row.record.trentSequence, i + 1)
        assert.equal(row.record.trentPreviousHash, i === 0 ? GENESIS_HASH : canonicalHash(rows[i - 1]!.record))
      })
      // Each batch was appended whole: a writer's five records are always adjacent.
      for (let i = 0; i < rows.length; i += PER_BATCH) {
        assert.equal(new Set(rows.slice(i, i + PER_BATCH).map((r) => r.record.eventID.split('-').slice(0, 2).join('-'))).size, 1)
      }
      const owners = rows.map((r) => r.record.eventID.split("-")[0])
      const switches = owners.filter((o, i) => i > 0 && o !== owners[i - 1]).length
      assert.ok(switches > WRITERS * 3, `the writers' batches should interleave; saw ${switches} switches`)
      const writers = new Set(owners)
      assert.equal(writers.size, WRITERS)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
