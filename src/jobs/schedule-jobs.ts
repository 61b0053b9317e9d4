// Runs the scheduled jobs (key rotation, key deletion, import expiry, audit retention, delivery to peers) on a timer, in one process at a time: each run
// first takes or renews the 'jobs' lease in the store, so a second Trent on the same data folder, or
// several, never double-runs them (a double run would audit one key's destruction twice).
import { randomUUID } from 'node:crypto'
import type { Services } from '../http/services.js'
import { deleteExpiredKeys } from './delete-expired-keys.js'
import { deliverPeerMessages } from './deliver-peer-messages.js'
import { finishRegionalKeys } from './finish-regional-keys.js'
import { expireImportedMaterial } from './expire-imported-material.js'
import { rotateDueKeys } from './rotate-due-keys.js'

export const JOBS_LEASE = 'jobs'

/** Long enough that a holder renewing every interval keeps it; short enough that a dead holder's lapses soon. */
export function jobsLeaseTtlMs(intervalMs: number): number {
  return Math.max(2 * intervalMs, 30_000)
}

export interface ScheduledJobs {
  /** Stops the timer, waits for a run in progress and gives the lease up. */
  stop(): Promise<void>
}

/**
 * Runs the jobs now and every `intervalMs`; a run that outlasts the interval is not overlapped by the next. With
 * peers configured, the outbox delivery runs on its own timer, every `peerRetryMs`, under the same lease.
 */
export function scheduleJobs(services: Services, prune: (now: Date) => Promise<void>, intervalMs: number, peerRetryMs = 1000): ScheduledJobs {
  const { logger, store, clock } = services
  const holder = `${process.pid}/${randomUUID()}`
  const ttl = jobsLeaseTtlMs(intervalMs)
  const holdLease = () => store.takeLease(JOBS_LEASE, holder, clock.now(), ttl)
    .catch((e: unknown) => { logger.error({ err: String(e) }, 'jobs lease could not be taken'); return false })
  let running: Promise<void> | undefined
  const runJobs = async () => {
    if (!(await holdLease())) return
    await rotateDueKeys(services, holdLease).catch((e: unknown) => logger.error({ err: String(e) }, 'rotation job failed'))
    if (!(await holdLease())) return
    await finishRegionalKeys(services).catch((e: unknown) => logger.error({ err: String(e) }, 'multi-Region key job failed'))
    if (!(await holdLease())) return
    await deleteExpiredKeys(services, holdLease).catch((e: unknown) => logger.error({ err: String(e) }, 'deletion job failed'))
    if (!(await holdLease())) return
    await expireImportedMaterial(services, holdLease).catch((e: unknown) => logger.error({ err: String(e) }, 'import expiry job failed'))
    if (!(await holdLease())) return
    await prune(clock.now()).catch((e: unknown) => logger.error({ err: String(e) }, 'audit retention failed'))
  }
  const tick = () => {
    if (running) return
    running = runJobs().finally(() => { running = undefined })
  }
  tick()
  const timer = setInterval(tick, intervalMs)
  let delivering: Promise<void> | undefined
  const deliver = async () => {
    if (!(await holdLease())) return
    await deliverPeerMessages(services, holdLease).catch((e: unknown) => logger.error({ err: String(e) }, 'peer delivery job failed'))
  }
  const deliveryTimer = services.peers.length === 0 ? undefined : setInterval(() => {
    if (delivering) return
    delivering = deliver().finally(() => { delivering = undefined })
  }, peerRetryMs)
  return {
    async stop() {
      clearInterval(timer)
      clearInterval(deliveryTimer)
      await Promise.all([running, delivering])
      await store.releaseLease(JOBS_LEASE, holder).catch(() => undefined)
    },
  }
}
