// The node:http front: the console's static files and health endpoints, then the body under a size cap, a
// request id per request, and dispatch.
import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { monitoringReply } from '../observability/endpoints.js'
import { consoleReply, loadConsoleAssets } from './console-static.js'
import { protocolErrors } from '../wire/messages.js'
import { dispatch, type RawResponse } from './dispatch.js'
import { JSON_CONTENT_TYPE, MAX_BODY_BYTES, errorBody, firstHeader } from './protocol.js'
import type { Services } from './services.js'

export { MAX_BODY_BYTES }

type ConsoleAssets = ReturnType<typeof loadConsoleAssets>

type BodyResult = { kind: 'complete'; body: Uint8Array } | { kind: 'tooLarge' } | { kind: 'aborted' }

/**
 * Reads the body; past the cap it keeps draining (so the client can read our reply) but stores nothing.
 * A client that disconnects, or that the request timeout cuts off, before the body ends gives 'aborted'.
 */
function readBody(req: IncomingMessage): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= MAX_BODY_BYTES) chunks.push(chunk)
    })
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? { kind: 'tooLarge' } : { kind: 'complete', body: Buffer.concat(chunks) }))
    req.on('error', () => resolve({ kind: 'aborted' }))
    req.on('close', () => {
      if (!req.complete) resolve({ kind: 'aborted' })
    })
  })
}

function send(res: ServerResponse, reply: RawResponse): void {
  res.writeHead(reply.status, { ...reply.headers, 'content-length': Buffer.byteLength(reply.body) })
  res.end(reply.body)
}

async function handle(services: Services, consoleAssets: ConsoleAssets, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const receivedAt = performance.now()
  const requestId = randomUUID()
  // Read now: once a client disconnects the socket no longer knows its peer.
  const sourceIp = req.socket.remoteAddress ?? ''
  // The console's static files: unsigned like the monitoring paths; everything the console does is a signed API call.
  const asset = consoleReply(consoleAssets, req.method, req.url, firstHeader(req.headers['if-none-match']))
  if (asset) {
    res.writeHead(asset.status, asset.headers)
    res.end(asset.body)
    return
  }
  const monitoring = await monitoringReply(services, req.method, req.url)
  if (monitoring) {
    send(res, monitoring)
    return
  }
  const body = await readBody(req)
  if (body.kind === 'aborted') {
    // No complete request arrived, so there is nothing to run, audit or answer; it is the client's doing, not a fault.
    services.logger.warn({ requestId, sourceIp }, 'client closed the connection before the request body was complete')
    return
  }
  // An oversized body still goes through dispatch (without its bytes) so that its refusal is audited.
  // headersDistinct keeps repeated headers apart: SigV4 joins them with ',' where req.headers uses ', '.
  const reply = await dispatch(services, {
    method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headersDistinct, body: body.kind === 'complete' ? body.body : new Uint8Array(0),
    sourceIp, requestId, receivedAt, bodyTooLarge: body.kind === 'tooLarge',
  })
  send(res, reply)
}

export interface ServerOptions {
  /** In a cluster, the worker's id, sent as x-trent-worker on every reply so operators can tell which process answered. */
  workerId?: string
  /** Where the built console is (dist/console unless set; tests point it elsewhere). */
  consoleDir?: string
}

/** Creates (does not start) the HTTP server. Timeouts bound slow clients so none can hold a socket forever. */
export function createTrentServer(services: Services, options: ServerOptions = {}): Server {
  // The timeouts below are enforced at each connections check (30 s apart by default); check often enough for them to hold.
  const consoleAssets = loadConsoleAssets(options.consoleDir)
  const server = createServer({ connectionsCheckingInterval: 1_000 }, (req, res) => {
    if (options.workerId !== undefined) res.setHeader('x-trent-worker', options.workerId)
    handle(services, consoleAssets, req, res).catch((e: unknown) => {
      // dispatch never throws, so this is a monitoring endpoint (or a bug) failing: answer as a KMS fault.
      services.logger.error({ err: e instanceof Error ? e.stack : String(e) }, 'request handling failed')
      if (res.headersSent) return void res.end()
      send(res, { status: 500, headers: { 'content-type': JSON_CONTENT_TYPE }, body: errorBody(protocolErrors.internal()) })
    })
  })
  server.requestTimeout = 30_000
  server.headersTimeout = 10_000
  server.keepAliveTimeout = 5_000
  return server
}
