// The node:http front: body under a size cap, a request id per request, health endpoints, then dispatch.
import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { KmsError } from '../wire/kms-error.js'
import { dispatch, type RawResponse } from './dispatch.js'
import { JSON_CONTENT_TYPE, errorBody } from './protocol.js'
import type { Services } from './services.js'

/** Large enough for the biggest modelled request (a 131072-character policy, JSON-escaped); far below harm. */
export const MAX_BODY_BYTES = 1024 * 1024

type BodyResult = { ok: true; body: Uint8Array } | { ok: false }

/** Reads the body; past the cap it keeps draining (so the client can read our reply) but stores nothing. */
function readBody(req: IncomingMessage): Promise<BodyResult> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= MAX_BODY_BYTES) chunks.push(chunk)
    })
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? { ok: false } : { ok: true, body: Buffer.concat(chunks) }))
    req.on('error', reject)
  })
}

function send(res: ServerResponse, reply: RawResponse): void {
  res.writeHead(reply.status, { ...reply.headers, 'content-length': Buffer.byteLength(reply.body) })
  res.end(reply.body)
}

function tooLarge(requestId: string): RawResponse {
  const error = new KmsError('ValidationException', `Request body exceeds the maximum size of ${MAX_BODY_BYTES} bytes.`)
  return { status: 400, headers: { 'content-type': JSON_CONTENT_TYPE, 'x-amzn-requestid': requestId }, body: errorBody(error) }
}

async function handle(services: Services, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = randomUUID()
  if (req.method === 'GET' && (req.url === '/healthz' || req.url === '/readyz')) {
    send(res, { status: 200, headers: { 'content-type': 'application/json' }, body: '{"status":"ok"}' })
    return
  }
  const body = await readBody(req)
  if (!body.ok) {
    send(res, tooLarge(requestId))
    return
  }
  const reply = await dispatch(services, {
    method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headersDistinct, body: body.body,
    sourceIp: req.socket.remoteAddress ?? '', requestId,
  })
  send(res, reply)
}

/** Creates (does not start) the HTTP server. Timeouts bound slow clients so none can hold a socket forever. */
export function createTrentServer(services: Services): Server {
  const server = createServer((req, res) => {
    handle(services, req, res).catch((e: unknown) => {
      services.logger.error({ err: e instanceof Error ? e.stack : String(e) }, 'request handling failed')
      if (!res.headersSent) res.writeHead(500, { 'content-type': JSON_CONTENT_TYPE })
      res.end()
    })
  })
  server.requestTimeout = 30_000
  server.headersTimeout = 10_000
  server.keepAliveTimeout = 5_000
  return server
}
