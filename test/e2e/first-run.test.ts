// First start and restarts of the real server: data directory, root key file, credentials printed once,
// bootstrap settings, TRENT_ROOT_KEY, a wrong root key, and the --port flag.
import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { kmsClient } from './support/clients.js'
import { E2E_ACCOUNT_ID, E2E_CREDENTIALS, StartupFailure, cleanupTrent, makeTempDir, startTrent, type TrentProcess, useFileRootKey } from './support/server.js'

// The file root key, even under TRENT_E2E_ROOT_KEY_PROVIDER=pkcs11: it tests the root key file.
useFileRootKey()

const T = { timeout: 120_000 }
const PRINTED = /AWS_ACCESS_KEY_ID=(\S+)\n {2}AWS_SECRET_ACCESS_KEY=(\S+)\n {2}Account id: (\d{12})\n {2}Region: (\S+)\n/

after(cleanupTrent, T)

function occurrences(text: string, needle: string): number {
  return text.split(needle).length - 1
}

/** The fields of the `trent listening` log line. */
function listeningLine(server: TrentProcess): Record<string, unknown> {
  const line = server.stderr().split('\n').find((l) => l.includes('"msg":"trent listening"'))
  assert.ok(line, server.stderr())
  return JSON.parse(line) as Record<string, unknown>
}

async function printedCredentials(server: TrentProcess) {
  await server.waitForOutput('stdout', PRINTED)
  const [, accessKeyId, secretAccessKey, accountId, region] = PRINTED.exec(server.stdout())!
  return { accessKeyId: accessKeyId!, secretAccessKey: secretAccessKey!, accountId: accountId!, region: region! }
}

test('a first start creates the data dir, a 0600 root.key and trent.db, and prints working credentials once', T, async () => {
  const dataDir = join(makeTempDir(), 'not', 'yet', 'there')
  const first = await startTrent({ dataDir, bootstrap: 'generated' })
  assert.ok(statSync(dataDir).isDirectory())
  assert.equal(statSync(dataDir).mode & 0o777, 0o700)
  assert.equal(statSync(join(dataDir, 'root.key')).mode & 0o777, 0o600)
  assert.ok(statSync(join(dataDir, 'trent.db')).isFile())
  const printed = await printedCredentials(first)
  assert.match(printed.accessKeyId, /^AKIA[A-Z2-7]{16}$/)
  assert.equal(printed.secretAccessKey.length, 40)
  assert.equal(printed.region, 'us-east-1')
  assert.equal(listeningLine(first).accountId, printed.accountId)
  for (const marker of ['AWS_ACCESS_KEY_ID=', 'AWS_SECRET_ACCESS_KEY=', 'Account id:', 'Region:']) assert.equal(occurrences(first.stdout(), marker), 1, marker)
  assert.equal(first.stderr().includes(printed.secretAccessKey), false, 'the secret is never logged')

  const credentials = { accessKeyId: printed.accessKeyId, secretAccessKey: printed.secretAccessKey }
  const kms = kmsClient(first.url, { credentials })
  assert.deepEqual((await kms.listKeys({})).Keys, [])
  const { KeyMetadata } = await kms.createKey({ Description: 'survives restarts' })
  assert.equal(KeyMetadata!.AWSAccountId, printed.accountId)
  const sealed = await kms.encrypt({ KeyId: KeyMetadata!.KeyId, Plaintext: Buffer.from('remember me') })
  kms.destroy()
  assert.deepEqual(await first.stop(), { code: 0, signal: null })

  const second = await startTrent({ dataDir, bootstrap: 'generated' })
  assert.equal(listeningLine(second).accountId, printed.accountId)
  assert.equal(second.stdout().includes('AWS_SECRET_ACCESS_KEY'), false, second.stdout())
  assert.equal(second.stderr().includes(printed.secretAccessKey), false)
  assert.equal(second.stderr().includes('created a new root key'), false)
  const again = kmsClient(second.url, { credentials })
  assert.deepEqual((await again.listKeys({})).Keys?.map((k) => k.KeyId), [KeyMetadata!.KeyId])
  const opened = await again.decrypt({ CiphertextBlob: sealed.CiphertextBlob })
  assert.equal(Buffer.from(opened.Plaintext!).toString(), 'remember me')
  again.destroy()
  await second.stop()
})

