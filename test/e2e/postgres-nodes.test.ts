// Several Trent nodes of one region on one PostgreSQL schema, end to end: two servers on different ports and
// data folders (sharing only the root key and the database) serve the same keys; a change on node A (key
// disabled or scheduled for deletion, policy changed, grant revoked, access key deactivated with the CLI) is
// refused by node B within the cache bound; the scheduled jobs run on exactly one node and move to the other
// when it is killed; and both nodes' records form one audit chain that `trent audit verify` accepts.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { copyFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it, test } from 'node:test'
import { promisify } from 'node:util'
import type { KMS } from '@aws-sdk/client-kms'
import pg from 'pg'
import { postgresUnavailable, TEST_DATABASE_URL } from '../../src/store/postgres/test-database.js'
import { kmsClient, type Credentials } from './support/clients.js'
import { databaseEnv, schemaOf, shareDatabase } from './support/database.js'
import { E2E_ACCOUNT_ID, cleanupTrent, makeTempDir, startTrent, type TrentProcess, useFileRootKey } from './support/server.js'
import { CLI_JS, createUserWithKey, trentCli } from './support/trent-cli.js'

// Node B is given node A's root.key file, so both keep the file root key in the PKCS#11 pass too.
useFileRootKey()

process.env.TRENT_TEST_DATABASE = 'postgres'
const unavailable = await postgresUnavailable()

const T = { timeout: 180_000 }
const POLL_MS = 50
/**
 * The stated bound is one poll period (TRENT_CACHE_POLL_MS, 50 ms; NOTIFY usually makes it a few ms); what a
 * loaded, shared test machine adds to it (timer lag, request time) is allowed on top.
 */
const SLACK_MS = 1_500
const JOB_INTERVAL_MS = 200
/** jobsLeaseTtlMs(): a dead holder's lease lapses after at most 30 s. */
const LEASE_TTL_MS = 30_000

const NODE_ENV = { TRENT_CACHE_POLL_MS: String(POLL_MS), TRENT_JOB_INTERVAL_MS: String(JOB_INTERVAL_MS) }
const clients: KMS[] = []
const client = (server: TrentProcess, credentials?: Credentials) => {
  const kms = kmsClient(server.url, credentials ? { credentials } : {})
  clients.push(kms)
  return kms
}
const measured: Record<string, number> = {}

/**
 * A node with its own data folder. The first creates the root key file; a later one joins the schema of
 * `first` with a copy of that file (what an operator does for a new node, docs/operations.md).
 */
async function startNode(first?: TrentProcess): Promise<TrentProcess> {
  const dataDir = join(makeTempDir(), 'data')
  if (first) {
    shareDatabase(dataDir, first.dataDir)
    mkdirSync(dataDir, { mode: 0o700 })
    copyFileSync(join(first.dataDir, 'root.key'), join(dataDir, 'root.key'))
  }
  return startTrent({ dataDir, env: NODE_ENV })
}

