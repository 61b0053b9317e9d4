// `trent k8s-kms-plugin` as kube-apiserver sees it: a gRPC client built from the same proto on the unix
// socket, against a real Trent server. Status, the Encrypt/Decrypt round trip, key rotation (key_id changes,
// old ciphertexts still decrypt), refusals, health and shutdown.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { credentials, status as grpcStatus, type Client, type ServiceError } from '@grpc/grpc-js'
import { loadKmsV2Service, type DecryptResponse, type EncryptResponse, type StatusResponse } from '../../src/integrations/k8s/kms-v2-proto.js'
import { openDataDir } from '../../src/cli/data-dir.js'
import { Keyring } from '../../src/keys/keyring.js'
import { kmsClient } from './support/clients.js'
import { awsEnv } from './support/envelope-cli.js'
import { CLI_JS } from './support/trent-cli.js'
import { cleanupTrent, makeTempDir, startTrent, type TrentProcess } from './support/server.js'

const T = { timeout: 120_000 }

let server: TrentProcess
let keyArn: string
let plugin: ChildProcess
let pluginStderr = ''
let socketPath: string
let client: Client

type Call = (method: 'Status' | 'Encrypt' | 'Decrypt', request: object) => Promise<unknown>
let call: Call

before(async () => {
  server = await startTrent()
  const kms = kmsClient(server.url)
  keyArn = (await kms.createKey({ Description: 'kubernetes secrets' })).KeyMetadata!.Arn!
  await kms.createAlias({ AliasName: 'alias/k8s-secrets', TargetKeyId: keyArn })
  kms.destroy()
  socketPath = join(makeTempDir('trent-k8s-'), 'kms.sock')
  plugin = spawn(process.execPath, [CLI_JS, 'k8s-kms-plugin', '--socket', socketPath, '--key-id', 'alias/k8s-secrets', '--context', 'cluster=e2e', '--key-id-max-age', '1'],
    { env: awsEnv(server.url), stdio: ['ignore', 'ignore', 'pipe'] })
  plugin.stderr!.setEncoding('utf8').on('data', (s: string) => { pluginStderr += s })
  const deadline = Date.now() + 20_000
  while (!pluginStderr.includes('trent k8s-kms-plugin listening')) {
    if (Date.now() > deadline || plugin.exitCode !== null) throw new Error(`the plugin did not start:\n${pluginStderr}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  const Service = loadKmsV2Service()
  client = new Service(`unix://${socketPath}`, credentials.createInsecure())
  call = (method, request) => new Promise((resolve, reject) => {
    (client as unknown as Record<string, (r: object, cb: (e: ServiceError | null, v: unknown) => void) => void>)[method]!(request, (e, v) => (e ? reject(e) : resolve(v)))
  })
}, T)

after(async () => {
  client?.close()
  plugin?.kill('SIGKILL')
  await cleanupTrent()
}, T)

const status = () => call('Status', {}) as Promise<StatusResponse>
const encrypt = (plaintext: Buffer) => call('Encrypt', { plaintext, uid: `uid-${randomBytes(4).toString('hex')}` }) as Promise<EncryptResponse>
const decrypt = (e: EncryptResponse) => call('Decrypt', { ciphertext: e.ciphertext, uid: 'd', key_id: e.key_id, annotations: e.annotations }) as Promise<DecryptResponse>

/** Rotates the key the way a rotation writes it: a new material version made current, through the data folder. */
async function rotate(): Promise<void> {
  const dd = await openDataDir(server.dataDir, { PATH: process.env.PATH })
  try {
    const key = (await dd.store.getKey(keyArn.split('/')[1]!))!
    const next = key.currentVersion + 1
    const version = await new Keyring(dd.rootKey, dd.store).wrapVersion(key, next, new Uint8Array(randomBytes(32)), new Date())
    await dd.store.addKeyVersion(version)
  } finally {
    await dd.store.close()
  }
}

test('the socket is private to the plugin user (0600)', () => {
  assert.equal(statSync(socketPath).mode & 0o777, 0o600)
})

test('Status reports version v2, healthz ok and a key_id naming the key and its current material', T, async () => {
  const reply = await status()
  assert.equal(reply.version, 'v2')
  assert.equal(reply.healthz, 'ok')
  assert.match(reply.key_id, new RegExp(`^${keyArn.replace(/[/.]/g, '\\$&')}#material=[0-9a-f]{64}$`))
})

test('Encrypt and Decrypt round-trip a DEK seed; the ciphertext fits kube-apiserver limits', T, async () => {
  const seed = randomBytes(32)
  const sealed = await encrypt(seed)
  assert.equal(sealed.key_id, (await status()).key_id)
  assert.ok(sealed.ciphertext.length > 32 && sealed.ciphertext.length <= 1024, `ciphertext is ${sealed.ciphertext.length} bytes`)
  assert.equal(sealed.ciphertext.includes(seed), false)
  assert.deepEqual((await decrypt(sealed)).plaintext, seed)
})

test('after the key rotates, key_id changes and ciphertexts made before still decrypt', T, async () => {
  const before = await status()
  const oldSeed = randomBytes(32)
  const old = await encrypt(oldSeed)
  await rotate()
  let after = await status()
  for (const deadline = Date.now() + 10_000; after.key_id === before.key_id && Date.now() < deadline;) {
    await new Promise((resolve) => setTimeout(resolve, 200))
    after = await status()
  }
  assert.notEqual(after.key_id, before.key_id)
  assert.equal(after.key_id.split('#')[0], before.key_id.split('#')[0], 'the same key, new material')
  assert.equal(after.healthz, 'ok')
  const newSeed = randomBytes(32)
  const fresh = await encrypt(newSeed)
  assert.equal(fresh.key_id, after.key_id)
  assert.deepEqual((await decrypt(old)).plaintext, oldSeed)
  assert.deepEqual((await decrypt(fresh)).plaintext, newSeed)
})

test('a ciphertext that is not one, or an empty plaintext, is INVALID_ARGUMENT', T, async () => {
  const { key_id } = await status()
  await assert.rejects(call('Decrypt', { ciphertext: randomBytes(120), uid: 'x', key_id, annotations: {} }), (e: ServiceError) => {
    assert.equal(e.code, grpcStatus.INVALID_ARGUMENT)
    assert.match(e.details, /InvalidCiphertextException/)
    return true
  })
  await assert.rejects(call('Encrypt', { plaintext: Buffer.alloc(0), uid: 'y' }), (e: ServiceError) => e.code === grpcStatus.INVALID_ARGUMENT)
})

test('the context is bound: a ciphertext made under another context does not decrypt through the plugin', T, async () => {
  const kms = kmsClient(server.url)
  const foreign = await kms.encrypt({ KeyId: keyArn, Plaintext: randomBytes(32), EncryptionContext: { cluster: 'other' } })
  kms.destroy()
  const { key_id } = await status()
  await assert.rejects(call('Decrypt', { ciphertext: Buffer.from(foreign.CiphertextBlob!), uid: 'z', key_id, annotations: {} }), (e: ServiceError) => e.code === grpcStatus.INVALID_ARGUMENT)
})

test('Status turns unhealthy while the key is disabled, and ok again once enabled', T, async () => {
  const kms = kmsClient(server.url)
  try {
    await kms.disableKey({ KeyId: keyArn })
    let reply = await status()
    for (const deadline = Date.now() + 10_000; reply.healthz === 'ok' && Date.now() < deadline;) reply = await status()
    assert.match(reply.healthz, /^unhealthy: .*Disabled/)
    assert.notEqual(reply.key_id, '')
  } finally {
    await kms.enableKey({ KeyId: keyArn })
    kms.destroy()
  }
  let reply = await status()
  for (const deadline = Date.now() + 10_000; reply.healthz !== 'ok' && Date.now() < deadline;) reply = await status()
  assert.equal(reply.healthz, 'ok')
})

test('SIGTERM stops the plugin and removes its socket', T, async () => {
  client.close()
  const exited = new Promise<number | null>((resolve) => plugin.once('exit', (code) => resolve(code)))
  plugin.kill('SIGTERM')
  assert.equal(await exited, 0)
  assert.equal(existsSync(socketPath), false)
})
