// A small fixed pool of worker threads with a bounded queue, for CPU-heavy crypto that would otherwise
// stall the event loop (RSA private-key operations, P-384/P-521, ML-DSA). Workers start on demand and
// hold the process open only while they have work. A job may name a private key: each worker keeps the
// keys it has parsed (worker-host.ts), and the pool records which, so material crosses to a worker only
// when that worker does not hold it already.
import { Worker } from 'node:worker_threads'
import { KeyLru } from './key-lru.js'
import type { PoolReply, PoolRequest, WorkerStartup } from './worker-protocol.js'

export class WorkerPoolBusyError extends Error {
  override readonly name = 'WorkerPoolBusyError'
}

export interface WorkerPoolOptions {
  /** The worker script; it serves the protocol of worker-protocol.ts (see worker-host.ts). */
  script: URL
  size: number
  /** Jobs allowed to wait for a worker; one more is refused with WorkerPoolBusyError. */
  maxQueued: number
  /** Parsed keys each worker keeps (default 256). */
  maxKeysPerWorker?: number
  /** Turns a worker's failure payload back into an error (typed errors keep their class). */
  reviveFailure(failure: unknown): Error
}

/** The key a job runs with. `material` must stay intact until the job settles; the pool never keeps it. */
export interface PoolKey {
  owner: string
  name: string
  material: Uint8Array
}

/** How keys reached the workers: for tests and monitoring. */
export interface PoolKeyStats {
  /** Jobs that carried the key's material (a worker did not hold it). */
  materialSent: number
  /** Jobs that named the key by reference alone. */
  referenceOnly: number
  /** Jobs a worker sent back because it did not hold a key the pool thought it held. */
  missing: number
}

interface Job {
  id: number
  task: string
  args: unknown[]
  key?: PoolKey
  resent?: boolean
  resolve(value: unknown): void
  reject(error: Error): void
}

interface Control {
  worker: Worker
  /** What a worker that is gone answers: it held nothing. */
  ifGone: unknown
  resolve(value: unknown): void
}

export class WorkerPool {
  private readonly options: WorkerPoolOptions
  private readonly maxKeys: number
  private readonly idle: Worker[] = []
  private readonly running = new Map<Worker, Job>()
  /** Per worker, the names of the keys it holds (values unused): mirrors the worker's own cache. */
  private readonly holds = new Map<Worker, KeyLru<true>>()
  private readonly controls = new Map<number, Control>()
  private readonly queue: Job[] = []
  readonly stats: PoolKeyStats = { materialSent: 0, referenceOnly: 0, missing: 0 }
  private workerCount = 0
  private nextId = 1
  private closed = false

  constructor(options: WorkerPoolOptions) {
    if (!Number.isInteger(options.size) || options.size < 1) throw new RangeError('worker pool size must be a positive integer')
    this.options = options
    this.maxKeys = options.maxKeysPerWorker ?? 256
  }

