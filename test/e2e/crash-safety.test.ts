// Proof by breaking things: under concurrent CreateKey, Encrypt and PutKeyPolicy load the server is killed
// with SIGKILL at a random moment, 20 times on each store driver (SQLite in the data folder; PostgreSQL on a
// fresh schema). After every kill: each key whose CreateKey was acknowledged exists, each ciphertext handed
// out decrypts to its plaintext, each key's policy is the last one PutKeyPolicy acknowledged (or the one that
// was in flight at the kill), and the audit chain verifies. The test reports what it checked.
import assert from 'node:assert/strict'
import { randomBytes, randomInt } from 'node:crypto'
import { test } from 'node:test'
import type { KMS } from '@aws-sdk/client-kms'
import { verifyStoredLog } from '../../src/audit/log-export.js'
import { parsePublicKeyPem } from '../../src/audit/digest.js'
import { storedAuditPublicKey } from '../../src/audit/signing-key.js'
import { postgresUnavailable } from '../../src/store/postgres/test-database.js'
import { kmsClient } from './support/clients.js'
import { openServerStore, type E2eDatabase } from './support/database.js'
import { E2E_ACCOUNT_ID, cleanupTrent, startTrent, type TrentProcess } from './support/server.js'

const ROUNDS = 20
const T = { timeout: 600_000 }
const ROOT = `arn:aws:iam::${E2E_ACCOUNT_ID}:root`

interface PolicyState {
  /** Sid of the last policy PutKeyPolicy acknowledged. */
  acked: string
  /** Sids sent since, unacknowledged: one of them may have committed before the kill. */
  inFlight: string[]
}

interface Ledger {
  keys: string[]
  ciphertexts: { blob: Uint8Array; plaintext: Buffer; round: number }[]
  policies: Map<string, PolicyState>
  /** PutKeyPolicy calls acknowledged. */
  policyAcks: number
}

