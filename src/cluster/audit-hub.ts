// The primary's single entry to the audit writer: batches from every worker (and from the primary's own
// jobs) that arrive while a write is in flight are merged into the next write, so the whole cluster shares
// one group commit, one chain and one fsync per round. Each caller gets back its own records as stored.
import type { AuditSink } from '../audit/audit-log.js'
import type { AuditRecord, ChainedAuditRecord } from '../audit/record.js'

interface Submission {
  records: AuditRecord[]
  resolve: (stored: ChainedAuditRecord[]) => void
  reject: (error: unknown) => void
}

export interface AuditHubOptions {
  /** The writer (the audit writer thread's append). */
  append: (records: AuditRecord[]) => Promise<ChainedAuditRecord[]>
  /** Written after each commit and before anyone is answered, as GroupCommitAuditLog does. */
  sink?: AuditSink
  /** Records per write; a submission is never split, so a write may exceed it by one submission. */
  maxBatch?: number
}

export interface AuditHub {
  append(records: AuditRecord[]): Promise<ChainedAuditRecord[]>
  /** Resolves once every submission so far has been settled. */
  drain(): Promise<void>
}

export function createAuditHub(options: AuditHubOptions): AuditHub {
  const queue: Submission[] = []
  const maxBatch = options.maxBatch ?? 2048
  let flushing: Promise<void> | undefined

  const takeRound = (): Submission[] => {
    const round: Submission[] = []
    let size = 0
    while (queue.length > 0 && (round.length === 0 || size + queue[0]!.records.length <= maxBatch)) {
      const next = queue.shift()!
      size += next.records.length
      round.push(next)
    }
    return round
  }

  const writeRound = async (round: Submission[]) => {
    try {
      const stored = await options.append(round.flatMap((s) => s.records))
      if (options.sink) await options.sink.write(stored)
      let at = 0
      for (const s of round) {
        s.resolve(stored.slice(at, at + s.records.length))
        at += s.records.length
      }
    } catch (error) {
      for (const s of round) s.reject(error)
    }
  }

  const flush = async () => {
    // Give every message already received this turn the chance to join the first round.
    await new Promise((resolve) => setImmediate(resolve))
    while (queue.length > 0) await writeRound(takeRound())
  }

  const schedule = () => {
    if (flushing) return
    flushing = flush().finally(() => {
      flushing = undefined
      if (queue.length > 0) schedule()
    })
  }

  return {
    append(records) {
      if (records.length === 0) return Promise.resolve([])
      return new Promise((resolve, reject) => {
        queue.push({ records, resolve, reject })
        schedule()
      })
    },
    async drain() {
      while (flushing || queue.length > 0) await (flushing ?? new Promise((r) => setImmediate(r)))
    },
  }
}
