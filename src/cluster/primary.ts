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
  count: number
  setup: Omit<WorkerSetup, 't'>
  router: PrimaryRouter
  logger: Logger
}

export interface RunningCluster {
  /** The port every worker listens on (the one chosen, when the configured port was 0). */
  port: number
  /** Asks every worker to stop gracefully and resolves once all have exited (killing stragglers). */
  stop(): Promise<void>
}

/** Forks `count` workers; resolves once all listen. Rejects when a worker exits before the cluster is up. */
export function startCluster(options: ClusterOptions): Promise<RunningCluster> {
  const { logger, router } = options
  cluster.setupPrimary({ exec: WORKER_MAIN, args: [] })
  const startedAt = new Map<number, number>()
  let stopping = false
  let up = false
  let backoff = 0

  const fork = (): Worker => {
    const worker = cluster.fork()
    startedAt.set(worker.id, Date.now())
    const channel = channelToWorker<PrimaryToWorker, WorkerToPrimary>(worker)
    router.add(worker.id, channel)
    // The setup goes out once the worker says it is listening for it; earlier messages could be lost.
    worker.on('message', (m: { t?: unknown }) => {
      if (m?.t === 'hello') router.send(worker.id, { t: 'setup', ...options.setup })
    })
    worker.on('listening', () => logger.info({ worker: worker.id, workerPid: worker.process.pid }, 'trent worker listening'))
    return worker
  }

  return new Promise((resolve, reject) => {
    let listening = 0
    const onListening = (_worker: Worker, address: { port: number }) => {
      if (up) return
      if (++listening < options.count) return
      up = true
      resolve({ port: address.port, stop })
    }
    cluster.on('listening', onListening)
    cluster.on('exit', (worker, code, signal) => {
      router.remove(worker.id)
      const lived = Date.now() - (startedAt.get(worker.id) ?? Date.now())
      startedAt.delete(worker.id)
      if (stopping) return
      if (!up) {
        stopping = true
        for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGKILL')
        reject(new Error(`a worker exited before the cluster was listening (code ${code}, signal ${signal})`))
        return
      }
      backoff = lived >= HEALTHY_AFTER_MS ? 0 : Math.min(MAX_BACKOFF_MS, backoff === 0 ? FIRST_BACKOFF_MS : backoff * 2)
      logger.error({ worker: worker.id, workerPid: worker.process.pid, code, signal, restartInMs: backoff }, 'trent worker died; restarting it')
      setTimeout(() => { if (!stopping) fork() }, backoff)
    })
    for (let i = 0; i < options.count; i++) fork()
  })

  async function stop(): Promise<void> {
    stopping = true
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined)
    const exited = workers.map((w) => new Promise<void>((resolve) => {
      if (w.isDead()) return resolve()
      w.once('exit', () => resolve())
    }))
    for (const w of workers) router.send(w.id, { t: 'stop' })
    const timer = setTimeout(() => { for (const w of workers) if (!w.isDead()) w.process.kill('SIGKILL') }, STOP_TIMEOUT_MS)
    await Promise.all(exited)
    clearTimeout(timer)
  }
}
