// LookupEvents is regional: one region's page never shows another's records, paging stays exact when the
// regions' records interleave, and a page reads at most MAX_EXAMINED_PER_PAGE records.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ChainedAuditRecord } from '../audit/record.js'
import type { AuditLookupQuery, AuditLookupRow, AuditStore } from '../store/audit-store.js'
import { MAX_EXAMINED_PER_PAGE, lookupEvents } from './lookup-events.js'

const ACCOUNT = '111122223333'

/** Rows newest first, as the store returns them, honouring `before` and `limit`; counts the rows it hands out. */
function storeOf(regions: string[]): { store: AuditStore; read: () => number } {
  let read = 0
  const rows: AuditLookupRow[] = regions.map((awsRegion, i) => ({
    sequence: i + 1, eventTime: 1_000 * (i + 1),
    record: { eventID: `e${i + 1}`, eventName: 'Encrypt', readOnly: true, eventSource: 'kms.amazonaws.com', resources: [], awsRegion } as unknown as ChainedAuditRecord,
  })).reverse()
  const store = {
    async lookupAudit(q: AuditLookupQuery) {
      const after = rows.filter((r) => !q.before || r.eventTime < q.before.eventTime || (r.eventTime === q.before.eventTime && r.sequence < q.before.sequence))
      const page = after.slice(0, q.limit)
      read += page.length
      return page
    },
  } as unknown as AuditStore
  return { store, read: () => read }
}

async function allPages(store: AuditStore, region: string, maxResults: number): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = []
  let token: string | undefined
  let pages = 0
  do {
    const out = await lookupEvents(store, region, ACCOUNT, { MaxResults: maxResults, ...(token ? { NextToken: token } : {}) })
    pages++
    ids.push(...out.Events.map((e) => e.EventId))
    token = out.NextToken
  } while (token !== undefined)
  return { ids, pages }
}

describe('LookupEvents in one of several regions', () => {
  it('pages through exactly its own region\'s events, newest first, however the regions interleave', async () => {
    const regions = Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? 'eu-west-1' : 'us-east-1'))
    const { store } = storeOf(regions)
    const expected = (region: string) => regions.map((r, i) => (r === region ? `e${i + 1}` : '')).filter((id) => id !== '').reverse()
    for (const size of [1, 2, 5, 50]) {
      assert.deepEqual((await allPages(store, 'eu-west-1', size)).ids, expected('eu-west-1'), `page size ${size}`)
      assert.deepEqual((await allPages(store, 'us-east-1', size)).ids, expected('us-east-1'), `page size ${size}`)
    }
    assert.deepEqual((await allPages(store, 'ap-south-1', 5)).ids, [])
  })

  it('ends a page early, with a token that resumes, once it has read MAX_EXAMINED_PER_PAGE records of other regions', async () => {
    const regions = [...Array.from({ length: 2 * MAX_EXAMINED_PER_PAGE }, () => 'us-east-1'), 'eu-west-1'].reverse()
    const { store, read } = storeOf(regions)
    const first = await lookupEvents(store, 'eu-west-1', ACCOUNT, { MaxResults: 10 })
    assert.deepEqual(first.Events, [])
    assert.ok(first.NextToken !== undefined)
    assert.ok(read() <= MAX_EXAMINED_PER_PAGE + 11, `read ${read()} records for one page`)
    const { ids } = await allPages(store, 'eu-west-1', 10)
    assert.deepEqual(ids, ['e1'])
  })

  it('refuses a token made in another region', async () => {
    const { store } = storeOf(['eu-west-1', 'eu-west-1', 'eu-west-1'])
    const page = await lookupEvents(store, 'eu-west-1', ACCOUNT, { MaxResults: 1 })
    await assert.rejects(lookupEvents(store, 'us-east-1', ACCOUNT, { MaxResults: 1, NextToken: page.NextToken! }), /Invalid NextToken/)
  })
})
