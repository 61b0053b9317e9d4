// SIGTERM: the server stops accepting connections, finishes the request in flight (its body still arriving),
// audits it, writes the pending summary of throttled unauthenticated requests, and exits 0.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { connect } from 'node:net'
import { after, test } from 'node:test'
import { promisify } from 'node:util'
import { SignatureV4 } from '@smithy/signature-v4'
import { NodeSha256 } from '../support/node-sha256.js'
import { CLI_JS } from './support/trent-cli.js'
import { E2E_CREDENTIALS, E2E_REGION, cleanupTrent, startTrent } from './support/server.js'

const T = { timeout: 120_000 }
const run = promisify(execFile)

after(cleanupTrent, T)

/** A signed ListKeys request as raw HTTP/1.1 text: head, and a body to send later. */
async function signedListKeys(port: number): Promise<{ head: string; body: string }> {
  const body = JSON.stringify({ Limit: 10 })
  const signer = new SignatureV4({ service: 'kms', region: E2E_REGION, credentials: E2E_CREDENTIALS, sha256: NodeSha256 })
  const signed = await signer.sign({
    method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port, path: '/', query: {}, body,
    headers: { host: `127.0.0.1:${port}`, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.ListKeys', 'content-length': String(body.length) },
  })
  const lines = Object.entries(signed.headers).map(([k, v]) => `${k}: ${v}`)
  return { head: `POST / HTTP/1.1\r\n${lines.join('\r\n')}\r\nconnection: close\r\n\r\n`, body }
}

test('SIGTERM finishes the request in flight, audits it and the throttle summary, refuses new connections, exits 0', T, async () => {
  const server = await startTrent({ env: { TRENT_UNAUTHENTICATED_BURST: '3', TRENT_UNAUTHENTICATED_RATE: '1' } })
  // A flood of unsigned requests: 3 audited, the rest throttled and held for the interval's summary.
  const flood = await Promise.all(Array.from({ length: 10 }, () => fetch(server.url, { method: 'POST', body: '{}' }).then((r) => r.json() as Promise<{ __type: string }>)))
  assert.equal(flood.filter((r) => r.__type === 'ThrottlingException').length, 7)

  const { head, body } = await signedListKeys(server.port)
  const socket = connect(server.port, '127.0.0.1')
  let reply = ''
  socket.on('data', (d) => { reply += d.toString() })
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()))
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()))
  socket.write(head + body.slice(0, 5)) // in flight: the body is not complete

  await new Promise((r) => setTimeout(r, 200))
  process.kill(server.pid, 'SIGTERM')
  await new Promise((r) => setTimeout(r, 300))
  assert.equal(server.isRunning(), true, 'it waits for the request in flight')
  const refused = await fetch(`${server.url}/healthz`).then(() => 'answered', () => 'refused')
  assert.equal(refused, 'refused', 'no new connections once stopping')

  socket.write(body.slice(5))
  await closed
  assert.match(reply, /^HTTP\/1\.1 200/)
  assert.match(reply, /"Keys":\[/)
  const status = await server.exited
  assert.deepEqual(status, { code: 0, signal: null })

  const exported = await run(process.execPath, [CLI_JS, 'audit', 'export', '--data-dir', server.dataDir], { timeout: 60_000 })
  const records = exported.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
  assert.equal(records.filter((r) => r.eventName === 'ListKeys' && r.errorCode === undefined).length, 1, 'the in-flight request was audited')
  const summaries = records.filter((r) => r.eventName === 'TrentThrottledRequestsSummary')
  assert.equal(summaries.length, 1)
  assert.equal((summaries[0]!.serviceEventDetails as { throttledRequests: number }).throttledRequests, 7)
  assert.equal(summaries[0]!.sourceIPAddress, '127.0.0.1')
})
