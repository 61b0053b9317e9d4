// LookupEvents stays an index range scan at scale: 100,000 synthetic records, every lookup attribute,
// a time window, a deep page and the key owner's view of cross-account calls, each well under the budget
// (the 1M-record run is in `npm run bench`).
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import Database from 'better-sqlite3'
import type { Store } from '../store.js'
import { appendBulk, bulkQueries, timeQueries } from '../../../test/support/audit-bulk.js'
import { LOOKUP_VARIANTS, lookupSql } from './sqlite-audit-lookup.js'
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

  it('owner lookups find the other account\'s calls on its keys by every attribute', async () => {
    const results = await timeQueries(store, bulkQueries(COUNT).filter((q) => q.label.startsWith('owner: ')), 1)
    assert.deepEqual(results.map((r) => [r.label, r.rows]), [
      ['owner: ResourceName (key used by the other account)', 51],
      ['owner: AccessKeyId (the other account\'s caller)', 51],
      ['owner: Username (the other account\'s user)', 51],
      ['owner: EventId (a cross-account call)', 1],
    ])
  })

  it('every lookup statement uses an index for the order as well as the filter (no temporary sort)', () => {
    const db = new Database(path, { readonly: true })
    try {
      for (const variant of LOOKUP_VARIANTS) {
        const params: Record<string, unknown> = { account: 'a', value: 'x', start: 0, end: 1, bt: 1, bs: 1, limit: 5 }
        if (variant === 'none' || variant.startsWith('ReadOnly')) delete params.value
        const plan = db.prepare(`EXPLAIN QUERY PLAN ${lookupSql(variant)}`).all(params).map((row) => (row as { detail: string }).detail).join(' | ')
        assert.match(plan, /USING (COVERING )?INDEX|USING PRIMARY KEY/, plan)
        assert.doesNotMatch(plan, /audit_by_account\b.*read_only|SCAN (audit|audit_shared|audit_resources|a|s|r)\b(?! USING)/, plan)
        // An event id names one record, so sorting its few matches is cheap; every other statement reads in order.
        if (variant !== 'EventId') assert.doesNotMatch(plan, /TEMP B-TREE/, `${variant}: ${plan}`)
        // The account's own records and the cross-account calls on its keys are merged, not sorted together.
        if (variant !== 'ResourceName') assert.match(plan, /MERGE \(UNION ALL\)/, plan)
      }
    } finally {
      db.close()
    }
  })
})