const policyWith = (sid: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: sid, Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' }] })

/** Runs the load until `stopped()`; calls that fail once the kill has begun are simply not acknowledged. */
async function load(kms: KMS, ledger: Ledger, encryptKey: string, round: number, stopped: () => boolean): Promise<{ unexpected: unknown[] }> {
  const unexpected: unknown[] = []
  const loop = async (step: (n: number) => Promise<void>) => {
    for (let n = 0; !stopped(); n++) {
      try {
        await step(n)
      } catch (e) {
        if (!stopped()) unexpected.push(e)
        return
      }
    }
  }
  const creates = Array.from({ length: 3 }, () => loop(async () => {
    const id = (await kms.createKey({ Description: `crash round ${round}` })).KeyMetadata!.KeyId!
    ledger.keys.push(id)
  }))
  const encrypts = Array.from({ length: 3 }, () => loop(async () => {
    const plaintext = randomBytes(32)
    const { CiphertextBlob } = await kms.encrypt({ KeyId: encryptKey, Plaintext: plaintext, EncryptionContext: { round: String(round) } })
    ledger.ciphertexts.push({ blob: CiphertextBlob!, plaintext, round })
  }))
  const puts = [...ledger.policies.entries()].map(([keyId, state]) => loop(async (n) => {
    const sid = `r${round}n${n}`
    state.inFlight.push(sid)
    await kms.putKeyPolicy({ KeyId: keyId, PolicyName: 'default', Policy: policyWith(sid) })
    state.acked = sid
    state.inFlight = []
    ledger.policyAcks++
  }))
  await Promise.all([...creates, ...encrypts, ...puts])
  return { unexpected }
}

async function auditVerifies(dataDir: string): Promise<number> {
  const store = await openServerStore(dataDir)
  try {
    const pem = await storedAuditPublicKey(store)
    assert.ok(pem, 'the audit signing key exists')
    const report = await verifyStoredLog(store, parsePublicKeyPem(pem))
    assert.deepEqual(report.problems, [], 'the audit chain verifies')
    assert.equal(report.ok, true)
    return report.records
  } finally {
    await store.close()
  }
}

async function listAllKeys(kms: KMS): Promise<Set<string>> {
  const ids = new Set<string>()
  let Marker: string | undefined
  do {
    const page = await kms.listKeys({ Limit: 1000, Marker })
    for (const k of page.Keys ?? []) ids.add(k.KeyId!)
    Marker = page.NextMarker
  } while (Marker)
  return ids
}

async function crashRounds(driver: E2eDatabase): Promise<string> {
  process.env.TRENT_TEST_DATABASE = driver
  let server: TrentProcess = await startTrent()
  const setup = kmsClient(server.url)
  const encryptKey = (await setup.createKey({ Description: 'encrypt target' })).KeyMetadata!.KeyId!
  const ledger: Ledger = { keys: [encryptKey], ciphertexts: [], policies: new Map(), policyAcks: 0 }
  for (let i = 0; i < 2; i++) {
    const keyId = (await setup.createKey({ Description: `policy target ${i}` })).KeyMetadata!.KeyId!
    await setup.putKeyPolicy({ KeyId: keyId, PolicyName: 'default', Policy: policyWith('initial') })
    ledger.keys.push(keyId)
    ledger.policies.set(keyId, { acked: 'initial', inFlight: [] })
  }
  setup.destroy()
  let records = 0
  let policyChecks = 0
  let decrypts = 0
  for (let round = 0; round < ROUNDS; round++) {
    // No retries: a call cut off by the kill must fail, not be replayed against the next server.
    const kms = kmsClient(server.url, { maxAttempts: 1 })
    let killing = false
    const running = load(kms, ledger, encryptKey, round, () => killing)
    await new Promise((resolve) => setTimeout(resolve, randomInt(150, 700)))
    killing = true
    assert.equal((await server.kill9()).signal, 'SIGKILL')
    const { unexpected } = await running
    kms.destroy()
    assert.deepEqual(unexpected.map(String), [], 'no call failed before the kill')
    records = await auditVerifies(server.dataDir)

    server = await startTrent({ dataDir: server.dataDir })
    const again = kmsClient(server.url)
    const listed = await listAllKeys(again)
    for (const id of ledger.keys) assert.ok(listed.has(id), `acknowledged key ${id} survived round ${round}`)
    // Every ciphertext of the last few rounds, and a sample of the older ones.
    const sample = [...ledger.ciphertexts.slice(-400), ...Array.from({ length: Math.min(20, ledger.ciphertexts.length) }, () => ledger.ciphertexts[randomInt(ledger.ciphertexts.length)]!)]
    for (let i = 0; i < sample.length; i += 16) {
      await Promise.all(sample.slice(i, i + 16).map(async (c) => {
        const opened = await again.decrypt({ CiphertextBlob: c.blob, EncryptionContext: { round: String(c.round) } })
        assert.deepEqual(Buffer.from(opened.Plaintext!), c.plaintext)
      }))
    }
    for (const [keyId, state] of ledger.policies) {
      const sid = (JSON.parse((await again.getKeyPolicy({ KeyId: keyId, PolicyName: 'default' })).Policy!) as { Statement: { Sid: string }[] }).Statement[0]!.Sid
      assert.ok(sid === state.acked || state.inFlight.includes(sid), `policy of ${keyId} is ${sid}; acknowledged ${state.acked}, in flight ${state.inFlight.join(',')}`)
      // What is in force now is what later rounds must keep.
      state.acked = sid
      state.inFlight = []
      policyChecks++
    }
    again.destroy()
    decrypts += sample.length
  }
  await server.stop()
  return `${driver}: ${ROUNDS} kill -9 rounds; ${ledger.keys.length} acknowledged keys all present; ${ledger.ciphertexts.length} ciphertexts (${decrypts} decrypts checked); ` +
    `${ledger.policyAcks} acknowledged PutKeyPolicy calls, ${policyChecks} policy-in-force checks; audit chain of ${records} records verified after every kill`
}

test('kill -9 under load, 20 times, on SQLite: nothing acknowledged is lost and the audit chain verifies', T, async (t) => {
  try {
    t.diagnostic(await crashRounds('sqlite'))
  } finally {
    await cleanupTrent()
  }
})

const unavailable = await postgresUnavailable()
test('kill -9 under load, 20 times, on PostgreSQL: nothing acknowledged is lost and the audit chain verifies', { ...T, skip: unavailable }, async (t) => {
  try {
    t.diagnostic(await crashRounds('postgres'))
  } finally {
    await cleanupTrent()
    delete process.env.TRENT_TEST_DATABASE
  }
})
