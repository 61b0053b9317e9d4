import assert from 'node:assert/strict'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import type { PeerLink } from '../config/peer-config.js'
import { verifySigV4 } from '../http/sigv4/verify.js'
import { PeerCallError, peerClient } from './peer-client.js'
import type { KeySetSync } from './wire.js'

const SECRET = 'peer-link-secret-0123456789abcdefghijklmnopqrstuv'
let handle: (target: string, body: string, res: ServerResponse) => void = () => undefined
let seen: { target: string; region: string; service: string; body: string }[] = []

const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => chunks.push(c))
  req.on('end', () => {
    const body = Buffer.concat(chunks)
    // The receiver's own verifier: the client must sign exactly as Trent checks.
    verifySigV4({ method: req.method!, url: req.url!, headers: req.headersDistinct, body }, {
      regions: new Set(['eu-west-1']), services: ['trent-peer'], now: new Date(),
      lookup: async (id) => (id === 'PEERLINKAAAAAAAAAAAA' ? { secretAccessKey: SECRET } : undefined),
    }).then((v) => {
      const target = String(req.headers['x-amz-target'])
      seen.push({ target, region: v.region, service: v.service, body: body.toString() })
      handle(target, body.toString(), res)
    }, (e: Error) => {
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' })
      res.end(JSON.stringify({ __type: e.name, message: e.message }))
    })
  })
})
let link: PeerLink

before(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  link = { region: 'eu-west-1', endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, accessKeyId: 'PEERLINKAAAAAAAAAAAA', secretAccessKey: SECRET }
})
after(() => new Promise<void>((r) => server.close(() => r())))

const reply = (status: number, body: unknown) => (_t: string, _b: string, res: ServerResponse) => {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' })
  res.end(JSON.stringify(body))
}

describe('peer client', () => {
  it('signs for trent-peer in the peer\'s Region with the link credential and parses the replies', async () => {
    seen = []
    handle = reply(200, { publicKey: 'AAAA', transportKeyId: 'ab' })
    const client = peerClient(link, { now: () => new Date() })
    assert.deepEqual(await client.getTransportKey(), { publicKey: 'AAAA', transportKeyId: 'ab' })
    handle = reply(200, { members: [{ region: 'eu-west-1', keyState: 'Enabled' }] })
    const sync = { keyId: 'mrk-1', regions: ['us-east-1', 'eu-west-1'] } as unknown as KeySetSync
    assert.deepEqual(await client.syncKeySet(sync), { members: [{ region: 'eu-west-1', keyState: 'Enabled' }] })
    handle = reply(200, {})
    await client.forgetRegionalKey({ keyId: 'mrk-1', accountId: '111122223333', region: 'us-east-1' })
    assert.deepEqual(seen.map((s) => [s.target, s.region, s.service]), [
      ['TrentPeer_20261201.GetTransportKey', 'eu-west-1', 'trent-peer'],
      ['TrentPeer_20261201.SyncKeySet', 'eu-west-1', 'trent-peer'],
      ['TrentPeer_20261201.ForgetRegionalKey', 'eu-west-1', 'trent-peer'],
    ])
    assert.deepEqual(JSON.parse(seen[1]!.body), sync)
  })

  it('turns a refusal, a malformed reply, a wrong secret and an unreachable peer into short PeerCallErrors without the secret', async () => {
    handle = reply(400, { __type: 'ValidationException', message: 'bad\nthing' })
    const client = peerClient(link, { now: () => new Date() })
    await assert.rejects(client.getTransportKey(), { name: 'PeerCallError', message: 'GetTransportKey to eu-west-1 failed: HTTP 400 ValidationException: bad?thing' })
    handle = reply(200, { members: 'no' })
    await assert.rejects(client.syncKeySet({} as KeySetSync), { message: 'SyncKeySet to eu-west-1 failed: malformed reply' })
    const wrong = peerClient({ ...link, secretAccessKey: `${SECRET}x` }, { now: () => new Date() })
    await assert.rejects(wrong.getTransportKey(), (e: Error) => e instanceof PeerCallError && /InvalidSignatureException/.test(e.message) && !e.message.includes(SECRET))
    const closed = createServer()
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r))
    const endpoint = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`
    await new Promise<void>((r) => closed.close(() => r()))
    const gone = peerClient({ ...link, endpoint }, { now: () => new Date() })
    await assert.rejects(gone.getTransportKey(), { message: `GetTransportKey to eu-west-1 (${endpoint}) failed: ECONNREFUSED` })
  })

  it('gives up after its timeout', async () => {
    handle = () => undefined // never answers
    const client = peerClient(link, { now: () => new Date(), timeoutMs: 200 })
    await assert.rejects(client.getTransportKey(), { message: `GetTransportKey to eu-west-1 (${link.endpoint}) failed: timed out` })
    server.closeAllConnections()
  })
})
