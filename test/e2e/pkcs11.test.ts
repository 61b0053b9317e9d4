// The real server with its root key in a PKCS#11 token (a private SoftHSM2 token): the core SDK flows and a
// restart, no root key bytes in the server's memory (with the file provider as the positive control that the
// scan finds them), and an HSM outage: uncached material fails with a clean 500, /readyz says so, and the
// server recovers when the token returns.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { KMS } from '@aws-sdk/client-kms'
import { createTestToken, importKnownKey, softHsmMissing, type TestToken } from '../support/softhsm.js'
import { scanProcessMemory } from '../support/memory-scan.js'
import { callOperation, kmsClient } from './support/clients.js'
import { cleanupTrent, makeTempDir, startTrent, type TrentProcess } from './support/server.js'
import { runCli, startCli } from './support/cli-env.js'
import { waitUntil } from './support/wait.js'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { blobRootKeyId } from '../../src/rootkey/labelled-blob.js'

const T = { timeout: 120_000 }
const skip = softHsmMissing()
const plaintext = new TextEncoder().encode('payroll for December')

describe('server with the root key in a PKCS#11 token', { skip }, () => {
  let token: TestToken
  const clients: KMS[] = []
  const client = (server: TrentProcess) => {
    const kms = kmsClient(server.url)
    clients.push(kms)
    return kms
  }

  before(() => {
    token = createTestToken()
  })
  after(async () => {
    for (const kms of clients) kms.destroy()
    await cleanupTrent()
    token?.cleanup()
  }, T)

  const pkcs11Env = (keyLabel = 'trent-root') => ({ TRENT_ROOT_KEY_PROVIDER: 'pkcs11', ...token.env(keyLabel) })

  it('serves create, encrypt, decrypt, data keys, MAC and signatures, and all of it survives a restart', T, async () => {
    const server = await startTrent({ env: pkcs11Env() })
    let kms = client(server)
    const sym = (await kms.createKey({})).KeyMetadata!.KeyId!
    const hmac = (await kms.createKey({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' })).KeyMetadata!.KeyId!
    const ecc = (await kms.createKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' })).KeyMetadata!.KeyId!
    const { CiphertextBlob } = await kms.encrypt({ KeyId: sym, Plaintext: plaintext, EncryptionContext: { app: 'payroll' } })
    assert.deepEqual((await kms.decrypt({ CiphertextBlob, EncryptionContext: { app: 'payroll' } })).Plaintext, plaintext)
    const dataKey = await kms.generateDataKey({ KeyId: sym, KeySpec: 'AES_256' })
    const { Mac } = await kms.generateMac({ KeyId: hmac, Message: plaintext, MacAlgorithm: 'HMAC_SHA_256' })
    const { Signature } = await kms.sign({ KeyId: ecc, Message: plaintext, SigningAlgorithm: 'ECDSA_SHA_256' })
    assert.equal(existsRootKeyFile(server), false, 'no root.key file is created with the pkcs11 provider')
    await server.stop()

    const again = await startTrent({ env: pkcs11Env(), dataDir: server.dataDir })
    kms = client(again)
    assert.deepEqual((await kms.decrypt({ CiphertextBlob, EncryptionContext: { app: 'payroll' } })).Plaintext, plaintext)
    assert.deepEqual((await kms.decrypt({ CiphertextBlob: dataKey.CiphertextBlob })).Plaintext, dataKey.Plaintext)
    assert.equal((await kms.verifyMac({ KeyId: hmac, Message: plaintext, MacAlgorithm: 'HMAC_SHA_256', Mac })).MacValid, true)
    assert.equal((await kms.verify({ KeyId: ecc, Message: plaintext, Signature, SigningAlgorithm: 'ECDSA_SHA_256' })).SignatureValid, true)
    assert.equal((await fetch(`${again.url}/readyz`)).status, 200)
    await again.stop()
  })

  it('refuses to start with another token key than the data folder was created with', T, async () => {
    const server = await startTrent({ env: pkcs11Env('trent-root-a') })
    await server.stop()
    // No key under that label: none is generated beside the existing database.
    await assert.rejects(startTrent({ env: pkcs11Env('trent-root-b'), dataDir: server.dataDir }), /no key has this label.*no new key was generated/s)
    // A key under that label that another data folder created: the root-key check refuses it.
    const other = await startTrent({ env: pkcs11Env('trent-root-b') })
    await other.stop()
    await assert.rejects(startTrent({ env: pkcs11Env('trent-root-b'), dataDir: server.dataDir }), /is not the root key this data directory was created with/)
  })

  it('memory scan: a file root key is in the server\'s memory (control); a PKCS#11 root key is not', T, async () => {
    const fileServer = await startTrent({ env: { TRENT_ROOT_KEY_PROVIDER: 'file' } })
    await exercise(client(fileServer))
    const fileKey = Buffer.from(readFileSync(join(fileServer.dataDir, 'root.key'), 'utf8').trim(), 'base64')
    const control = scanProcessMemory(fileServer.pid, fileKey)
    assert.equal(control.found, true, 'the scan finds the in-process root key')
    await fileServer.stop()

    const known = randomBytes(32)
    importKnownKey(token, 'trent-known', known, 'c0ffee')
    const hsmServer = await startTrent({ env: pkcs11Env('trent-known') })
    await exercise(client(hsmServer))
    assert.deepEqual(storedRootKeyIds(hsmServer), ['p11:c0ffee'], 'the server wraps with the imported token key')
    const scan = scanProcessMemory(hsmServer.pid, known)
    assert.ok(scan.bytesScanned > 50_000_000, `scanned ${scan.bytesScanned} bytes`)
    assert.equal(scan.found, false, 'the PKCS#11 root key bytes are not in the server\'s memory')
    process.stderr.write(`# memory scan: file provider ${control.bytesScanned} bytes read, key found; pkcs11 provider ${scan.bytesScanned} bytes read, key not found\n`)
    await hsmServer.stop()
  })

  it('a backup made under the token key restores into a new data directory with the same token, and only there', T, async () => {
    const server = await startTrent({ env: pkcs11Env('trent-backup') })
    const kms = client(server)
    const keyId = (await kms.createKey({})).KeyMetadata!.KeyId!
    const { CiphertextBlob } = await kms.encrypt({ KeyId: keyId, Plaintext: plaintext })
    const file = join(makeTempDir('trent-backup-'), 'hsm.backup')
    const env = { TRENT_ROOT_KEY_PROVIDER: 'pkcs11', ...token.env('trent-backup') }
    await runCli(['backup', '--data-dir', server.dataDir, '--out', file], env)
    const header = JSON.parse(readFileSync(file).subarray(12, 12 + readFileSync(file).readUInt32BE(8)).toString('utf8')) as { rootKeyId: string }
    assert.match(header.rootKeyId, /^p11:[0-9a-f]{16}$/)
    const otherKey = startCli(['restore', '--in', file, '--data-dir', join(makeTempDir('trent-restore-'), 'data')], { TRENT_ROOT_KEY_PROVIDER: 'pkcs11', ...token.env('trent-backup-other') })
    assert.equal((await otherKey.exited).code, 1)
    const target = join(makeTempDir('trent-restore-'), 'data')
    await runCli(['restore', '--in', file, '--data-dir', target], env)
    await server.stop()
    const restored = await startTrent({ dataDir: target, env: pkcs11Env('trent-backup') })
    assert.deepEqual((await client(restored).decrypt({ CiphertextBlob })).Plaintext, plaintext)
    assert.match((await runCli(['audit', 'verify', '--data-dir', target], env)).stdout, /^OK: /)
    await restored.stop()
  })

  it('while the token is gone: uncached material fails with KMSInternalException 500, /readyz is 503; then it recovers', T, async () => {
    const first = await startTrent({ env: pkcs11Env('trent-outage') })
    let kms = client(first)
    const cachedKey = (await kms.createKey({})).KeyMetadata!.KeyId!
    const coldKey = (await kms.createKey({})).KeyMetadata!.KeyId!
    const cachedBlob = (await kms.encrypt({ KeyId: cachedKey, Plaintext: plaintext })).CiphertextBlob!
    const coldBlob = (await kms.encrypt({ KeyId: coldKey, Plaintext: plaintext })).CiphertextBlob!
    // An access key whose wrapped secret no request has unwrapped yet.
    const cliEnv = { TRENT_ROOT_KEY_PROVIDER: 'pkcs11', ...token.env('trent-outage') }
    await runCli(['user', 'create', '--data-dir', first.dataDir, '--account', '111122223333', '--name', 'cold-user'], cliEnv)
    const coldKeyPair = JSON.parse((await runCli(['access-key', 'create', '--data-dir', first.dataDir, '--account', '111122223333', '--user', 'cold-user'], cliEnv)).stdout) as { AccessKeyId: string; SecretAccessKey: string }
    await first.stop()
    // A fresh process: nothing is cached until a request unwraps it.
    const server = await startTrent({ env: pkcs11Env('trent-outage'), dataDir: first.dataDir })
    kms = client(server)
    assert.deepEqual((await kms.decrypt({ CiphertextBlob: cachedBlob })).Plaintext, plaintext)
    token.remove()
    try {
      const cold = await callOperation(server.url, 'Decrypt', { CiphertextBlob: Buffer.from(coldBlob).toString('base64') })
      assert.equal(cold.status, 500, cold.text)
      assert.equal(cold.json.__type, 'KMSInternalException')
      assert.ok(!cold.text.includes('pkcs11') && !cold.text.includes(token.pin), 'the reply names no internals')
      const create = await callOperation(server.url, 'CreateKey', {})
      assert.equal(create.status, 500)
      // A credential not yet unwrapped cannot be checked: a server fault, never a wrong "bad signature".
      const coldCaller = await callOperation(server.url, 'ListKeys', {}, { credentials: { accessKeyId: coldKeyPair.AccessKeyId, secretAccessKey: coldKeyPair.SecretAccessKey } })
      assert.equal(coldCaller.status, 500, coldCaller.text)
      assert.equal(coldCaller.json.__type, 'KMSInternalException')
      const ready = await fetch(`${server.url}/readyz`)
      assert.equal(ready.status, 503)
      assert.deepEqual(await ready.json(), { status: 'unavailable', reason: 'root key unavailable' })
      // Material already unwrapped keeps serving: it is the right key, not a guess.
      assert.deepEqual((await kms.decrypt({ CiphertextBlob: cachedBlob })).Plaintext, plaintext)
    } finally {
      token.restore()
    }
    await waitUntil('/readyz reporting 200', async () => (await fetch(`${server.url}/readyz`)).status === 200)
    assert.deepEqual((await kms.decrypt({ CiphertextBlob: coldBlob })).Plaintext, plaintext)
    const after = (await kms.createKey({})).KeyMetadata!.KeyId!
    const blob = (await kms.encrypt({ KeyId: after, Plaintext: plaintext })).CiphertextBlob!
    assert.deepEqual((await kms.decrypt({ CiphertextBlob: blob })).Plaintext, plaintext)
    const recovered = await callOperation(server.url, 'ListKeys', {}, { credentials: { accessKeyId: coldKeyPair.AccessKeyId, secretAccessKey: coldKeyPair.SecretAccessKey } })
    assert.equal(recovered.json.__type, 'AccessDeniedException', 'after recovery the credential authenticates (and its missing policy denies)')
    assert.ok(server.isRunning())
    await server.stop()
  })
})

/** The root key ids that label the stored key material (labelled-blob.ts). */
function storedRootKeyIds(server: TrentProcess): string[] {
  const db = new Database(join(server.dataDir, 'trent.db'), { readonly: true })
  try {
    const rows = db.prepare('SELECT wrapped_material FROM key_versions').all() as Array<{ wrapped_material: Buffer }>
    return [...new Set(rows.map((r) => String(blobRootKeyId(r.wrapped_material))))]
  } finally {
    db.close()
  }
}

function existsRootKeyFile(server: TrentProcess): boolean {
  try {
    readFileSync(join(server.dataDir, 'root.key'))
    return true
  } catch {
    return false
  }
}

/** Makes the server use its root key: new key material wrapped, then unwrapped by a decrypt. */
async function exercise(kms: KMS): Promise<void> {
  const keyId = (await kms.createKey({})).KeyMetadata!.KeyId!
  const { CiphertextBlob } = await kms.encrypt({ KeyId: keyId, Plaintext: plaintext })
  assert.deepEqual((await kms.decrypt({ CiphertextBlob })).Plaintext, plaintext)
}

