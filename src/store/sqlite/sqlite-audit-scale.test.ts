// LookupEvents stays an index range scan at scale: 100,000 synthetic records, every lookup attribute,
// a time window and a deep page, each well under the budget (the 1M-record run is in `npm run bench`).
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import Database from 'better-sqlite3'
import type { Store } from '../store.js'
import { appendBulk, bulkQueries, timeQueries } from '../../../test/support/audit-bulk.js'
import { openSqliteStore } from './sqlite-store.js'

const COUNT = 100_000
/** Generous for a loaded CI machine; typical figures are a fraction of a millisecond. */
const BUDGET_MS = 50

describe('audit lookup at 100k records', () => {
  const dir = mkdtempSync(join(tmpdir(), 'trent-audit-scale-'))
  const path = join(dir, 'trent.db')
  let store: Store
  before(async () => {
    store = await openSqliteStore(path)
    await appendBulk(store, COUNT)
  })
  after(async () => {
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('answers every lookup shape within budget', async (t) => {
    const results = await timeQueries(store, bulkQueries(COUNT))
    for (const r of results) t.diagnostic(`${r.label}: ${r.ms} ms, ${r.rows} rows`)
    const slow = results.filter((r) => r.ms > BUDGET_MS)
    assert.deepEqual(slow, [])
    assert.equal(results.find((r) => r.label === 'EventId')!.rows, 1)
    assert.equal(results.find((r) => r.label === 'no match (other account name)')!.rows, 0)
  })

  it('uses an index for the order as well as the filter (no temporary sort)', () => {
    const db = new Database(path, { readonly: true })
    try {
      const plans = [
        "SELECT seq FROM audit WHERE account_id = 'a' AND event_name = 'x' AND event_time BETWEEN 0 AND 1 ORDER BY event_time DESC, seq DESC LIMIT 5",
        "SELECT seq FROM audit WHERE account_id = 'a' AND event_time BETWEEN 0 AND 1 ORDER BY event_time DESC, seq DESC LIMIT 5",
        "SELECT seq FROM audit WHERE account_id = 'a' AND read_only = 0 AND event_time BETWEEN 0 AND 1 ORDER BY event_time DESC, seq DESC LIMIT 5",
        "SELECT seq FROM audit WHERE account_id = 'a' AND event_source = 'x' AND event_source <> 'kms.amazonaws.com' AND event_time BETWEEN 0 AND 1 ORDER BY event_time DESC, seq DESC LIMIT 5",
        "SELECT r.seq FROM audit_resources r JOIN audit a ON a.seq = r.seq WHERE r.account_id = 'a' AND r.resource_name = 'k' AND r.event_time BETWEEN 0 AND 1 ORDER BY r.event_time DESC, r.seq DESC LIMIT 5",
      ].map((sql) => db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all().map((row) => (row as { detail: string }).detail).join(' | '))
      for (const plan of plans) {
        assert.match(plan, /USING (COVERING )?INDEX|USING PRIMARY KEY/, plan)
        assert.doesNotMatch(plan, /audit_by_account\b.*read_only|SCAN audit\b(?! USING)/, plan)
        assert.doesNotMatch(plan, /TEMP B-TREE/, plan)
      }
    } finally {
      db.close()
    }
  })
})
