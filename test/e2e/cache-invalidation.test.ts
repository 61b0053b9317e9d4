// Cache invalidation across processes, end to end: two real servers on one data directory, principals and
// policies changed with the `trent` CLI, and @aws-sdk/client-kms clients. Each server caches what it reads;
// a change made anywhere is seen by the other server within its poll bound (TRENT_CACHE_POLL_MS, 50 ms).
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import type { KMS } from '@aws-sdk/client-kms'
import { assertSdkError, kmsClient, type Credentials } from './support/clients.js'
import { E2E_ACCOUNT_ID, cleanupTrent, startTrent, type TrentProcess } from './support/server.js'
import { createUserWithKey, trentCli } from './support/trent-cli.js'

const T = { timeout: 120_000 }
const POLL_MS = 50
/** What a loaded, shared test machine adds to one poll period (timer lag, request time). */
const SLACK_MS = 1_500

let one: TrentProcess
let two: TrentProcess
const clients: KMS[] = []
const client = (server: TrentProcess, credentials?: Credentials) => {
  const kms = kmsClient(server.url, credentials ? { credentials } : {})
  clients.push(kms)
  return kms
}

const trent = (...args: string[]) => trentCli(one.dataDir, ...args)

const user = (name: string, policy?: object) => createUserWithKey(one.dataDir, E2E_ACCOUNT_ID, name, policy, 'use')

/** Repeats `attempt` until it stops succeeding; returns how long that took from `since`. */
async function msUntilRefused(attempt: () => Promise<unknown>, since: number): Promise<{ ms: number; error: unknown }> {
  for (;;) {
    try {
      await attempt()
    } catch (error) {
      return { ms: Date.now() - since, error }
    }
    if (Date.now() - since > 10_000) throw new Error('the change was never seen')
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

const encryptUse = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Encrypt', Resource: '*' }] }

before(async () => {
  one = await startTrent()
  two = await startTrent({ dataDir: one.dataDir })
}, T)

after(async () => {
  for (const c of clients) c.destroy()
  await cleanupTrent()
}, T)

test('DisableKey through server 1 is refused by server 2 within the poll bound', T, async () => {
  const keyId = (await client(one).createKey({})).KeyMetadata!.KeyId!
  const onTwo = client(two)
  for (let i = 0; i < 3; i++) await onTwo.encrypt({ KeyId: keyId, Plaintext: Buffer.from('x') })
  const since = Date.now()
  await client(one).disableKey({ KeyId: keyId })
  const seen = await msUntilRefused(() => onTwo.encrypt({ KeyId: keyId, Plaintext: Buffer.from('x') }), since)
  assert.equal((seen.error as Error).name, 'DisabledException')
  assert.ok(seen.ms < POLL_MS + SLACK_MS, `seen after ${seen.ms} ms`)
})

test('PutKeyPolicy through server 1 that drops a user is enforced by server 2 within the poll bound', T, async () => {
  const alice = await user('alice')
  const admin = client(one)
  const keyId = (await admin.createKey({})).KeyMetadata!.KeyId!
  const root = { Sid: 'Admin', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${E2E_ACCOUNT_ID}:root` }, Action: 'kms:*', Resource: '*' }
  const forAlice = { Sid: 'Alice', Effect: 'Allow', Principal: { AWS: alice.arn }, Action: 'kms:Encrypt', Resource: '*' }
  await admin.putKeyPolicy({ KeyId: keyId, PolicyName: 'default', Policy: JSON.stringify({ Version: '2012-10-17', Statement: [root, forAlice] }) })
  const aliceOnTwo = client(two, alice.credentials)
  await msUntilAllowed(() => aliceOnTwo.encrypt({ KeyId: keyId, Plaintext: Buffer.from('x') }))
  const since = Date.now()
  await admin.putKeyPolicy({ KeyId: keyId, PolicyName: 'default', Policy: JSON.stringify({ Version: '2012-10-17', Statement: [root] }) })
  const seen = await msUntilRefused(() => aliceOnTwo.encrypt({ KeyId: keyId, Plaintext: Buffer.from('x') }), since)
  assert.equal((seen.error as Error).name, 'AccessDeniedException')
  assert.ok(seen.ms < POLL_MS + SLACK_MS, `seen after ${seen.ms} ms`)
})

/** The policy just written through server 1 may take one poll to reach server 2. */
async function msUntilAllowed(attempt: () => Promise<unknown>): Promise<void> {
  const since = Date.now()
  for (;;) {
    try {
      await attempt()
      return
    } catch (e) {
      if (Date.now() - since > POLL_MS + SLACK_MS) throw e
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
  }
}

test('an identity policy removed with the trent CLI is enforced by both servers on the next request', T, async () => {
  const bob = await user('bob', encryptUse)
  const keyId = (await client(one).createKey({})).KeyMetadata!.KeyId!
  const onOne = client(one, bob.credentials)
  const onTwo = client(two, bob.credentials)
  for (const kms of [onOne, onTwo]) await msUntilAllowed(() => kms.encrypt({ KeyId: keyId, Plaintext: Buffer.from('x') }))
  await trent('identity-policy', 'delete', '--account', E2E_ACCOUNT_ID, '--user', 'bob', '--name', 'use')
  for (const kms of [onOne, onTwo]) {
    await assertSdkError(kms.encrypt({ KeyId: keyId, Plaintext: Buffer.from('x') }), 'AccessDeniedException', /no identity-based policy allows the kms:Encrypt action/)
  }
})

test('an access key deactivated, and a user deleted, with the trent CLI stop authenticating on both servers', T, async () => {
  const carol = await user('carol', encryptUse)
  const dave = await user('dave', encryptUse)
  const keyId = (await client(one).createKey({})).KeyMetadata!.KeyId!
  const use = (server: TrentProcess, who: Credentials) => client(server, who).encrypt({ KeyId: keyId, Plaintext: Buffer.from('x') })
  for (const server of [one, two]) for (const who of [carol, dave]) await msUntilAllowed(() => use(server, who.credentials))
  await trent('access-key', 'deactivate', '--access-key-id', carol.credentials.accessKeyId)
  await trent('user', 'delete', '--account', E2E_ACCOUNT_ID, '--name', 'dave')
  for (const server of [one, two]) {
    for (const who of [carol, dave]) {
      await assertSdkError(use(server, who.credentials), 'UnrecognizedClientException', 'The security token included in the request is invalid.')
    }
  }
})
