// The server's limits over real sockets: header timeout, slow-body timeout, idle keep-alive timeout,
// the connection cap and a configured body cap. Each must cut a slow or greedy client off on its own.
import assert from 'node:assert/strict'
import { connect, type AddressInfo, type Socket } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { DEFAULT_SERVER_LIMITS, type ServerLimits } from '../config/server-limits.js'
import { createHarness, type Harness } from '../../test/support/harness.js'
import { createTrentServer } from './server.js'

const LIMITS: ServerLimits = {
  ...DEFAULT_SERVER_LIMITS, maxBodyBytes: 600 * 1024, headersTimeoutMs: 400, requestTimeoutMs: 900, keepAliveTimeoutMs: 300, maxConnections: 3,
}

/** Opens a socket and resolves with what the server sent and how long until it closed the connection. */
function openSocket(port: number): Promise<{ socket: Socket; closed: Promise<{ ms: number; text: string }> }> {
  return new Promise((resolve, reject) => {
    const started = Date.now()
    let text = ''
    const socket = connect(port, '127.0.0.1')
    const closed = new Promise<{ ms: number; text: string }>((done) => {
      socket.on('data', (d) => { text += d.toString('latin1') })
      socket.on('close', () => done({ ms: Date.now() - started, text }))
    })
    socket.on('error', () => undefined)
    socket.once('connect', () => resolve({ socket, closed }))
    socket.once('error', reject)
  })
}

const REQUEST_HEAD = 'POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: TrentService.ListKeys\r\n'

describe('server limits', () => {
  let h: Harness
  let port: number
  let server: ReturnType<typeof createTrentServer>
  before(async () => {
    h = await createHarness()
    server = createTrentServer(h.services, { limits: LIMITS })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    port = (server.address() as AddressInfo).port
  })
  after(async () => {
    server.closeAllConnections()
    await new Promise((r) => server.close(r))
    await h.close()
  })

  it('closes a connection whose headers do not arrive within the header timeout', async () => {
    const { socket, closed } = await openSocket(port)
    socket.write('POST / HTTP/1.1\r\nHost: local') // and nothing more
    const { ms, text } = await closed
    assert.ok(ms >= 350 && ms < 3000, `closed after ${ms} ms`)
    assert.match(text, /^HTTP\/1\.1 408/)
  })

  it('closes a connection whose body trickles in slower than the request timeout allows', async () => {
    const { socket, closed } = await openSocket(port)
    socket.write(`${REQUEST_HEAD}Content-Length: 100\r\n\r\n{`)
    const trickle = setInterval(() => socket.writable && socket.write(' '), 100)
    const { ms, text } = await closed
    clearInterval(trickle)
    assert.ok(ms >= 850 && ms < 4000, `closed after ${ms} ms`)
    assert.doesNotMatch(text, /HTTP\/1\.1 200/)
  })

  it('closes an idle keep-alive connection after the keep-alive timeout', async () => {
    const { socket, closed } = await openSocket(port)
    socket.write(`${REQUEST_HEAD}Content-Length: 2\r\n\r\n{}`)
    const { ms, text } = await closed
    assert.match(text, /^HTTP\/1\.1 400/, 'the unsigned request was answered first')
    assert.ok(ms >= 250 && ms < 3000, `closed after ${ms} ms`)
  })

  it('refuses connections past the cap, and takes new ones once others close', async () => {
    const held = await Promise.all([openSocket(port), openSocket(port), openSocket(port)])
    for (const { socket } of held) socket.write('POST / HTTP/1.1\r\n') // in progress: not idle
    await new Promise((r) => setTimeout(r, 50))
    const extra = await openSocket(port)
    const { ms, text } = await extra.closed
    assert.ok(ms < 300, `the extra connection was closed at once (${ms} ms)`)
    assert.equal(text, '')
    for (const { socket } of held) socket.destroy()
    await Promise.all(held.map((c) => c.closed))
    await new Promise((r) => setTimeout(r, 50))
    const later = await openSocket(port)
    later.socket.write(`${REQUEST_HEAD}Content-Length: 2\r\nConnection: close\r\n\r\n{}`)
    assert.match((await later.closed).text, /^HTTP\/1\.1 400/)
  })

  it('refuses a body over the configured cap with a message naming it', async () => {
    const { socket, closed } = await openSocket(port)
    const body = Buffer.alloc(LIMITS.maxBodyBytes + 1, 0x61)
    socket.write(`${REQUEST_HEAD}Content-Length: ${body.length}\r\nConnection: close\r\n\r\n`)
    socket.write(body)
    const { text } = await closed
    assert.match(text, /^HTTP\/1\.1 400/)
    assert.ok(text.endsWith(JSON.stringify({ __type: 'ValidationException', message: `Request body exceeds the maximum size of ${LIMITS.maxBodyBytes} bytes.` })), text.slice(-200))
  })
})
