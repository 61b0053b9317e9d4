// The unauthenticated-flood guard through the real pipeline: a source's failures are audited one by one up to
// its budget, then refused with ThrottlingException without a record each, counted, and summarised per source.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createHarness, type Harness } from '../../test/support/harness.js'
import { auditRecords, createKey } from '../../test/support/kms-fixtures.js'
import { dispatch } from './dispatch.js'
import { THROTTLE_SUMMARY_EVENT, sourceOf } from './source-guard.js'

function unsigned(h: Harness, sourceIp: string, target = 'TrentService.Encrypt') {
  return dispatch(h.services, {
    method: 'POST', url: '/', body: new TextEncoder().encode('{}'), sourceIp, requestId: `r-${Math.random()}`,
    headers: { host: 'localhost', 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
  })
}

describe('the unauthenticated-flood guard', () => {
  let h: Harness
  let nowMs = 0
  before(async () => {
    h = await createHarness({ sourceGuard: { ratePerSecond: 2, burst: 5, summaryIntervalMs: 3_600_000 }, rateClockMs: () => nowMs })
  })
  after(() => h.close())

  it('audits a source\'s first failures, then throttles the flood without a write each, and summarises it', async () => {
    const before = (await auditRecords(h)).length
    const replies = []
    for (let i = 0; i < 50; i++) replies.push(await unsigned(h, '203.0.113.9', i % 2 ? 'TrentService.Encrypt' : 'TrentService.Nope'))
    const audited = (await auditRecords(h)).slice(before)
    assert.equal(audited.length, 5, 'the burst is audited one by one')
    assert.deepEqual(new Set(replies.slice(0, 5).map((r) => JSON.parse(r.body).__type)), new Set(['MissingAuthenticationTokenException', 'UnknownOperationException']))
    for (const r of replies.slice(5)) {
      assert.equal(r.status, 400)
      assert.deepEqual(JSON.parse(r.body), { __type: 'ThrottlingException', message: 'You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls.' })
    }
    const metrics = await h.services.metrics.registry.metrics()
    assert.match(metrics, /^trent_source_throttled_total 45$/m)

    // Another source is not held back by this one's flood.
    const other = await unsigned(h, '198.51.100.1')
    assert.equal(JSON.parse(other.body).__type, 'MissingAuthenticationTokenException')

    await h.services.sourceGuard.flush()
    const summaries = (await auditRecords(h)).filter((r) => r.eventName === THROTTLE_SUMMARY_EVENT)
    assert.equal(summaries.length, 1)
    const summary = summaries[0]!
    assert.equal(summary.eventType, 'AwsServiceEvent')
    assert.equal(summary.sourceIPAddress, '203.0.113.9')
    assert.equal(summary.serviceEventDetails?.throttledRequests, 45)
    assert.deepEqual(summary.serviceEventDetails?.eventNames, { Unknown: 22, Encrypt: 23 })
    assert.deepEqual(summary.serviceEventDetails?.errorCodes, { UnknownOperationException: 22, MissingAuthenticationTokenException: 23 })
    // Nothing more to summarise: a second flush writes nothing.
    await h.services.sourceGuard.flush()
    assert.equal((await auditRecords(h)).filter((r) => r.eventName === THROTTLE_SUMMARY_EVENT).length, 1)
  })

  it('refills the source\'s budget over time, and never holds back signed requests from a flooding source', async () => {
    for (let i = 0; i < 20; i++) await unsigned(h, '192.0.2.7')
    assert.equal(JSON.parse((await unsigned(h, '192.0.2.7')).body).__type, 'ThrottlingException')
    const key = await createKey(h) // signed, from 127.0.0.1 in the harness: unaffected
    assert.ok(key.keyId)
    nowMs += 1000 // 2 tokens at 2/s
    assert.equal(JSON.parse((await unsigned(h, '192.0.2.7')).body).__type, 'MissingAuthenticationTokenException')
  })

  it('keeps the counts when the summary cannot be written, and writes them at the next flush', async () => {
    for (let i = 0; i < 8; i++) await unsigned(h, '192.0.2.99') // 5 audited, 3 throttled
    const write = h.services.auditLog.write.bind(h.services.auditLog)
    let failing = true
    h.services.auditLog.write = (record) => (failing ? Promise.reject(new Error('disk full')) : write(record))
    try {
      await h.services.sourceGuard.flush()
      failing = false
      await h.services.sourceGuard.flush()
    } finally {
      h.services.auditLog.write = write
    }
    const summary = (await auditRecords(h)).filter((r) => r.eventName === THROTTLE_SUMMARY_EVENT && r.sourceIPAddress === '192.0.2.99')
    assert.equal(summary.length, 1)
    assert.equal(summary[0]!.serviceEventDetails?.throttledRequests, 3)
  })
})

describe('sourceOf()', () => {
  it('keys IPv4 (and IPv4-mapped) by address and IPv6 by its /64', () => {
    assert.equal(sourceOf('203.0.113.9'), '203.0.113.9')
    assert.equal(sourceOf('::ffff:203.0.113.9'), '203.0.113.9')
    assert.equal(sourceOf('2001:db8:1:2:aaaa::1'), '2001:db8:1:2::/64')
    assert.equal(sourceOf('2001:0db8:0001:0002:ffff:ffff:ffff:ffff'), '2001:db8:1:2::/64')
    assert.equal(sourceOf('2001:db8::1'), '2001:db8:0:0::/64')
    assert.equal(sourceOf('::1'), '0:0:0:0::/64')
    assert.equal(sourceOf('fe80::1%eth0'), 'fe80:0:0:0::/64')
    assert.equal(sourceOf(''), '')
    assert.equal(sourceOf('not:an:address::x'), 'not:an:address::x')
  })

  it('gives every address of one IPv6 /64 a single budget', async () => {
    let nowMs = 0
    const h = await createHarness({ sourceGuard: { ratePerSecond: 1, burst: 3, summaryIntervalMs: 3_600_000 }, rateClockMs: () => nowMs })
    try {
      const types = []
      for (let i = 1; i <= 6; i++) types.push(JSON.parse((await unsigned(h, `2001:db8:7:7::${i.toString(16)}`)).body).__type)
      assert.deepEqual(types.filter((t) => t === 'ThrottlingException').length, 3)
      await h.services.sourceGuard.flush()
      const summary = (await auditRecords(h)).find((r) => r.eventName === THROTTLE_SUMMARY_EVENT)
      assert.equal(summary?.sourceIPAddress, '2001:db8:7:7::/64')
    } finally {
      await h.close()
    }
  })
})
