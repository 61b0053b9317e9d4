// `trent rootkey migrate` from the file root key to a PKCS#11 token (SoftHSM2) while the server serves
// traffic: killed with SIGKILL part-way, then resumed. Every ciphertext made before, during and after
// decrypts, on the migrating server and after a restart with only the token key (root.key moved away).
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { renameSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import type { KMS } from '@aws-sdk/client-kms'
import { blobRootKeyId } from '../../src/rootkey/labelled-blob.js'
import { createTestToken, softHsmMissing, type TestToken } from '../support/softhsm.js'
import { kmsClient } from './support/clients.js'
import { runCli, startCli } from './support/cli-env.js'
import { cleanupTrent, startTrent } from './support/server.js'
import { createUserWithKey } from './support/trent-cli.js'

const T = { timeout: 300_000 }
const skip = softHsmMissing()
const KEYS = 300

interface Sealed {
  blob: Uint8Array
  plaintext: Uint8Array
  when: 'before' | 'during' | 'after'
}

/** Labels of the stored key material, counted (read-only, beside the running server). */
function labelCounts(dataDir: string): Map<string, number> {
  const db = new Database(join(dataDir, 'trent.db'), { readonly: true })
  try {
    const counts = new Map<string, number>()
    for (const { wrapped_material: w } of db.prepare('SELECT wrapped_material FROM key_versions').all() as Array<{ wrapped_material: Buffer }>) {
      const label = String(blobRootKeyId(w)).split(':')[0]!
      counts.set(label, (counts.get(label) ?? 0) + 1)
    }
    return counts
  } finally {
    db.close()
  }
}

/** Encrypts and decrypts in a loop until stopped, adding a key now and then; collects what it sealed and every error. */
function traffic(kms: KMS, keyIds: string[], sealed: Sealed[], phase: { when: Sealed['when'] }) {
  let running = true
  const errors: unknown[] = []
  let requests = 0
  const loop = (async () => {
    while (running) {
      try {
        if (requests % 25 === 0) keyIds.push((await kms.createKey({})).KeyMetadata!.KeyId!)
        const plaintext = randomBytes(24)
        const keyId = keyIds[Math.floor(Math.random() * keyIds.length)]!
        const { CiphertextBlob } = await kms.encrypt({ KeyId: keyId, Plaintext: plaintext })
        sealed.push({ blob: CiphertextBlob!, plaintext, when: phase.when })
        const old = sealed[Math.floor(Math.random() * sealed.length)]!
        assert.deepEqual((await kms.decrypt({ CiphertextBlob: old.blob })).Plaintext, new Uint8Array(old.plaintext))
        requests += 3
      } catch (e) {
        errors.push(e)
      }
    }
  })()
  return { stop: async () => { running = false; await loop; return { errors, requests } } }
}

describe('trent rootkey migrate file -> pkcs11 under traffic, killed and resumed', { skip }, () => {
  let token: TestToken
  const clients: KMS[] = []
  before(() => {
    token = createTestToken()
  })
  after(async () => {
    for (const kms of clients) kms.destroy()
    await cleanupTrent()
    token?.cleanup()
  }, T)

  it('rewraps everything, every ciphertext decrypts, and the server then runs on the token key alone', T, async () => {
    const fileServer = await startTrent({ env: { TRENT_ROOT_KEY_PROVIDER: 'file' } })
    const dataDir = fileServer.dataDir
    let kms = kmsClient(fileServer.url)
    clients.push(kms)
    const keyIds: string[] = []
    const sealed: Sealed[] = []
    for (let i = 0; i < KEYS; i++) keyIds.push((await kms.createKey({})).KeyMetadata!.KeyId!)
    for (const keyId of keyIds.slice(0, 50)) {
      const plaintext = randomBytes(24)
      sealed.push({ blob: (await kms.encrypt({ KeyId: keyId, Plaintext: plaintext })).CiphertextBlob!, plaintext, when: 'before' })
    }
    const user = await createUserWithKey(dataDir, '111122223333', 'migrating-user')
    await fileServer.stop()

    const hsm = { ...token.env(), TRENT_DATA_DIR: dataDir }
    const server = await startTrent({ dataDir, env: { TRENT_ROOT_KEY_PROVIDER: 'pkcs11', TRENT_ROOT_KEY_PREVIOUS: 'file', ...token.env() } })
    kms = kmsClient(server.url)
    clients.push(kms)
    const phase: { when: Sealed['when'] } = { when: 'during' }
    const load = traffic(kms, keyIds, sealed, phase)

    const first = startCli(['rootkey', 'migrate', '--data-dir', dataDir, '--from', 'file', '--to', 'pkcs11'], hsm)
    let partial: Map<string, number> | undefined
    for (;;) {
      const counts = labelCounts(dataDir)
      if ((counts.get('p11') ?? 0) >= KEYS / 3 && (counts.get('aes') ?? 0) >= KEYS / 3) {
        first.child.kill('SIGKILL')
        partial = counts
        break
      }
      if (first.child.exitCode !== null) break
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    const killed = await first.exited
    assert.equal(killed.signal, 'SIGKILL', `the first run was killed part-way (it had printed:\n${first.stderr()})`)
    assert.ok(partial, 'killed with some rows on each root key')
    await new Promise((resolve) => setTimeout(resolve, 300))

    const resumed = await runCli(['rootkey', 'migrate', '--data-dir', dataDir, '--from', 'file', '--to', 'pkcs11'], hsm)
    const report = JSON.parse(resumed.stdout) as { ok: boolean; migrated: Record<string, { rewrapped: number; already: number }>; verified: Record<string, number> }
    assert.equal(report.ok, true, resumed.stderr)
    assert.ok(report.migrated['key-version']!.already >= partial.get('p11')!, 'the resumed run skipped what the killed one finished')
    assert.ok(report.migrated['key-version']!.rewrapped > 0)
    assert.ok(report.verified['access-key']! >= 2 && report.verified.settings === 2)
    assert.match(resumed.stderr, /rootkey migrate: key-version done: \d+ rewrapped, \d+ already done, \d+ raced, 0 refused \(\d+\/s\)/)
    assert.deepEqual([...labelCounts(dataDir).keys()], ['p11'])

    phase.when = 'after'
    await new Promise((resolve) => setTimeout(resolve, 500))
    const { errors, requests } = await load.stop()
    assert.deepEqual(errors, [], `traffic errors during the migration (${requests} requests)`)
    for (const s of sealed) assert.deepEqual((await kms.decrypt({ CiphertextBlob: s.blob })).Plaintext, new Uint8Array(s.plaintext))
    await server.stop()

    // Only the token key now: the old root key file is moved away and no previous key is configured.
    renameSync(join(dataDir, 'root.key'), join(dataDir, '..', 'root.key.retired'))
    const tokenOnly = await startTrent({ dataDir, env: { TRENT_ROOT_KEY_PROVIDER: 'pkcs11', ...token.env() } })
    kms = kmsClient(tokenOnly.url)
    clients.push(kms)
    const counts = { before: 0, during: 0, after: 0 }
    for (const s of sealed) {
      assert.deepEqual((await kms.decrypt({ CiphertextBlob: s.blob })).Plaintext, new Uint8Array(s.plaintext))
      counts[s.when]++
    }
    assert.ok(counts.before === 50 && counts.during > 0 && counts.after > 0, JSON.stringify(counts))
    const asUser = kmsClient(tokenOnly.url, { credentials: user.credentials })
    clients.push(asUser)
    await assert.rejects(asUser.listKeys({}), { name: 'AccessDeniedException' }, 'the user\'s rewrapped secret still signs (denied by policy, not by signature)')
    await runCli(['rootkey', 'verify', '--data-dir', dataDir, '--key', 'pkcs11'], hsm)
    process.stderr.write(`# migration: ${KEYS}+ keys, killed at ${JSON.stringify(Object.fromEntries(partial))}, resumed: ${JSON.stringify(report.migrated)}, ciphertexts ${JSON.stringify(counts)}, traffic ${requests} requests\n`)
    await tokenOnly.stop()
  })
})
