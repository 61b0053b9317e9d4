// The HTTP(S) front: the console's static files and health endpoints, then the body under a size cap, a
// request id per request, and dispatch; with the server limits (timeouts, connection cap) and, given a
// certificate, TLS 1.2+ with modern suites only.
import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerOptions as HttpOptions, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { TLSSocket } from 'node:tls'
import { DEFAULT_SERVER_LIMITS, type ServerLimits } from '../config/server-limits.js'
import type { TlsFiles } from '../config/tls-config.js'
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
function readBody(req: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= maxBytes) chunks.push(chunk)
    })
    req.on('end', () => resolve(size > maxBytes ? { kind: 'tooLarge' } : { kind: 'complete', body: Buffer.concat(chunks) }))
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

async function handle(services: Services, limits: ServerLimits, consoleAssets: ConsoleAssets, req: IncomingMessage, res: ServerResponse): Promise<void> {
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
  const body = await readBody(req, limits.maxBodyBytes)
  if (body.kind === 'aborted') {
    // No complete request arrived, so there is nothing to run, audit or answer; it is the client's doing, not a fault.
    services.logger.warn({ requestId, sourceIp }, 'client closed the connection before the request body was complete')
    return
  }
  // An oversized body still goes through dispatch (without its bytes) so that its refusal is audited.
  // headersDistinct keeps repeated headers apart: SigV4 joins them with ',' where req.headers uses ', '.
  const reply = await dispatch(services, {
    method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headersDistinct, body: body.kind === 'complete' ? body.body : new Uint8Array(0),
    sourceIp, requestId, receivedAt, bodyTooLarge: body.kind === 'tooLarge', maxBodyBytes: limits.maxBodyBytes,
    secureTransport: (req.socket as Partial<TLSSocket>).encrypted === true,
  })
  send(res, reply)
}

export interface ServerOptions {
  /** In a cluster, the worker's id, sent as x-trent-worker on every reply so operators can tell which process answered. */
  workerId?: string
  /** Body cap, timeouts and connection cap (loadServerLimits); the defaults when absent. */
  limits?: ServerLimits
  /** Serve HTTPS with this certificate and key. */
  tls?: TlsFiles
  /** Where the built console is (dist/console unless set; tests point it elsewhere). */
  consoleDir?: string
}

/**
 * TLS 1.2 suites with forward secrecy and AEAD only (ECDHE with AES-GCM or ChaCha20-Poly1305), plus the TLS 1.3
 * suites, which are all of that kind. No CBC, RSA key exchange, SHA-1 MACs or static DH.
 */
export const MODERN_CIPHERS = [
  'TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256',
  'ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-ECDSA-AES256-GCM-SHA384', 'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305', 'ECDHE-RSA-CHACHA20-POLY1305',
].join(':')

/** Creates (does not start) the server. Timeouts bound slow clients so none can hold a socket forever. */
export function createTrentServer(services: Services, options: ServerOptions = {}): Server {
  const limits = options.limits ?? DEFAULT_SERVER_LIMITS
  // The timeouts are enforced at each connections check (30 s apart by default); check often enough for them to hold.
  const httpOptions: HttpOptions = {
    connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs), headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs, keepAliveTimeout: limits.keepAliveTimeoutMs,
  }
  const consoleAssets = loadConsoleAssets(options.consoleDir)
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    if (options.workerId !== undefined) res.setHeader('x-trent-worker', options.workerId)
    // The Date a client corrects its clock skew by is the time SigV4 is checked against (the services' clock).
    res.setHeader('date', services.clock.now().toUTCString())
    handle(services, limits, consoleAssets, req, res).catch((e: unknown) => {
      // dispatch never throws, so this is a monitoring endpoint (or a bug) failing: answer as a KMS fault.
      services.logger.error({ err: e instanceof Error ? e.stack : String(e) }, 'request handling failed')
      if (res.headersSent) return void res.end()
      send(res, { status: 500, headers: { 'content-type': JSON_CONTENT_TYPE }, body: errorBody(protocolErrors.internal()) })
    })
  }
  const server: Server = options.tls
    ? createHttpsServer({
      ...httpOptions, cert: options.tls.cert, key: options.tls.key, minVersion: 'TLSv1.2', ciphers: MODERN_CIPHERS, honorCipherOrder: true,
      // A client that opens a connection and never finishes the handshake is cut off as one that never sends headers.
      handshakeTimeout: limits.headersTimeoutMs,
    }, onRequest)
    : createServer(httpOptions, onRequest)
  server.maxConnections = limits.maxConnections
  return server
}
