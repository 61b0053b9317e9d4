// The monitoring endpoints on the API port: /healthz (the process is up), /readyz (the root key can be used
// and the store and the audit log can take a write right now) and /metrics (Prometheus text format). None needs a signature.
import type { Services } from '../http/services.js'

export interface PlainReply {
  status: number
  headers: Record<string, string>
  body: string
}

function json(status: number, value: unknown): PlainReply {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) }
}

/** Ready when a real audit insert (rolled back) succeeds and the writer thread and audit sink accept writes. Never throws. */
async function readiness(services: Services): Promise<PlainReply> {
  try {
    await services.rootKey.probe()
  } catch (e) {
    services.logger.warn({ err: String(e) }, 'readiness check failed: root key unavailable')
    return json(503, { status: 'unavailable', reason: 'root key unavailable' })
  }
  try {
    await services.probeAudit()
    return json(200, { status: 'ready' })
  } catch (e) {
    services.logger.warn({ err: String(e) }, 'readiness check failed: audit log not writable')
    return json(503, { status: 'unavailable', reason: 'audit log not writable' })
  }
}

/** Answers a monitoring path, or returns undefined when the request is not for one. */
export async function monitoringReply(services: Services, method: string | undefined, url: string | undefined): Promise<PlainReply | undefined> {
  if (method !== 'GET') return undefined
  const path = (url ?? '').split('?')[0]
  if (path === '/healthz') return json(200, { status: 'ok' })
  if (path === '/readyz') return readiness(services)
  if (path === '/metrics') {
    return { status: 200, headers: { 'content-type': services.metrics.registry.contentType }, body: await services.metrics.registry.metrics() }
  }
  return undefined
}
