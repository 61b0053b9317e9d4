// Presigns a pool of KMS requests for wrk: each is signed once (host, content-type, x-amz-date, x-amz-target)
// and replayed as is. A SigV4 signature stays valid for 15 minutes, so every wrk run signs its pool afresh.
import type { BenchRequest } from './scenarios.js'
import { createRequestSigner, type BenchCredentials } from './sign-request.js'
import { rawRequest } from './wrk-script.js'

export interface PresignTarget {
  url: URL
  region: string
  credentials: BenchCredentials
}

/** Signs every request of `pool` for `to` and returns them as complete HTTP/1.1 requests, in order. */
export async function presignPool(to: PresignTarget, pool: readonly BenchRequest[]): Promise<Uint8Array[]> {
  const sign = createRequestSigner({ host: to.url.host, region: to.region, credentials: to.credentials })
  const out: Uint8Array[] = []
  for (const { target, body } of pool) out.push(rawRequest(to.url.host, await sign(target, body), body))
  return out
}
