// A small fixed pool of worker threads with a bounded queue, for CPU-heavy crypto that would otherwise
// stall the event loop (RSA private-key operations, P-384/P-521, ML-DSA). Workers start on demand and
// hold the process open only while they have work.
import { Worker } from 'node:worker_threads'

export class WorkerPoolBusyError extends Error {
  override readonly name = 'WorkerPoolBusyError'
}

export interface WorkerPoolOptions {
  /** The worker script: it answers {id, task, args} with {id, ok, result} or {id, ok: false, failure}. */
  script: URL
  size: number
  /** Jobs allowed to wait for a worker; one more is refused with WorkerPoolBusyError. */
  maxQueued: number
  /** Turns a worker's failure payload back into an error (typed errors keep their class). */
  reviveFailure(failure: unknown): Error
}

interface Job {
  id: number
  task: string
  args: unknown[]
  resolve(value: unknown): void
  reject(error: Error): void
}

type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; failure: unknown }

export class WorkerPool {
  private readonly options: WorkerPoolOptions
  private readonly idle: Worker[] = []
  private readonly running = new Map<Worker, Job>()
  private readonly queue: Job[] = []
  private workerCount = 0
  private nextId = 1
  private closed = false

  constructor(options: WorkerPoolOptions) {
    if (!Number.isInteger(options.size) || options.size < 1) throw new RangeError('worker pool size must be a positive integer')
    this.options = options
  }

  /** Runs `task` in a worker. Rejects with WorkerPoolBusyError when the queue is full. */
  run(task: string, args: unknown[]): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('worker pool is closed'))
    if (this.queue.length >= this.options.maxQueued) return Promise.reject(new WorkerPoolBusyError('crypto worker queue is full'))
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, task, args, resolve, reject })
      this.pump()
    })
  }

  /** Stops every worker; queued and running jobs are rejected. */
  async close(): Promise<void> {
    this.closed = true
    for (const job of this.queue.splice(0)) job.reject(new Error('worker pool is closed'))
    const workers = [...this.idle, ...this.running.keys()]
    this.idle.length = 0
    await Promise.all(workers.map((w) => w.terminate()))
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let worker: Worker | undefined
      try {
        worker = this.idle.pop() ?? this.spawn()
      } catch (error) {
        // A worker that cannot even start fails the job it was for; left queued, the job would hold a
        // queue slot forever, and a throw here (from an 'exit' handler) would take the process down.
        this.queue.shift()!.reject(error as Error)
        continue
      }
      if (!worker) return
      const job = this.queue.shift()!
      this.running.set(worker, job)
      worker.ref()
      worker.postMessage({ id: job.id, task: job.task, args: job.args })
    }
  }

  private spawn(): Worker | undefined {
    if (this.workerCount >= this.options.size) return undefined
    const worker = new Worker(this.options.script)
    this.workerCount++
    worker.unref()
    worker.on('message', (reply: Reply) => this.finish(worker, reply))
    worker.on('error', (error) => this.retire(worker, error))
    worker.on('exit', () => this.retire(worker, new Error('crypto worker exited')))
    return worker
  }

  private finish(worker: Worker, reply: Reply): void {
    const job = this.running.get(worker)
    if (!job || job.id !== reply.id) return
    this.running.delete(worker)
    worker.unref()
    this.idle.push(worker)
    if (reply.ok) job.resolve(reply.result)
    else job.reject(this.options.reviveFailure(reply.failure))
    this.pump()
  }

  /** A worker that crashed or exited is dropped; its job fails and the next job gets a fresh worker. */
  private retire(worker: Worker, error: Error): void {
    const idleAt = this.idle.indexOf(worker)
    if (idleAt >= 0) this.idle.splice(idleAt, 1)
    const job = this.running.get(worker)
    if (job) {
      this.running.delete(worker)
      job.reject(error)
    } else if (idleAt < 0) {
      return // already retired (an error event is followed by an exit event)
    }
    this.workerCount--
    if (!this.closed) this.pump()
  }
}
