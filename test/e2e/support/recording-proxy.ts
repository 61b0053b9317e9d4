// A tiny HTTP proxy the e2e tests put between two deployments: each one's TRENT_PEERS endpoint is a proxy, so the
// peer behind it can restart on a new port (retarget), be down (the proxy answers 502), and every request body
// that crossed is kept for the test to inspect (what went on the wire).
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface RecordedRequest {
  target: string
  body: string
}

export interface RecordingProxy {
  url: string
  /** Where requests go now; undefined answers 502 as if the peer were down. */
  retarget(port: number | undefined): void
  readonly requests: RecordedRequest[]
  close(): Promise<void>
}

export async function startRecordingProxy(): Promise<RecordingProxy> {
  let targetPort: number | undefined
  const requests: RecordedRequest[] = []
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      requests.push({ target: String(req.headers['x-amz-target'] ?? ''), body: body.toString('utf8') })
      const down = () => { res.writeHead(502); res.end() }
      if (targetPort === undefined) return down()
      // Headers pass unchanged (Host included): the signature covers them.
      const out = request({ host: '127.0.0.1', port: targetPort, method: req.method, path: req.url, headers: req.headers }, (reply) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers)
        reply.pipe(res)
      })
      out.on('error', down)
      out.end(body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    retarget(port) { targetPort = port },
    requests,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()) }),
  }
}
