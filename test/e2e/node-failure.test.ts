// Proof by breaking things: two nodes on one PostgreSQL schema behind a simple round-robin TCP balancer (each
// new connection goes to the next node; one that refuses the connection is skipped). One node is killed with
// SIGKILL during CreateKey/Encrypt load. Every call through the SDK's normal retry succeeds, and nothing
// acknowledged is lost: every acknowledged key exists and every ciphertext decrypts on the survivor and on
// the killed node once it is back.
import assert from 'node:assert/strict'
import { copyFileSync, mkdirSync } from 'node:fs'
import { createServer, connect, type Server, type Socket } from 'node:net'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import { postgresUnavailable } from '../../src/store/postgres/test-database.js'
import { kmsClient } from './support/clients.js'
import { shareDatabase } from './support/database.js'
import { cleanupTrent, makeTempDir, startTrent, type TrentProcess, useFileRootKey } from './support/server.js'

// The second node is given the first one's root.key file, so both keep the file root key in the PKCS#11 pass too.
useFileRootKey()

process.env.TRENT_TEST_DATABASE = 'postgres'
const unavailable = await postgresUnavailable()
const T = { timeout: 180_000 }

/** Round-robin over `ports`, per connection; a node that refuses the connection is skipped for the next. */
function roundRobin(ports: number[]): Promise<{ port: number; close(): Promise<void>; served: number[] }> {
  let next = 0
  const served = ports.map(() => 0)
  const sockets = new Set<Socket>()
  const server: Server = createServer((client) => {
    sockets.add(client)
    client.on('close', () => sockets.delete(client))
    client.pause()
    const attempt = (tries: number) => {
      if (tries === ports.length) return client.destroy()
      const index = next++ % ports.length
      const upstream = connect(ports[index]!, '127.0.0.1')
      let connected = false
      upstream.on('error', () => {
        if (connected) client.destroy()
        else attempt(tries + 1)
      })
      upstream.once('connect', () => {
        connected = true
        served[index]!++
        sockets.add(upstream)
        client.pipe(upstream).pipe(client)
        client.resume()
        client.on('error', () => upstream.destroy())
        upstream.on('close', () => { sockets.delete(upstream); client.destroy() })
        client.on('close', () => upstream.destroy())
      })
    }
    attempt(0)
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const address = server.address()
    resolve({
      port: typeof address === 'object' && address ? address.port : 0,
      served,
      close: () => new Promise<void>((done) => {
        for (const s of sockets) s.destroy()
        server.close(() => done())
      }),
    })
  }))
}

test('a node killed under load behind a round-robin balancer: every call succeeds through the SDK retry, nothing acknowledged is lost', { ...T, skip: unavailable }, async (t) => {
  const balancer: { close(): Promise<void> }[] = []
  try {
    const a = await startTrent()
    const bDir = join(makeTempDir(), 'data')
    shareDatabase(bDir, a.dataDir)
    mkdirSync(bDir, { mode: 0o700 })
    copyFileSync(join(a.dataDir, 'root.key'), join(bDir, 'root.key'))
    let b: TrentProcess = await startTrent({ dataDir: bDir })
    const lb = await roundRobin([a.port, b.port])
    balancer.push(lb)
    // The SDK's standard retry mode, with the attempts a client of a multi-node service would allow.
    const kms = kmsClient(`http://127.0.0.1:${lb.port}`, { maxAttempts: 5 })
    const setupKey = (await kms.createKey({})).KeyMetadata!.KeyId!
    const keys: string[] = []
    const sealed: { blob: Uint8Array; plaintext: Buffer }[] = []
    const failures: unknown[] = []
    let stop = false
    const loop = async (step: () => Promise<void>) => {
      while (!stop) await step().catch((e: unknown) => { failures.push(e) })
    }
    const running = Promise.all([
      ...Array.from({ length: 3 }, () => loop(async () => { keys.push((await kms.createKey({ Description: 'under failure' })).KeyMetadata!.KeyId!) })),
      ...Array.from({ length: 5 }, () => loop(async () => {
        const plaintext = randomBytes(24)
        sealed.push({ blob: (await kms.encrypt({ KeyId: setupKey, Plaintext: plaintext })).CiphertextBlob!, plaintext })
      })),
    ])
    await new Promise((resolve) => setTimeout(resolve, 1_000))
    const beforeKill = keys.length + sealed.length
    assert.equal((await b.kill9()).signal, 'SIGKILL')
    await new Promise((resolve) => setTimeout(resolve, 2_000))
    stop = true
    await running
    kms.destroy()
    assert.deepEqual(failures.map(String), [], 'every call succeeded through the retry')
    assert.ok(keys.length + sealed.length > beforeKill, 'the load went on after the kill')
    assert.ok(lb.served[1]! > 0 && lb.served[0]! > 0, 'both nodes served before the kill')

    b = await startTrent({ dataDir: bDir })
    for (const node of [a, b]) {
      const check = kmsClient(node.url)
      const listed = new Set<string>()
      let Marker: string | undefined
      do {
        const page = await check.listKeys({ Limit: 1000, Marker })
        for (const k of page.Keys ?? []) listed.add(k.KeyId!)
        Marker = page.NextMarker
      } while (Marker)
      for (const id of keys) assert.ok(listed.has(id), `acknowledged key ${id} exists`)
      for (let i = 0; i < sealed.length; i += 16) {
        await Promise.all(sealed.slice(i, i + 16).map(async (c) => {
          assert.deepEqual(Buffer.from((await check.decrypt({ CiphertextBlob: c.blob })).Plaintext!), c.plaintext)
        }))
      }
      check.destroy()
    }
    t.diagnostic(`node failure: ${keys.length} CreateKey and ${sealed.length} Encrypt calls acknowledged (${beforeKill} before the kill), 0 failed; ` +
      `connections per node ${JSON.stringify(lb.served)}; all keys present and all ciphertexts decrypt on both nodes`)
  } finally {
    for (const lb of balancer) await lb.close()
    await cleanupTrent()
  }
})
