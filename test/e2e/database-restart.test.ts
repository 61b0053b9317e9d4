// Proof by breaking things: the PostgreSQL under a Trent node (a private cluster in a temporary folder, never
// the machine's shared one) is stopped during CreateKey/Encrypt load and started again. While it is down every
// call fails cleanly with a 5xx, never a wrong answer or a 4xx, and /readyz says 503; once it is back Trent
// serves again without a restart, /readyz returns 200, and everything acknowledged (before, or after) is there.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import type { KMS } from '@aws-sdk/client-kms'
import { verifyStoredLog } from '../../src/audit/log-export.js'
import { parsePublicKeyPem } from '../../src/audit/digest.js'
import { storedAuditPublicKey } from '../../src/audit/signing-key.js'
import { openPostgresStore } from '../../src/store/postgres/postgres-store.js'
import { kmsClient } from './support/clients.js'
import { privatePostgresUnavailable, startPrivatePostgres, type PrivatePostgres } from './support/private-postgres.js'
import { cleanupTrent, startTrent } from './support/server.js'
import { waitUntil } from './support/wait.js'

const T = { timeout: 180_000 }
const unavailable = privatePostgresUnavailable()

const until = (what: string, check: () => Promise<boolean>, withinMs: number) => waitUntil(what, check, { withinMs, everyMs: 50 })

const readyz = async (url: string) => (await fetch(`${url}/readyz`)).status

interface Outcome { ok: number; serverErrors: number; wrong: string[] }

test('PostgreSQL restarted under load: 5xx while it is down, /readyz follows, Trent recovers without a restart and loses nothing acknowledged', { ...T, skip: unavailable }, async (t) => {
  let db: PrivatePostgres | undefined
  try {
    db = await startPrivatePostgres()
    // Quotas off: the CreateKey loop runs far above AWS's 5/s, and only the outage's own failures are judged here.
    const server = await startTrent({ env: { TRENT_DATABASE_URL: db.url, TRENT_DATABASE_SCHEMA: 'trent', TRENT_QUOTAS: 'off' } })
    // No retries: each call's own outcome is what is judged.
    const kms: KMS = kmsClient(server.url, { maxAttempts: 1 })
    const keyId = (await kms.createKey({})).KeyMetadata!.KeyId!
    assert.equal(await readyz(server.url), 200)
    const keys: string[] = []
    const sealed: { blob: Uint8Array; plaintext: Buffer }[] = []
    const outcome: Outcome = { ok: 0, serverErrors: 0, wrong: [] }
    const judge = (e: unknown) => {
      const err = e as { name?: string; $metadata?: { httpStatusCode?: number } }
      const status = err.$metadata?.httpStatusCode ?? 0
      if (status >= 500) outcome.serverErrors++
      else outcome.wrong.push(`${err.name} ${status}: ${String(e)}`)
    }
    let stop = false
    const loop = async (step: () => Promise<void>) => {
      while (!stop) {
        await step().then(() => { outcome.ok++ }, judge)
        await new Promise((resolve) => setTimeout(resolve, 10))
      }
    }
    const running = Promise.all([
      loop(async () => { keys.push((await kms.createKey({ Description: 'restart' })).KeyMetadata!.KeyId!) }),
      ...Array.from({ length: 3 }, () => loop(async () => {
        const plaintext = randomBytes(16)
        const { CiphertextBlob } = await kms.encrypt({ KeyId: keyId, Plaintext: plaintext })
        // A wrong answer would be a ciphertext that does not open: checked after the restart.
        sealed.push({ blob: CiphertextBlob!, plaintext })
      })),
    ])
    await new Promise((resolve) => setTimeout(resolve, 800))
    const okBefore = outcome.ok
    db.stop()
    const notReadyAfter = await until('/readyz reporting 503', async () => (await readyz(server.url)) === 503, 10_000)
    const failedBefore = outcome.serverErrors
    await new Promise((resolve) => setTimeout(resolve, 1_500))
    assert.ok(outcome.serverErrors > failedBefore, 'calls kept failing with 5xx while the database was down')
    const okDuringOutage = outcome.ok
    db.start()
    const readyAfter = await until('/readyz reporting 200 again', async () => (await readyz(server.url)) === 200, 30_000)
    await until('calls succeeding again', async () => outcome.ok > okDuringOutage + 10, 30_000)
    stop = true
    await running
    assert.ok(server.isRunning(), 'Trent was never restarted')
    assert.deepEqual(outcome.wrong, [], 'no call failed with anything but a 5xx')
    assert.ok(okBefore > 0)

    const check = kmsClient(server.url)
    for (const id of keys) assert.equal((await check.describeKey({ KeyId: id })).KeyMetadata!.KeyId, id)
    for (const c of sealed) assert.deepEqual(Buffer.from((await check.decrypt({ CiphertextBlob: c.blob })).Plaintext!), c.plaintext)
    check.destroy()
    kms.destroy()
    await server.stop()
    const store = await openPostgresStore({ url: db.url, schema: 'trent', maxConnections: 2 })
    try {
      const report = await verifyStoredLog(store, parsePublicKeyPem((await storedAuditPublicKey(store))!))
      assert.deepEqual(report.problems, [])
      t.diagnostic(`database restart: ${outcome.ok} calls succeeded, ${outcome.serverErrors} failed with 5xx while PostgreSQL was down, 0 otherwise; ` +
        `/readyz 503 after ${notReadyAfter} ms and 200 again ${readyAfter} ms after the restart; ${keys.length} keys and ${sealed.length} ciphertexts checked; ` +
        `audit chain of ${report.records} records verifies`)
    } finally {
      await store.close()
    }
  } finally {
    await cleanupTrent()
    db?.destroy()
  }
})