test('TRENT_BOOTSTRAP_* and TRENT_ACCOUNT_ID on the first start become the account and its credentials; the supplied secret is not echoed', T, async () => {
  const server = await startTrent({ bootstrap: 'fixed' })
  await server.waitForOutput('stdout', /Endpoint: /)
  const stdout = server.stdout()
  assert.ok(stdout.includes(`  AWS_ACCESS_KEY_ID=${E2E_CREDENTIALS.accessKeyId}\n`), stdout)
  assert.ok(stdout.includes('  AWS_SECRET_ACCESS_KEY is the one supplied in TRENT_BOOTSTRAP_SECRET_ACCESS_KEY (not shown)\n'), stdout)
  assert.ok(stdout.includes(`  Account id: ${E2E_ACCOUNT_ID}\n`), stdout)
  assert.equal(stdout.includes(E2E_CREDENTIALS.secretAccessKey), false, 'a supplied secret is never echoed')
  assert.equal(stdout.includes('AWS_SECRET_ACCESS_KEY='), false)
  assert.equal(server.stderr().includes(E2E_CREDENTIALS.secretAccessKey), false)
  const kms = kmsClient(server.url)
  assert.equal((await kms.createKey({})).KeyMetadata!.AWSAccountId, E2E_ACCOUNT_ID)
  kms.destroy()
  await server.stop()
})

test('TRENT_ROOT_KEY is used instead of a root.key file, survives restarts, and a different key is refused at startup', T, async () => {
  const rootKey = randomBytes(32).toString('base64')
  const first = await startTrent({ env: { TRENT_ROOT_KEY: rootKey } })
  assert.deepEqual(readdirSync(first.dataDir).filter((f) => f.startsWith('root')), [])
  const kms = kmsClient(first.url)
  const { KeyMetadata } = await kms.createKey({})
  const sealed = await kms.encrypt({ KeyId: KeyMetadata!.KeyId, Plaintext: Buffer.from('env rooted') })
  kms.destroy()
  await first.stop()

  const same = await startTrent({ dataDir: first.dataDir, env: { TRENT_ROOT_KEY: rootKey } })
  const sameKms = kmsClient(same.url)
  assert.equal(Buffer.from((await sameKms.decrypt({ CiphertextBlob: sealed.CiphertextBlob })).Plaintext!).toString(), 'env rooted')
  sameKms.destroy()
  await same.stop()

  const otherKey = randomBytes(32).toString('base64')
  await assert.rejects(startTrent({ dataDir: first.dataDir, env: { TRENT_ROOT_KEY: otherKey } }), (err: unknown) => {
    assert.ok(err instanceof StartupFailure, String(err))
    assert.deepEqual(err.status, { code: 1, signal: null })
    assert.equal(err.stderr, 'trent: failed to start: the root key from env:TRENT_ROOT_KEY is not the root key this data directory was created with; ' +
      'start with the original root key (TRENT_ROOT_KEY or the root.key file)\n')
    for (const secret of [rootKey, otherKey, E2E_CREDENTIALS.secretAccessKey]) assert.equal(err.stderr.includes(secret), false)
    return true
  })
  for (const server of [first, same]) {
    for (const secret of [rootKey, E2E_CREDENTIALS.secretAccessKey]) assert.equal(server.stderr().includes(secret), false)
  }
})

test('a root.key file replaced by another key is refused at startup', T, async () => {
  const first = await startTrent()
  await first.stop()
  const keyFile = join(first.dataDir, 'root.key')
  assert.ok(existsSync(keyFile))
  writeFileSync(keyFile, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 })
  await assert.rejects(startTrent({ dataDir: first.dataDir }), (err: unknown) => {
    assert.ok(err instanceof StartupFailure, String(err))
    assert.match(err.stderr, /^trent: failed to start: the root key from file:\S+root\.key is not the root key this data directory was created with/)
    return true
  })
})

async function freePort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const address = probe.address()
  await new Promise<void>((resolve) => probe.close(() => resolve()))
  assert.ok(address && typeof address === 'object')
  return address.port
}

test('--port overrides TRENT_PORT, and a bad TRENT_PORT alone stops the server with exit code 2', T, async () => {
  await assert.rejects(startTrent({ env: { TRENT_PORT: 'not-a-port' } }), (err: unknown) => {
    assert.ok(err instanceof StartupFailure, String(err))
    assert.deepEqual(err.status, { code: 2, signal: null })
    assert.equal(err.stderr, 'trent: invalid port: not-a-port\n')
    return true
  })
  const port = await freePort()
  const server = await startTrent({ env: { TRENT_PORT: 'not-a-port' }, args: ['--port', String(port)] })
  assert.equal(server.port, port)
  assert.equal(server.url, `http://127.0.0.1:${port}`)
  const health = await fetch(`${server.url}/healthz`)
  assert.equal(health.status, 200)
  await server.stop()
})