  /** Runs `task` in a worker (with `key` parsed, when given). Rejects with WorkerPoolBusyError when the queue is full. */
  run(task: string, args: unknown[], key?: PoolKey): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('worker pool is closed'))
    if (this.queue.length >= this.options.maxQueued) return Promise.reject(new WorkerPoolBusyError('crypto worker queue is full'))
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, task, args, key, resolve, reject })
      this.pump()
    })
  }

  /** Makes every running worker drop, and zero what it can of, the keys of `owner`. Resolves once all have. */
  async forget(owner: string): Promise<void> {
    for (const holds of this.holds.values()) holds.forget(owner)
    await this.broadcast({ kind: 'forget', owner }, undefined)
  }

  /** The names of the keys each running worker holds, as the workers themselves report them. */
  heldKeys(): Promise<string[][]> {
    return this.broadcast({ kind: 'held' }, [] as string[])
  }

  /** Stops every worker; queued and running jobs are rejected. */
  async close(): Promise<void> {
    this.closed = true
    for (const job of this.queue.splice(0)) job.reject(new Error('worker pool is closed'))
    const workers = [...this.idle, ...this.running.keys()]
    this.idle.length = 0
    await Promise.all(workers.map((w) => w.terminate()))
  }

  private broadcast<T>(request: { kind: 'forget'; owner: string } | { kind: 'held' }, ifGone: T): Promise<T[]> {
    const workers = [...this.idle, ...this.running.keys()]
    return Promise.all(workers.map((worker) => new Promise<T>((resolve) => {
      const id = this.nextId++
      this.controls.set(id, { worker, ifGone, resolve: resolve as (value: unknown) => void })
      worker.ref() // an idle worker is unreferenced; its answer must not be lost to an exiting process
      worker.postMessage({ ...request, id } satisfies PoolRequest)
    })))
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
      this.send(worker, job, false)
    }
  }

  /**
   * Posts `job`: its key by reference when the worker holds it, else with a private copy of the material
   * whose buffer is transferred (moved, not cloned), so no copy stays on this thread.
   */
  private send(worker: Worker, job: Job, withMaterial: boolean): void {
    const request: PoolRequest = { kind: 'task', id: job.id, task: job.task, args: job.args }
    const key = job.key
    const holds = this.holds.get(worker)!
    if (key && !withMaterial && holds.get(key.name)) {
      this.stats.referenceOnly++
      worker.postMessage({ ...request, key: { owner: key.owner, name: key.name } } satisfies PoolRequest)
      return
    }
    if (!key) {
      worker.postMessage(request)
      return
    }
    const material = new Uint8Array(key.material)
    holds.put(key.owner, key.name, true)
    this.stats.materialSent++
    try {
      worker.postMessage({ ...request, key: { owner: key.owner, name: key.name, material } } satisfies PoolRequest, [material.buffer])
    } finally {
      if (material.byteLength > 0) material.fill(0) // not transferred: postMessage threw
    }
  }

  private spawn(): Worker | undefined {
    if (this.workerCount >= this.options.size) return undefined
    const worker = new Worker(this.options.script, { workerData: { maxKeys: this.maxKeys } satisfies WorkerStartup })
    this.workerCount++
    this.holds.set(worker, new KeyLru<true>(this.maxKeys))
    worker.unref()
    worker.on('message', (reply: PoolReply) => this.receive(worker, reply))
    worker.on('error', (error) => this.retire(worker, error))
    worker.on('exit', () => this.retire(worker, new Error('crypto worker exited')))
    return worker
  }

  private receive(worker: Worker, reply: PoolReply): void {
    if (reply.kind === 'control') {
      const control = this.controls.get(reply.id)
      if (!control) return
      this.controls.delete(reply.id)
      this.settleRef(worker)
      control.resolve(reply.result)
      return
    }
    const job = this.running.get(worker)
    if (!job || job.id !== reply.id) return
    if (reply.kind === 'missing-key') {
      this.stats.missing++
      if (job.resent) return this.finish(worker, job, new Error('crypto worker lost a key it was just sent'))
      job.resent = true
      return this.send(worker, job, true)
    }
    this.finish(worker, job, reply.ok ? undefined : this.options.reviveFailure(reply.failure), reply.ok ? reply.result : undefined)
  }

  private finish(worker: Worker, job: Job, error: Error | undefined, result?: unknown): void {
    this.running.delete(worker)
    this.settleRef(worker)
    this.idle.push(worker)
    if (error) job.reject(error)
    else job.resolve(result)
    this.pump()
  }

  /** A worker keeps the process alive only while it runs a job or owes an answer. */
  private settleRef(worker: Worker): void {
    const owes = this.running.has(worker) || [...this.controls.values()].some((c) => c.worker === worker)
    if (owes) worker.ref()
    else worker.unref()
  }

  /** A worker that crashed or exited is dropped; its job fails and the next job gets a fresh (empty) worker. */
  private retire(worker: Worker, error: Error): void {
    for (const [id, control] of this.controls) {
      if (control.worker !== worker) continue
      this.controls.delete(id)
      control.resolve(control.ifGone)
    }
    this.holds.delete(worker)
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
