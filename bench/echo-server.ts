// The baseline: a bare node:http server that parses the JSON body and sends it back, with Trent's server
// timeouts and the same "listening" log line. It does no auth, crypto or audit: that gap is what the bench shows.
import { randomUUID } from 'node:crypto'
import { createServer } from 'node:http'

const server = createServer((req, res) => {
  const chunks: Buffer[] = []
  req.on('data', (chunk: Buffer) => chunks.push(chunk))
  req.on('end', () => {
    let status = 200
    let reply: string
    try {
      reply = JSON.stringify(JSON.parse(Buffer.concat(chunks).toString('utf8')))
    } catch {
      status = 400
      reply = '{"__type":"SerializationException"}'
    }
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID(), 'content-length': Buffer.byteLength(reply) })
    res.end(reply)
  })
})
server.requestTimeout = 30_000
server.headersTimeout = 10_000
server.keepAliveTimeout = 5_000

server.listen(Number(process.env.ECHO_PORT ?? 0), '127.0.0.1', () => {
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'info', msg: 'echo listening', url: `http://127.0.0.1:${port}` })}\n`)
})

const shutdown = () => server.close(() => process.exit(0))
process.on('SIGTERM', shutdown)
process.on('SIGINT', shutdown)