/** Repeats `attempt` until it fails; returns how long after `since` that was, and the error. */
async function msUntilRefused(attempt: () => Promise<unknown>, since: number): Promise<{ ms: number; error: Error }> {
  for (;;) {
    try {
      await attempt()
    } catch (error) {
      return { ms: Date.now() - since, error: error as Error }
    }
    if (Date.now() - since > 10_000) throw new Error('the change was never seen')
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

async function leaseHolderPid(schema: string): Promise<number | undefined> {
  const c = new pg.Client({ connectionString: TEST_DATABASE_URL })
  await c.connect()
  try {
    const { rows } = await c.query(`SELECT holder, expires_at FROM ${schema}.leases WHERE name = 'jobs' AND expires_at > $1`, [Date.now()])
    const holder = (rows[0] as { holder: string } | undefined)?.holder
    return holder === undefined ? undefined : Number(holder.split('/')[0])
  } finally {
    await c.end()
  }
}

if (unavailable) {
  test('several nodes on one PostgreSQL database', { skip: unavailable }, () => undefined)
} else {
  describe('two nodes on one PostgreSQL schema', () => {
    let a: TrentProcess
    let b: TrentProcess
    const encrypt = (kms: KMS, keyId: string) => kms.encrypt({ KeyId: keyId, Plaintext: Buffer.from('x') })

    before(async () => {
      // The first node initialises the database (account, root-key check); the second joins it.
      a = await startNode()
      b = await startNode(a)
    }, T)
    after(async () => {
      for (const c of clients) c.destroy()
      console.log(`# cross-node refusal after the change (ms): ${JSON.stringify(measured)}`)
      await cleanupTrent()
    }, T)

    /** Asserts that node B refuses `attempt` within the bound after `change` (run on node A) returns, and records the time. */
    async function refusedOnB(what: string, change: () => Promise<unknown>, attempt: () => Promise<unknown>, errorName: string): Promise<void> {
      await change()
      // Timed from the change's reply (its commit), not from its start: the CLI's own process start-up, which a
      // slow machine stretches past a second, is not propagation delay.
      const since = Date.now()
      const seen = await msUntilRefused(attempt, since)
      assert.equal(seen.error.name, errorName, String(seen.error))
      assert.ok(seen.ms < POLL_MS + SLACK_MS, `${what}: seen after ${seen.ms} ms`)
      measured[what] = seen.ms
    }

    it('both nodes serve the same keys: created on one, used on the other', T, async () => {
      assert.notEqual(a.port, b.port)
      const onA = client(a)
      const onB = client(b)
      const keyId = (await onA.createKey({ Description: 'made on A' })).KeyMetadata!.KeyId!
      const sealed = await onA.encrypt({ KeyId: keyId, Plaintext: Buffer.from('shared secret') })
      assert.equal(Buffer.from((await onB.decrypt({ CiphertextBlob: sealed.CiphertextBlob })).Plaintext!).toString(), 'shared secret')
      const other = (await onB.createKey({ Description: 'made on B' })).KeyMetadata!.KeyId!
      assert.equal((await onA.describeKey({ KeyId: other })).KeyMetadata!.Description, 'made on B')
      assert.deepEqual(new Set((await onA.listKeys({})).Keys!.map((k) => k.KeyId)), new Set((await onB.listKeys({})).Keys!.map((k) => k.KeyId)))
    })

    it('a key disabled on A is refused by B within the bound', T, async () => {
      const keyId = (await client(a).createKey({})).KeyMetadata!.KeyId!
      const onB = client(b)
      for (let i = 0; i < 3; i++) await encrypt(onB, keyId) // cached on B
      await refusedOnB('DisableKey', () => client(a).disableKey({ KeyId: keyId }), () => encrypt(onB, keyId), 'DisabledException')
    })

    it('a key scheduled for deletion on A is refused by B within the bound', T, async () => {
      const keyId = (await client(a).createKey({})).KeyMetadata!.KeyId!
      const onB = client(b)
      await encrypt(onB, keyId)
      await refusedOnB('ScheduleKeyDeletion', () => client(a).scheduleKeyDeletion({ KeyId: keyId, PendingWindowInDays: 7 }),
        () => encrypt(onB, keyId), 'KMSInvalidStateException')
    })

    it('a key policy changed on A to drop a user is enforced by B within the bound', T, async () => {
      const alice = await createUserWithKey(a.dataDir, E2E_ACCOUNT_ID, 'alice')
      const admin = client(a)
      const keyId = (await admin.createKey({})).KeyMetadata!.KeyId!
      const root = { Sid: 'Admin', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${E2E_ACCOUNT_ID}:root` }, Action: 'kms:*', Resource: '*' }
      const forAlice = { Sid: 'Alice', Effect: 'Allow', Principal: { AWS: alice.arn }, Action: 'kms:Encrypt', Resource: '*' }
      await admin.putKeyPolicy({ KeyId: keyId, PolicyName: 'default', Policy: JSON.stringify({ Version: '2012-10-17', Statement: [root, forAlice] }) })
      const aliceOnB = client(b, alice.credentials)
      await encrypt(aliceOnB, keyId)
      await refusedOnB('PutKeyPolicy', () => admin.putKeyPolicy({ KeyId: keyId, PolicyName: 'default', Policy: JSON.stringify({ Version: '2012-10-17', Statement: [root] }) }),
        () => encrypt(aliceOnB, keyId), 'AccessDeniedException')
    })

    it('a grant revoked on A is refused by B within the bound', T, async () => {
      const bob = await createUserWithKey(a.dataDir, E2E_ACCOUNT_ID, 'bob')
      const admin = client(a)
      const keyId = (await admin.createKey({})).KeyMetadata!.KeyId!
      const { GrantId } = await admin.createGrant({ KeyId: keyId, GranteePrincipal: bob.arn, Operations: ['Encrypt'] })
      const bobOnB = client(b, bob.credentials)
      for (const since = Date.now(); ;) {
        try {
          await encrypt(bobOnB, keyId)
          break
        } catch (e) {
          if (Date.now() - since > POLL_MS + SLACK_MS) throw e
        }
      }
      await refusedOnB('RevokeGrant', () => admin.revokeGrant({ KeyId: keyId, GrantId }), () => encrypt(bobOnB, keyId), 'AccessDeniedException')
    })

    it('an access key deactivated with the trent CLI on the database is refused by both nodes', T, async () => {
      const carol = await createUserWithKey(a.dataDir, E2E_ACCOUNT_ID, 'carol', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Encrypt', Resource: '*' }] })
      const keyId = (await client(a).createKey({})).KeyMetadata!.KeyId!
      const carolOnB = client(b, carol.credentials)
      await encrypt(carolOnB, keyId)
      await encrypt(client(a, carol.credentials), keyId)
      await refusedOnB('access key deactivated (CLI)', () => trentCli(a.dataDir, 'access-key', 'deactivate', '--access-key-id', carol.credentials.accessKeyId),
        () => encrypt(carolOnB, keyId), 'UnrecognizedClientException')
      await assert.rejects(encrypt(client(a, carol.credentials), keyId), { name: 'UnrecognizedClientException' })
    })

    it('the jobs run on exactly one node, and move to the other when it is killed', T, async () => {
      const schema = schemaOf(a.dataDir)
      const holder = await leaseHolderPid(schema)
      assert.ok(holder === a.pid || holder === b.pid, `the lease is held by one of the nodes (${holder})`)
      // Held by the same node across many job intervals: the other never takes it while it is renewed.
      for (let i = 0; i < 5; i++) {
        await new Promise((resolve) => setTimeout(resolve, JOB_INTERVAL_MS))
        assert.equal(await leaseHolderPid(schema), holder)
      }
      const [dead, survivor] = holder === a.pid ? [a, b] : [b, a]
      await dead.kill9()
      const since = Date.now()
      while ((await leaseHolderPid(schema)) !== survivor.pid) {
        assert.ok(Date.now() - since < LEASE_TTL_MS + 5_000, 'the surviving node never took the jobs over')
        await new Promise((resolve) => setTimeout(resolve, 250))
      }
      measured['jobs failover after kill -9'] = Date.now() - since
      // The survivor still serves; restart the dead node for the audit check below.
      await client(survivor).listKeys({})
      const restarted = await startTrent({ dataDir: dead.dataDir, env: NODE_ENV })
      if (dead === a) a = restarted
      else b = restarted
    })

    it('both nodes write one audit chain, which trent audit verify accepts on the database', T, async () => {
      const [onA, onB] = [client(a), client(b)]
      const keyId = (await onA.createKey({})).KeyMetadata!.KeyId!
      await Promise.all(Array.from({ length: 40 }, (_, i) => encrypt(i % 2 === 0 ? onA : onB, keyId)))
      for (const node of [a, b]) assert.equal((await node.stop()).code, 0, node.stderr())
      const run = promisify(execFile)
      const { stdout } = await run(process.execPath, [CLI_JS, 'audit', 'verify', '--json'], {
        env: { PATH: process.env.PATH, HOME: process.env.HOME, ...databaseEnv(a.dataDir) }, timeout: 60_000,
      })
      const report = JSON.parse(stdout) as { ok: boolean; records: number; digests: number; problems: unknown[] }
      assert.deepEqual(report.problems, [])
      assert.equal(report.ok, true)
      assert.ok(report.records >= 42 && report.digests >= 1, JSON.stringify(report))
    })
  })
}
