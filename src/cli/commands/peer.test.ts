// `trent peer`: the printed link works as TRENT_PEERS on both sides, list shows no secret, check reports failures.
import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { describe, it } from 'node:test'
import { parsePeers } from '../../config/peer-config.js'
import { peerCommand } from './peer.js'

function sink(): Writable & { text: string } {
  const stream = new Writable({ write(chunk, _enc, done) { stream.text += String(chunk); done() } }) as Writable & { text: string }
  stream.text = ''
  return stream
}

async function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const io = { out: sink(), err: sink(), env }
  const code = await peerCommand.runWith(args, io)
  return { code, out: io.out.text, err: io.err.text }
}

const SECRET = 's'.repeat(44)
const PEERS = JSON.stringify([{ region: 'eu-west-1', endpoint: 'http://127.0.0.1:9', accessKeyId: 'PEERLINKAAAAAAAAAAAA', secretAccessKey: SECRET }])

describe('trent peer', () => {
  it('link prints each side\'s TRENT_PEERS naming the other, with one fresh credential for both', async () => {
    const r = await run(['link', '--region-a', 'us-east-1', '--endpoint-a', 'http://a.example:8400', '--region-b', 'eu-west-1', '--endpoint-b', 'https://b.example'])
    assert.equal(r.code, 0, r.err)
    const [a, b] = (JSON.parse(r.out) as { Deployments: { Serves: string; TRENT_PEERS: unknown[] }[] }).Deployments
    const [forA] = parsePeers(JSON.stringify(a!.TRENT_PEERS))
    const [forB] = parsePeers(JSON.stringify(b!.TRENT_PEERS))
    assert.deepEqual([a!.Serves, forA!.region, forA!.endpoint, b!.Serves, forB!.region, forB!.endpoint],
      ['us-east-1', 'eu-west-1', 'https://b.example', 'eu-west-1', 'us-east-1', 'http://a.example:8400'])
    assert.match(forA!.accessKeyId, /^[A-Z0-9]{20}$/)
    assert.ok(forA!.secretAccessKey.length >= 40)
    assert.deepEqual([forB!.accessKeyId, forB!.secretAccessKey], [forA!.accessKeyId, forA!.secretAccessKey])
    const again = await run(['link', '--region-a', 'us-east-1', '--endpoint-a', 'http://a:1', '--region-b', 'eu-west-1', '--endpoint-b', 'http://b:1'])
    assert.ok(!again.out.includes(forA!.secretAccessKey), 'every link gets its own secret')
  })

  it('link refuses a bad endpoint, the same Region twice and a missing option', async () => {
    assert.equal((await run(['link', '--region-a', 'us-east-1', '--endpoint-a', 'ftp://a', '--region-b', 'eu-west-1', '--endpoint-b', 'http://b'])).code, 1)
    assert.equal((await run(['link', '--region-a', 'us-east-1', '--endpoint-a', 'http://a', '--region-b', 'us-east-1', '--endpoint-b', 'http://b'])).code, 1)
    assert.equal((await run(['link', '--region-a', 'us-east-1', '--endpoint-a', 'http://a'])).code, 2)
  })

  it('list shows the configured peers without their secrets', async () => {
    const r = await run(['list'], { TRENT_PEERS: PEERS })
    assert.equal(r.code, 0)
    assert.deepEqual(JSON.parse(r.out), { Peers: [{ Region: 'eu-west-1', Endpoint: 'http://127.0.0.1:9', AccessKeyId: 'PEERLINKAAAAAAAAAAAA' }] })
    assert.ok(!r.out.includes(SECRET))
    assert.equal((await run(['list'], { TRENT_PEERS: '{' })).code, 1)
  })

  it('check reports a peer that does not answer, and exits 1', async () => {
    const r = await run(['check'], { TRENT_PEERS: PEERS })
    assert.equal(r.code, 1)
    const [peer] = (JSON.parse(r.out) as { Peers: { Region: string; Status: string; Error: string }[] }).Peers
    assert.deepEqual([peer!.Region, peer!.Status], ['eu-west-1', 'failed'])
    assert.ok(!r.out.includes(SECRET))
  })
})
