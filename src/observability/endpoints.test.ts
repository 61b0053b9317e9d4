// The monitoring endpoints over the real HTTP server: /healthz, /readyz, /metrics content after traffic,
// an oversized body that is refused and still audited, and a client that disconnects mid-body.
import assert from 'node:assert/strict'
import { request } from 'node:http'
import { connect, type AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { createTrentServer } from '../http/server.js'
import { MAX_BODY_BYTES } from '../http/protocol.js'
import { b64, createHarness, type Harness } from '../../test/support/harness.js'

function get(port: number, path: string, method = 'GET', body?: Buffer, headers: Record<string, string> = {}): Promise<{ status: number; type: string; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      let text = ''
      res.setEncoding('utf8').on('data', (c: string) => { text += c }).on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), text }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

/** The value of one sample line (`name{labels} value`) in Prometheus text, or undefined. */
function sample(text: string, line: string): number | undefined {
  const found = text.split('\n').find((l) => l.startsWith(`${line} `))
  return found === undefined ? undefined : Number(found.slice(line.length + 1))
}

describe('monitoring endpoints', () => {
  let h: Harness
  let port: number
  let server: ReturnType<typeof createTrentServer>
  before(async () => {
    h = await createHarness()
    server = createTrentServer(h.services)
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    port = (server.address() as AddressInfo).port
  })
  after(async () => {
    await new Promise((r) => server.close(r))
    await h.close()
  })

  it('/healthz and /readyz answer 200 on a healthy server', async () => {
    assert.deepEqual(await get(port, '/healthz'), { status: 200, type: 'application/json', text: '{"status":"ok"}' })
    assert.deepEqual(await get(port, '/readyz'), { status: 200, type: 'application/json', text: '{"status":"ready"}' })
  })

  it('/metrics counts requests by operation and outcome, key states, audit batches, cache use and throttles', async () => {
    const key = (await h.call('CreateKey', {})).body.KeyMetadata as { KeyId: string }
    const blob = (await h.call('Encrypt', { KeyId: key.KeyId, Plaintext: b64('m') })).body.CiphertextBlob
    await h.call('Decrypt', { CiphertextBlob: blob })
    await h.call('Decrypt', { CiphertextBlob: blob })
    await h.call('Encrypt', { KeyId: key.KeyId })
    await h.call('CreateKey', {})
    await h.call('DisableKey', { KeyId: key.KeyId })
    const res = await get(port, '/metrics')
    assert.equal(res.status, 200)
    assert.match(res.type, /^text\/plain/)
    const m = res.text
    assert.equal(sample(m, 'trent_requests_total{operation="Encrypt",outcome="success"}'), 1)
    assert.equal(sample(m, 'trent_requests_total{operation="Encrypt",outcome="ValidationException"}'), 1)
    assert.equal(sample(m, 'trent_requests_total{operation="Decrypt",outcome="success"}'), 2)
    assert.equal(sample(m, 'trent_request_duration_seconds_count{operation="Decrypt"}'), 2)
    assert.equal(sample(m, 'trent_throttled_requests_total'), 0)
    assert.equal(sample(m, 'trent_keys{state="Enabled"}'), 1)
    assert.equal(sample(m, 'trent_keys{state="Disabled"}'), 1)
    assert.equal(sample(m, 'trent_keys{state="PendingDeletion"}'), 0)
    assert.equal(sample(m, 'trent_audit_batch_size_sum'), 7, 'seven audited requests so far')
    assert.equal(sample(m, 'trent_audit_commit_lag_seconds_count'), sample(m, 'trent_audit_batch_size_count'))
    // CreateKey caches new material, so both Decrypts and the Encrypt hit the cache.
    assert.equal(sample(m, 'trent_key_cache_hits_total'), 3)
    assert.equal(sample(m, 'trent_key_cache_misses_total'), 0)
  })

  it('refuses an oversized body with ValidationException and audits the refusal', async () => {
    const before = (await h.services.store.auditChainHead()).sequence
    const res = await get(port, '/', 'POST', Buffer.alloc(MAX_BODY_BYTES + 1, 0x61), { 'x-amz-target': 'TrentService.Encrypt', 'content-type': 'application/x-amz-json-1.1' })
    assert.equal(res.status, 400)
    assert.deepEqual(JSON.parse(res.text), { __type: 'ValidationException', message: `Request body exceeds the maximum size of ${MAX_BODY_BYTES} bytes.` })
    const rows = await h.services.store.listAudit(before, 10)
    assert.equal(rows.length, 1)
    assert.deepEqual([rows[0]!.record.eventName, rows[0]!.record.errorCode, rows[0]!.record.requestParameters], ['Encrypt', 'ValidationException', null])
  })

  it('drops a request whose client disconnects mid-body: a warning, no fault, nothing to audit', async () => {
    const before = (await h.services.store.auditChainHead()).sequence
    const socket = connect(port, '127.0.0.1')
    await new Promise((r) => socket.once('connect', r))
    socket.write('POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: TrentService.ListKeys\r\nContent-Length: 100\r\n\r\n{"Li')
    await new Promise((r) => setTimeout(r, 50))
    socket.destroy()
    const message = 'client closed the connection before the request body was complete'
    for (let i = 0; i < 100 && !h.logs.lines.some((l) => l.message === message); i++) await new Promise((r) => setTimeout(r, 10))
    assert.deepEqual(h.logs.lines.filter((l) => l.level !== 'info').map((l) => [l.level, l.message]), [['warn', message]])
    assert.equal((await h.services.store.auditChainHead()).sequence, before)
  })
})
