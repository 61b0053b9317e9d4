// The primary's router: audit batches from workers go through the hub and are acked with their chain
// fields (or the failure); a worker's write makes every other worker poll its change feed before the writer
// is told, bounded in time, and a dead worker holds nobody up.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { AuditRecord } from '../audit/record.js'
import type { ChangeFeed } from '../cache/change-feed.js'
import { jsonLogger } from '../logging/logger.js'
import { fakeChannelPair, type FakeEnd } from './fake-channel.js'
import type { PrimaryToWorker, WorkerToPrimary } from './messages.js'
import { createPrimaryRouter } from './primary-router.js'

type WorkerEnd = FakeEnd<WorkerToPrimary, PrimaryToWorker>

function routerWith(workers: number, options: { failAudit?: boolean; answerPolls?: boolean } = {}) {
  const router = createPrimaryRouter({
    hub: { append: async (records: AuditRecord[]) => {
      if (options.failAudit) throw new Error('disk full')
      return records.map((r, i) => ({ ...r, trentSequence: i + 1, trentPreviousHash: 'h' }))
    } },
    probe: async () => undefined, changes: idleFeed(), logger: jsonLogger, ackBoundMs: 100,
  })
  const ends: WorkerEnd[] = []
  const inbox: PrimaryToWorker[][] = []
  for (let id = 1; id <= workers; id++) {
    const [worker, primary] = fakeChannelPair<WorkerToPrimary, PrimaryToWorker>()
    router.add(id, primary)
    const box: PrimaryToWorker[] = []
    worker.onMessage((m) => {
      box.push(m)
      if (m.t === 'poll' && options.answerPolls !== false) worker.send({ t: 'polled', id: m.id })
    })
    ends.push(worker)
    inbox.push(box)
  }
  const next = async (i: number, t: PrimaryToWorker['t']) => {
    for (;;) {
      const at = inbox[i]!.findIndex((m) => m.t === t)
      if (at >= 0) return inbox[i]!.splice(at, 1)[0]!
      await new Promise((r) => setImmediate(r))
    }
  }
  return { router, ends, inbox, next }
}

/** A feed with nothing to read or announce: the router's relay is what these tests watch. */
const idleFeed = (): ChangeFeed => ({ pollNow: async () => undefined, onLocalWrite: () => () => undefined, close: () => undefined })

describe('primary router', () => {
  it('acks a worker\'s audit batch with the stored chain fields, or with the failure', async () => {
    const good = routerWith(1)
    good.ends[0]!.send({ t: 'audit', id: 3, records: [{ eventID: 'a' } as unknown as AuditRecord] })
    assert.deepEqual(await good.next(0, 'audit-ok'), { t: 'audit-ok', id: 3, links: [[1, 'h']] })
    const bad = routerWith(1, { failAudit: true })
    bad.ends[0]!.send({ t: 'audit', id: 4, records: [{ eventID: 'a' } as unknown as AuditRecord] })
    assert.deepEqual(await bad.next(0, 'audit-err'), { t: 'audit-err', id: 4, error: 'disk full' })
  })

  it('tells the writer its change was seen only after every other worker polled', async () => {
    const { ends, inbox, next } = routerWith(3)
    ends[1]!.send({ t: 'changed', id: 9 })
    assert.deepEqual(await next(1, 'changes-seen'), { t: 'changes-seen', id: 9 })
    assert.deepEqual([inbox[0]!.map((m) => m.t), inbox[2]!.map((m) => m.t)], [['poll'], ['poll']], 'every other worker was asked to poll')
    assert.ok(!inbox[1]!.some((m) => m.t === 'poll'), 'the writer is not asked to poll')
  })

  it('answers the writer after the bound when a worker never acks, and at once when that worker is removed', async () => {
    const slow = routerWith(2, { answerPolls: false })
    const started = performance.now()
    slow.ends[0]!.send({ t: 'changed', id: 1 })
    await slow.next(0, 'changes-seen')
    assert.ok(performance.now() - started >= 95)
    const removed = routerWith(2, { answerPolls: false })
    const t0 = performance.now()
    removed.ends[0]!.send({ t: 'changed', id: 2 })
    await removed.next(1, 'poll')
    removed.router.remove(2)
    await removed.next(0, 'changes-seen')
    assert.ok(performance.now() - t0 < 90)
  })
})
