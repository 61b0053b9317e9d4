// A worker's IPC link to the primary: one message per audit batch, success only on the primary's durable
// ack, fail-closed when the primary reports failure or the channel breaks, and writes announced to the
// other workers before the writer's reply.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { AuditRecord } from '../audit/record.js'
import { fakeChannelPair } from './fake-channel.js'
import type { PrimaryToWorker, WorkerToPrimary } from './messages.js'
import { CHANGE_ACK_BOUND_MS, PrimaryUnreachableError, createWorkerLink } from './worker-link.js'

const record = (n: number) => ({ eventID: `e${n}` }) as unknown as AuditRecord

function setup() {
  const [worker, primary] = fakeChannelPair<WorkerToPrimary, PrimaryToWorker>()
  const link = createWorkerLink(worker)
  const received: WorkerToPrimary[] = []
  primary.onMessage((m) => received.push(m))
  const nextMessage = async () => {
    while (received.length === 0) await new Promise((r) => setImmediate(r))
    return received.shift()!
  }
  return { link, worker, primary, nextMessage }
}

describe('worker link to the primary', () => {
  it('sends a batch as one message and resolves with the chain fields only after the primary\'s ack', async () => {
    const { link, primary, nextMessage } = setup()
    let settled = false
    const appended = link.append([record(1), record(2)]).finally(() => { settled = true })
    const message = await nextMessage()
    assert.equal(message.t, 'audit')
    assert.equal((message as { records: unknown[] }).records.length, 2)
    await new Promise((r) => setTimeout(r, 20))
    assert.equal(settled, false, 'no answer before the ack')
    primary.send({ t: 'audit-ok', id: (message as { id: number }).id, links: [[7, 'h6'], [8, 'h7']] })
    const stored = await appended
    assert.deepEqual(stored.map((r) => [r.eventID, r.trentSequence, r.trentPreviousHash]), [['e1', 7, 'h6'], ['e2', 8, 'h7']])
  })

  it('rejects when the primary reports that the commit failed', async () => {
    const { link, primary, nextMessage } = setup()
    const appended = link.append([record(1)])
    const message = (await nextMessage()) as { id: number }
    primary.send({ t: 'audit-err', id: message.id, error: 'disk full' })
    await assert.rejects(appended, /disk full/)
  })

  it('rejects every waiting and later append, and the readiness probe, once the channel breaks', async () => {
    const { link, worker, nextMessage } = setup()
    const waiting = link.append([record(1)])
    await nextMessage()
    worker.breakChannel()
    await assert.rejects(waiting, PrimaryUnreachableError)
    await assert.rejects(link.append([record(2)]), PrimaryUnreachableError)
    await assert.rejects(link.probe(), PrimaryUnreachableError)
  })

  it('withdraws a readiness probe the primary never answers, so unanswered probes do not pile up', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] })
    const { link, nextMessage } = setup()
    const probe = link.probe()
    await nextMessage()
    assert.equal(link.pendingRequests(), 1)
    t.mock.timers.tick(2_000)
    await assert.rejects(probe, /did not answer the readiness probe/)
    assert.equal(link.pendingRequests(), 0)
  })

  it('is ready only when the primary answers the probe', async () => {
    const { link, primary, nextMessage } = setup()
    const ok = link.probe()
    primary.send({ t: 'probe-ok', id: ((await nextMessage()) as { id: number }).id })
    await ok
    const bad = link.probe()
    primary.send({ t: 'probe-err', id: ((await nextMessage()) as { id: number }).id, error: 'audit writer thread exited' })
    await assert.rejects(bad, /audit writer thread exited/)
  })

  it('holds the reply of a batch after a local write until the primary says the other workers have polled', async () => {
    const { link, primary, nextMessage } = setup()
    link.announceChange()
    const changed = (await nextMessage()) as { t: string; id: number }
    assert.equal(changed.t, 'changed')
    let settled = false
    const appended = link.append([record(1)]).finally(() => { settled = true })
    const audit = (await nextMessage()) as { id: number }
    primary.send({ t: 'audit-ok', id: audit.id, links: [[1, 'h0']] })
    await new Promise((r) => setTimeout(r, 30))
    assert.equal(settled, false, 'the change has not been seen yet')
    primary.send({ t: 'changes-seen', id: changed.id })
    await appended
  })

  it('gives up waiting for the other workers after the bound (their background poll takes over)', async () => {
    const { link, primary, nextMessage } = setup()
    link.announceChange()
    await nextMessage()
    const started = performance.now()
    const appended = link.append([record(1)])
    primary.send({ t: 'audit-ok', id: ((await nextMessage()) as { id: number }).id, links: [[1, 'h0']] })
    await appended
    assert.ok(performance.now() - started >= CHANGE_ACK_BOUND_MS - 5)
  })

  it('answers the primary\'s poll after reading its change feed', async () => {
    const { link, primary, nextMessage } = setup()
    let polled = 0
    link.attach({ pollNow: async () => { polled++ }, onLocalWrite: () => () => undefined, close: () => undefined })
    primary.send({ t: 'poll', id: 5 })
    assert.deepEqual(await nextMessage(), { t: 'polled', id: 5 })
    assert.equal(polled, 1)
  })
})
