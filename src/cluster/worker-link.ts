// A cluster worker's side of the IPC channel to the primary: audit batches go to the primary's one writer
// and resolve only on its durable ack; readiness asks the primary too; writes are announced so that every
// other worker reads the change feed before this worker answers. Fail-closed: once the channel breaks,
// every waiting and later audit append rejects (the request then fails with KMSInternalException).
import type { AuditRecord, ChainedAuditRecord } from '../audit/record.js'
import type { ChangeFeed } from '../cache/change-feed.js'
import type { Channel, PrimaryToWorker, WorkerToPrimary } from './messages.js'

/** How long a write waits for the other workers to read the change feed before their background poll must do. */
export const CHANGE_ACK_BOUND_MS = 200
const PROBE_TIMEOUT_MS = 2_000

interface Waiting {
  resolve: (reply: PrimaryToWorker) => void
  reject: (error: Error) => void
}

export interface WorkerLink {
  /** GroupCommitOptions['append']: one IPC message per batch; resolves after the primary's commit and after this worker's announced writes were seen. */
  append(records: AuditRecord[]): Promise<ChainedAuditRecord[]>
  /** Rejects unless the primary's audit writer answers that it accepts writes (for /readyz). */
  probe(): Promise<void>
  /** Tells the primary this worker committed a write; the next append waits until the others have polled (bounded). */
  announceChange(): void
  /** Answers the primary's 'poll' by reading `changes`; registers announceChange as its local-write listener. */
  attach(changes: ChangeFeed): void
  /** Settles once the channel has broken. */
  readonly closed: Promise<void>
  /** Requests sent and not yet answered (a withdrawn, timed-out probe is not one). */
  pendingRequests(): number
}

export class PrimaryUnreachableError extends Error {
  override readonly name = 'PrimaryUnreachableError'
}

export function createWorkerLink(channel: Channel<WorkerToPrimary, PrimaryToWorker>, onStop: () => void = () => undefined): WorkerLink {
  const waiting = new Map<number, Waiting>()
  const announced = new Set<Promise<void>>()
  let nextId = 0
  let broken: Error | undefined
  let markClosed: () => void = () => undefined
  const closed = new Promise<void>((resolve) => { markClosed = resolve })

  const fail = (error: Error) => {
    if (broken) return
    broken = error
    for (const w of waiting.values()) w.reject(error)
    waiting.clear()
    markClosed()
  }
  channel.onClose(() => fail(new PrimaryUnreachableError('the IPC channel to the primary closed')))

  /** Sends a request and resolves with the primary's reply to it; `onId` learns the id (to withdraw it later). */
  const request = (make: (id: number) => WorkerToPrimary, onId: (id: number) => void = () => undefined): Promise<PrimaryToWorker> => {
    if (broken) return Promise.reject(broken)
    if (!channel.isOpen()) {
      fail(new PrimaryUnreachableError('the IPC channel to the primary is not open'))
      return Promise.reject(broken)
    }
    const id = ++nextId
    onId(id)
    return new Promise((resolve, reject) => {
      waiting.set(id, { resolve, reject })
      try {
        channel.send(make(id))
      } catch (e) {
        waiting.delete(id)
        reject(new PrimaryUnreachableError(`sending to the primary failed: ${e instanceof Error ? e.message : String(e)}`))
      }
    })
  }

  const settle = (message: PrimaryToWorker) => {
    if (!('id' in message) || message.t === 'poll') return
    const w = waiting.get(message.id)
    if (!w) return
    waiting.delete(message.id)
    w.resolve(message)
  }

  let feed: ChangeFeed | undefined
  channel.onMessage((message) => {
    if (message.t === 'poll') {
      const answer = () => { if (!broken && channel.isOpen()) channel.send({ t: 'polled', id: message.id }) }
      void (feed ? feed.pollNow() : Promise.resolve()).then(answer, answer)
    } else if (message.t === 'stop') {
      onStop()
    } else {
      settle(message)
    }
  })

  return {
    closed,
    async append(records) {
      // Writes announced before this batch was handed over belong to requests in it (or before it).
      const seen = Promise.all(announced)
      const reply = await request((id) => ({ t: 'audit', id, records }))
      if (reply.t !== 'audit-ok') throw new Error(`audit append failed in the primary: ${reply.t === 'audit-err' ? reply.error : reply.t}`)
      if (reply.links.length !== records.length) throw new Error('the primary acknowledged a different number of audit records')
      await seen
      return records.map((r, i) => ({ ...r, trentSequence: reply.links[i]![0], trentPreviousHash: reply.links[i]![1] }))
    },
    async probe() {
      let timer: NodeJS.Timeout | undefined
      let probeId = 0
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          // Withdraw the unanswered probe so that a primary which never replies does not grow the table.
          waiting.delete(probeId)
          reject(new PrimaryUnreachableError('the primary did not answer the readiness probe'))
        }, PROBE_TIMEOUT_MS)
      })
      try {
        const reply = await Promise.race([request((id) => ({ t: 'probe', id }), (id) => { probeId = id }), timeout])
        if (reply.t !== 'probe-ok') throw new Error(`the primary's audit writer is not ready: ${reply.t === 'probe-err' ? reply.error : reply.t}`)
      } finally {
        clearTimeout(timer)
      }
    },
    announceChange() {
      // Bounded on this side too: a primary that never answers costs a write at most the bound, after which
      // the other workers' background poll is what brings them up to date.
      let timer: NodeJS.Timeout | undefined
      const bound = new Promise<void>((resolve) => { timer = setTimeout(resolve, CHANGE_ACK_BOUND_MS + 50) })
      const ack = request((id) => ({ t: 'changed', id })).then(() => undefined, () => undefined)
      const done: Promise<void> = Promise.race([ack, bound]).finally(() => {
        clearTimeout(timer)
        announced.delete(done)
      })
      announced.add(done)
    },
    pendingRequests: () => waiting.size,
    attach(changes) {
      feed = changes
      changes.onLocalWrite(() => this.announceChange())
    },
  }
}
