// Sends exact request bytes over a fresh TCP connection and reads the first response, so the fuzzer can
// send what no HTTP client would (bad framing, repeated headers, chunked bodies) and still tell a hang apart.
import { connect } from 'node:net'

export interface RawHttpReply {
  status: number
  headers: Record<string, string>
  body: string
  /** The whole body announced by content-length has arrived. */
  complete: boolean
}

export type RawOutcome = { kind: 'reply'; reply: RawHttpReply } | { kind: 'hang' } | { kind: 'closed'; received: string }

/** Parses the first response in `text` (content-length framed, as Trent and node's own refusals send). */
export function parseFirstReply(text: string): RawHttpReply | undefined {
  const headEnd = text.indexOf('\r\n\r\n')
  if (headEnd < 0) return undefined
  const [statusLine, ...lines] = text.slice(0, headEnd).split('\r\n')
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '')?.[1])
  if (!Number.isInteger(status)) return undefined
  const headers: Record<string, string> = {}
  for (const line of lines) {
    const colon = line.indexOf(':')
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
  }
  const length = Number(headers['content-length'] ?? '0')
  const bodyBytes = Buffer.from(text.slice(headEnd + 4), 'latin1').subarray(0, length)
  return { status, headers, body: bodyBytes.toString('utf8'), complete: bodyBytes.length >= length }
}

/** Writes `bytes`, waits for the server to answer and close (or `timeoutMs`, a hang). */
export function sendRaw(port: number, bytes: Uint8Array, timeoutMs: number): Promise<RawOutcome> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let settled = false
    const socket = connect(port, '127.0.0.1')
    const finish = (outcome: RawOutcome) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      socket.destroy()
      resolve(outcome)
    }
    const timer = setTimeout(() => finish({ kind: 'hang' }), timeoutMs)
    const done = () => {
      const text = Buffer.concat(chunks).toString('latin1')
      const reply = parseFirstReply(text)
      finish(reply ? { kind: 'reply', reply } : { kind: 'closed', received: text.slice(0, 200) })
    }
    socket.on('data', (d: Buffer) => {
      chunks.push(d)
      // One complete reply is enough: connection: close is asked for, but a framing mutation may leave more queued.
      const reply = parseFirstReply(Buffer.concat(chunks).toString('latin1'))
      if (reply?.complete) finish({ kind: 'reply', reply })
    })
    socket.on('end', done)
    socket.on('close', done)
    socket.on('error', done)
    socket.write(bytes)
  })
}
