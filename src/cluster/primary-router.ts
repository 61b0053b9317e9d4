// The primary's side of every worker's IPC channel: audit batches go into the one AuditHub and are answered
// after the commit; readiness probes are answered by the primary's writer; a write announced by one worker
// is relayed to every other worker (and the primary's own change feed), and the writer is told once all
// have read their change feeds or the bound has passed.
import type { ChangeFeed } from '../cache/change-feed.js'
import type { Logger } from '../logging/logger.js'
import type { AuditHub } from './audit-hub.js'
import { isMessage, type Channel, type PrimaryToWorker, type WorkerToPrimary } from './messages.js'
import { CHANGE_ACK_BOUND_MS } from './worker-link.js'

export type WorkerChannel = Channel<PrimaryToWorker, WorkerToPrimary>

export interface PrimaryRouterDeps {
  hub: Pick<AuditHub, 'append'>
  /** Throws unless the primary's writer (and sink) accept writes now. */
  probe: () => Promise<void>
  /** The primary's own change feed (its jobs have caches too). */
  changes: ChangeFeed
  logger: Logger
  ackBoundMs?: number
}

interface PendingPoll {
  waitingFor: Set<number>
  done: () => void
}

export interface PrimaryRouter {
  add(workerId: number, channel: WorkerChannel): void
  /** Stops waiting for a worker that died: it no longer holds up anyone's change relay. */
  remove(workerId: number): void
  /** Tells every worker but `except` to read its change feed; resolves once all did, or after the bound. */
  relayChange(except?: number): Promise<void>
  send(workerId: number, message: PrimaryToWorker): void
}

export function createPrimaryRouter(deps: PrimaryRouterDeps): PrimaryRouter {
  const workers = new Map<number, WorkerChannel>()
  const polls = new Map<number, PendingPoll>()
  let nextPoll = 0
  const bound = deps.ackBoundMs ?? CHANGE_ACK_BOUND_MS

  const send = (workerId: number, message: PrimaryToWorker) => {
    const channel = workers.get(workerId)
    if (!channel?.isOpen()) return
    try {
      channel.send(message)
    } catch (e) {
      deps.logger.warn({ worker: workerId, err: String(e) }, 'could not send to a worker')
    }
  }

  const settlePoll = (pollId: number, workerId: number) => {
    const poll = polls.get(pollId)
    if (!poll) return
    poll.waitingFor.delete(workerId)
    if (poll.waitingFor.size === 0) poll.done()
  }

  const relayChange = (except?: number): Promise<void> => {
    const id = ++nextPoll
    const targets = [...workers.keys()].filter((w) => w !== except)
    const own = deps.changes.pollNow().catch((e: unknown) => deps.logger.warn({ err: String(e) }, 'change feed poll failed'))
    const others = new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | undefined
      const done = () => {
        clearTimeout(timer)
        polls.delete(id)
        resolve()
      }
      if (targets.length === 0) return done()
      timer = setTimeout(done, bound)
      polls.set(id, { waitingFor: new Set(targets), done })
      for (const w of targets) send(w, { t: 'poll', id })
    })
    return Promise.all([own, others]).then(() => undefined)
  }

  const handle = (workerId: number, message: WorkerToPrimary) => {
    switch (message.t) {
      case 'audit':
        deps.hub.append(message.records).then(
          (stored) => send(workerId, { t: 'audit-ok', id: message.id, links: stored.map((r) => [r.trentSequence, r.trentPreviousHash]) }),
          (e: unknown) => send(workerId, { t: 'audit-err', id: message.id, error: e instanceof Error ? e.message : String(e) }),
        )
        return
      case 'probe':
        deps.probe().then(
          () => send(workerId, { t: 'probe-ok', id: message.id }),
          (e: unknown) => send(workerId, { t: 'probe-err', id: message.id, error: e instanceof Error ? e.message : String(e) }),
        )
        return
      case 'changed':
        void relayChange(workerId).then(() => send(workerId, { t: 'changes-seen', id: message.id }))
        return
      case 'polled':
        settlePoll(message.id, workerId)
    }
  }

  return {
    add(workerId, channel) {
      workers.set(workerId, channel)
      channel.onMessage((message) => {
        if (isMessage(message)) handle(workerId, message)
      })
    },
    remove(workerId) {
      workers.delete(workerId)
      for (const id of [...polls.keys()]) settlePoll(id, workerId)
    },
    relayChange,
    send,
  }
}
