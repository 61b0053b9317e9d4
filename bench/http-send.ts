// One POST over a keep-alive node:http agent, buffering the reply. Shared by the load loop and setup calls.
import { request, type Agent } from 'node:http'

export interface Reply {
  status: number
  body: Buffer
}

/** Sends `body` to `url` with the given (already signed) headers. Rejects on socket errors only. */
export function sendPost(url: URL, agent: Agent, headers: Record<string, string>, body: Uint8Array): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        hostname: url.hostname, port: url.port, path: '/', method: 'POST', agent,
        // content-length is left out of the signature (the signer never saw it) but must be sent.
        headers: { ...headers, 'content-length': String(body.byteLength) },
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }))
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

/** The AWS JSON error name of a non-200 reply (`__type`), or `HTTP <status>` when the body is not an AWS error. */
export function errorTypeOf(reply: Reply): string {
  try {
    const parsed = JSON.parse(reply.body.toString('utf8')) as { __type?: unknown }
    if (typeof parsed.__type === 'string') return parsed.__type
  } catch {
    // Not JSON: fall through to the status.
  }
  return `HTTP ${reply.status}`
}
