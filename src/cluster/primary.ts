// The cluster primary: forks the workers that serve HTTP on the one port (node:cluster hands connections
// out round-robin), answers their IPC (audit, readiness, change relay), restarts a worker that dies (with
// backoff) and, on stop, lets every worker finish its in-flight requests before the caller flushes audit.
import cluster, { type Worker } from 'node:cluster'
import { fileURLToPath } from 'node:url'
import type { Logger } from '../logging/logger.js'
import type { PrimaryToWorker, WorkerSetup, WorkerToPrimary } from './messages.js'
import { channelToWorker } from './process-channel.js'
import type { PrimaryRouter } from './primary-router.js'

const WORKER_MAIN = fileURLToPath(new URL('./worker-main.js', import.meta.url))
const FIRST_BACKOFF_MS = 100
const MAX_BACKOFF_MS = 5_000
/** A worker that stayed up this long counts as healthy: the next death restarts it without delay. */
const HEALTHY_AFTER_MS = 10_000
const STOP_TIMEOUT_MS = 7_000

export interface ClusterOptions {
  setup: Omit<WorkerSetup, 't'>
  router: PrimaryRouter
}

export interface RunningCluster {
  /** The port every worker listens on (the one chosen, when the configured port was 0). */
  port: number
  /** Asks every worker to stop gracefully and resolves once all have exited (killing stragglers). */
  stop(): Promise<void>
}

export interface ForkedCluster {
  /** Hands the workers their setup; resolves once all listen. Rejects when a worker exits before that. */
  start(options: ClusterOptions): Promise<RunningCluster>
}

/**
 * Forks `count` workers at once, so their module loading overlaps the primary's start-up work; they wait for
 * their setup (sent by start(), after migrations) before opening the store. A primary that fails to start
 * exits, which closes the workers' IPC channels, and node:cluster then ends them.
 */
export function forkWorkers(count: number, logger: Logger): ForkedCluster {
  cluster.setupPrimary({ exec: WORKER_MAIN, args: [] })
  const startedAt = new Map<number, number>()
  const waitingForSetup = new Set<number>()
  let options: ClusterOptions | undefined
  let stopping = false
  let up = false
  let backoff = 0
  let settle: { resolve: (c: RunningCluster) => void; reject: (e: Error) => void } | undefined
  let listening = 0

  const sendSetup = (id: number) => {
    if (!options) return void waitingForSetup.add(id)
    options.router.send(id, { t: 'setup', ...options.setup })
  }
  const fork = (): Worker => {
    const worker = cluster.fork()
    startedAt.set(worker.id, Date.now())
    if (options) options.router.add(worker.id, channelToWorker<PrimaryToWorker, WorkerToPrimary>(worker))
    // The setup goes out once the worker says it is listening for it; earlier messages could be lost.
    worker.on('message', (m: { t?: unknown }) => {
      if (m?.t === 'hello') sendSetup(worker.id)
    })
    worker.on('listening', () => logger.info({ worker: worker.id, workerPid: worker.process.pid }, 'trent worker listening'))
    return worker
  }
  const live = () => Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined)

  cluster.on('listening', (_worker, address) => {
    if (up || ++listening < count) return
    up = true
    settle?.resolve({ port: address.port, stop })
  })
  cluster.on('exit', (worker, code, signal) => {
    options?.router.remove(worker.id)
    waitingForSetup.delete(worker.id)
    const lived = Date.now() - (startedAt.get(worker.id) ?? Date.now())
    startedAt.delete(worker.id)
    if (stopping) return
    if (!up) {
      stopping = true
      for (const w of live()) w.process.kill('SIGKILL')
      const error = new Error(`a worker exited before the cluster was listening (code ${code}, signal ${signal})`)
      if (settle) settle.reject(error)
      else failedEarly = error
      return
    }
    backoff = lived >= HEALTHY_AFTER_MS ? 0 : Math.min(MAX_BACKOFF_MS, backoff === 0 ? FIRST_BACKOFF_MS : backoff * 2)
    logger.error({ worker: worker.id, workerPid: worker.process.pid, code, signal, restartInMs: backoff }, 'trent worker died; restarting it')
    setTimeout(() => { if (!stopping) fork() }, backoff)
  })
  let failedEarly: Error | undefined
  for (let i = 0; i < count; i++) fork()

  async function stop(): Promise<void> {
    stopping = true
    const workers = live()
    const exited = workers.map((w) => new Promise<void>((resolve) => {
      if (w.isDead()) return resolve()
      w.once('exit', () => resolve())
    }))
    for (const w of workers) options?.router.send(w.id, { t: 'stop' })
    const timer = setTimeout(() => { for (const w of workers) if (!w.isDead()) w.process.kill('SIGKILL') }, STOP_TIMEOUT_MS)
    await Promise.all(exited)
    clearTimeout(timer)
  }

  return {
    start(given) {
      options = given
      for (const w of live()) given.router.add(w.id, channelToWorker<PrimaryToWorker, WorkerToPrimary>(w))
      for (const id of waitingForSetup) sendSetup(id)
      waitingForSetup.clear()
      return new Promise((resolve, reject) => {
        if (failedEarly) return reject(failedEarly)
        settle = { resolve, reject }
      })
    },
  }
}
