// One wrk run against a target with a freshly presigned pool: the measuring primitive every bench script uses.
import { presignPool, type PresignTarget } from './presign.js'
import type { BenchRequest } from './scenarios.js'
import { runWrk, type WrkResult } from './wrk-run.js'

export interface DriveRun {
  seconds: number
  connections: number
  threads: number
  /** Total req/s; absent is closed loop. */
  rate?: number
}

/** Signs `pool` for `to` now (so the 15-minute SigV4 window is never near) and replays it with wrk. */
export async function drive(wrk: string, to: PresignTarget, pool: readonly BenchRequest[], run: DriveRun): Promise<WrkResult> {
  const requests = await presignPool(to, pool)
  return runWrk({ wrk, url: to.url, requests, ...run })
}
