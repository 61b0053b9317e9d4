// TRENT_PEERS / TRENT_PEERS_FILE: the peer links, their checks, and how they shape the served Regions.
import assert from 'node:assert/strict'
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { ConfigError, loadConfig, takeConfig } from './config.js'

const SECRET = 'S'.repeat(40)
const peer = (region: string, id = 'PEERLINK0000000001') => ({ region, endpoint: 'http://127.0.0.1:9000', accessKeyId: id, secretAccessKey: SECRET })

function refusal(env: NodeJS.ProcessEnv): string {
  try { loadConfig([], env) } catch (e) { assert.ok(e instanceof ConfigError, String(e)); return e.message }
  assert.fail('config was accepted')
}

describe('peer configuration', () => {
  it('has no peers by default', () => {
    assert.deepEqual(loadConfig([], {}).peers, [])
  })

  it('reads TRENT_PEERS and leaves the peer Regions out of the default served Regions', () => {
    const config = loadConfig([], { TRENT_PEERS: JSON.stringify([peer('eu-west-1')]) })
    assert.deepEqual(config.peers, [{ ...peer('eu-west-1'), endpoint: 'http://127.0.0.1:9000' }])
    assert.ok(!config.regions.includes('eu-west-1'))
    assert.ok(config.regions.includes('us-east-1'))
  })

  it('refuses a Region both served and peered, a peered default Region, and duplicates', () => {
    assert.equal(refusal({ TRENT_REGIONS: 'us-east-1,eu-west-1', TRENT_PEERS: JSON.stringify([peer('eu-west-1')]) }),
      'region eu-west-1 is both in TRENT_REGIONS and served by a peer (TRENT_PEERS)')
    assert.match(refusal({ TRENT_PEERS: JSON.stringify([peer('us-east-1')]) }), /default region us-east-1 is served by a peer/)
    assert.equal(refusal({ TRENT_PEERS: JSON.stringify([peer('eu-west-1'), peer('eu-west-1', 'PEERLINK0000000002')]) }), 'TRENT_PEERS names region eu-west-1 twice')
    assert.equal(refusal({ TRENT_PEERS: JSON.stringify([peer('eu-west-1'), peer('eu-west-2')]) }), 'TRENT_PEERS uses access key id PEERLINK0000000001 for two regions')
  })

  it('refuses malformed entries without echoing the secret', () => {
    assert.equal(refusal({ TRENT_PEERS: '{' }), 'TRENT_PEERS must be a JSON array of peer entries')
    assert.equal(refusal({ TRENT_PEERS: JSON.stringify([{ ...peer('eu-west-1'), extra: 1 }]) }), 'TRENT_PEERS entry 0 has an unknown field: extra')
    assert.match(refusal({ TRENT_PEERS: JSON.stringify([{ ...peer('eu-west-1'), endpoint: 'http://h:1/path' }]) }), /endpoint must be http\(s\):\/\/host\[:port\]/)
    assert.match(refusal({ TRENT_PEERS: JSON.stringify([{ ...peer('eu-west-1'), endpoint: 'ftp://h' }]) }), /endpoint must be/)
    const short = refusal({ TRENT_PEERS: JSON.stringify([{ ...peer('eu-west-1'), secretAccessKey: 'tiny-secret-value' }]) })
    assert.equal(short, 'TRENT_PEERS entry 0: secretAccessKey must be at least 32 characters')
    assert.ok(!short.includes('tiny-secret-value'))
  })

  it('reads TRENT_PEERS_FILE only when it is private, and merges it with TRENT_PEERS', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trent-peers-'))
    const file = join(dir, 'peers.json')
    writeFileSync(file, JSON.stringify([peer('eu-west-1')]), { mode: 0o644 })
    chmodSync(file, 0o644)
    assert.match(refusal({ TRENT_PEERS_FILE: file }), /is accessible to group or others/)
    chmodSync(file, 0o600)
    const config = loadConfig([], { TRENT_PEERS_FILE: file, TRENT_PEERS: JSON.stringify([peer('ap-south-1', 'PEERLINK0000000002')]) })
    assert.deepEqual(config.peers.map((p) => p.region), ['ap-south-1', 'eu-west-1'])
    assert.equal(refusal({ TRENT_PEERS_FILE: file, TRENT_PEERS: JSON.stringify([peer('eu-west-1', 'PEERLINK0000000002')]) }), 'TRENT_PEERS names region eu-west-1 twice')
    assert.match(refusal({ TRENT_PEERS_FILE: join(dir, 'missing.json') }), /cannot read TRENT_PEERS_FILE .*: ENOENT/)
  })

  it('takes TRENT_PEERS out of the environment like the other secrets', () => {
    const env: NodeJS.ProcessEnv = { TRENT_PEERS: JSON.stringify([peer('eu-west-1')]) }
    takeConfig([], env)
    assert.equal(env.TRENT_PEERS, undefined)
  })
})
