// --workers 2 end to end: both workers serve, one primary writes one audit chain (every request exactly
// once), credentials are printed once, a killed worker is replaced, a write is seen by the next request on
// any worker, and an audit failure in the primary fails a worker's request closed.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import Database from 'better-sqlite3'
import type { Credentials } from './support/clients.js'
import { callOnFreshConnection, getOnFreshConnection, type FreshReply } from './support/fresh-connection.js'
import { E2E_ACCOUNT_ID, cleanupTrent, makeTempDir, startTrent, type TrentProcess } from './support/server.js'
import { createUserWithKey } from './support/trent-cli.js'

const T = { timeout: 180_000 }
const CLI_JS = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url))
const run = promisify(execFile)
const cluster = (bootstrap: 'fixed' | 'generated' = 'fixed') => startTrent({ env: { TRENT_WORKERS: '2' }, bootstrap })
const b64 = (n: number) => randomBytes(n).toString('base64')

/** The root credentials the server printed, and how many times it printed any. */
function printedCredentials(stdout: string): { credentials: Credentials; times: number } {
  const ids = [...stdout.matchAll(/AWS_ACCESS_KEY_ID=(\S+)/g)]
  const secret = /AWS_SECRET_ACCESS_KEY=(\S+)/.exec(stdout)
  return { credentials: { accessKeyId: ids[0]?.[1] ?? '', secretAccessKey: secret?.[1] ?? '' }, times: ids.length }
}

/** Worker pids the primary has reported listening, by worker id. */
function listeningWorkers(stderr: string): Map<string, number> {
  const workers = new Map<string, number>()
  for (const line of stderr.split('\n')) {
    if (!line.includes('"msg":"trent worker listening"')) continue
    const parsed = JSON.parse(line) as { worker: number; workerPid: number }
    workers.set(String(parsed.worker), parsed.workerPid)
  }
  return workers
}

function storedRecords(dataDir: string): Array<{ eventName: string; requestID: string; errorCode?: string }> {
  const db = new Database(join(dataDir, 'trent.db'), { readonly: true })
  try {
    return db.prepare<[], { record_json: string }>('SELECT record_json FROM audit ORDER BY seq').all().map((r) => JSON.parse(r.record_json))
  } finally {
    db.close()
  }
}

async function verifyChain(dataDir: string): Promise<{ ok: boolean; records: number }> {
  const key = await run(process.execPath, [CLI_JS, 'audit', 'public-key', '--data-dir', dataDir])
  const pinned = join(makeTempDir('trent-e2e-pin-'), 'audit.pem')
  writeFileSync(pinned, key.stdout)
  const verified = await run(process.execPath, [CLI_JS, 'audit', 'verify', '--data-dir', dataDir, '--public-key', pinned, '--json'])
  return JSON.parse(verified.stdout) as { ok: boolean; records: number }
}

async function createKeyId(server: TrentProcess, credentials?: Credentials): Promise<string> {
  const created = await callOnFreshConnection(server.url, 'CreateKey', {}, credentials)
  assert.equal(created.status, 200, JSON.stringify(created.json))
  return (created.json.KeyMetadata as { KeyId: string }).KeyId
}

/**
 * Repeats `call` on fresh connections until both workers have answered it (at most 24 calls), checking every
 * reply with `check`: after a write, each request the cluster answers must already see it, on either worker.
 */
async function onBothWorkers(call: () => Promise<FreshReply>, check: (reply: FreshReply) => void): Promise<void> {
  const answeredBy = new Set<string>()
  for (let i = 0; i < 24 && answeredBy.size < 2; i++) {
    const reply = await call()
    check(reply)
    answeredBy.add(reply.worker ?? '')
  }
  assert.deepEqual(answeredBy, new Set(['1', '2']))
}

const allowed = (reply: FreshReply) => assert.equal(reply.status, 200, `worker ${reply.worker}: ${JSON.stringify(reply.json)}`)
const refusedWith = (type: string) => (reply: FreshReply) => assert.deepEqual([reply.status, reply.json.__type], [400, type], `worker ${reply.worker}: ${JSON.stringify(reply.json)}`)

describe('a cluster of two workers', () => {
  after(cleanupTrent, T)

  it('serves from both workers and audits a burst of concurrent requests exactly once each, in one chain that verifies; credentials print once', T, async () => {
    const server = await cluster('generated')
    // stdout (credentials) and stderr (the listening line) are separate pipes: wait for both.
    await server.waitForOutput('stdout', /Endpoint: /)
    const { credentials, times } = printedCredentials(server.stdout())
    assert.equal(times, 1, server.stdout())
    const keyId = await createKeyId(server, credentials)
    const replies = await Promise.all(Array.from({ length: 200 }, () =>
      callOnFreshConnection(server.url, 'Encrypt', { KeyId: keyId, Plaintext: b64(64) }, credentials)))
    assert.deepEqual(replies.filter((r) => r.status !== 200), [])
    assert.deepEqual(new Set(replies.map((r) => r.worker)), new Set(['1', '2']))
    assert.equal((await server.stop()).code, 0, server.stderr())
    assert.equal(printedCredentials(server.stdout()).times, 1)
    const encrypts = storedRecords(server.dataDir).filter((r) => r.eventName === 'Encrypt')
    assert.equal(encrypts.length, 200)
    assert.deepEqual(new Set(encrypts.map((r) => r.requestID)), new Set(replies.map((r) => r.requestId)))
    const report = await verifyChain(server.dataDir)
    assert.equal(report.ok, true)
  })

  it('replaces a worker killed with kill -9, and requests keep succeeding on both workers', T, async () => {
    const server = await cluster()
    const before = listeningWorkers(server.stderr())
    assert.equal(before.size, 2)
    const [victimId, victimPid] = [...before][0]!
    process.kill(victimPid, 'SIGKILL')
    await server.waitForOutput('stderr', /"msg":"trent worker died; restarting it"/)
    // Meanwhile the surviving worker takes every new connection.
    const keyId = await createKeyId(server)
    await server.waitForOutput('stderr', /("msg":"trent worker listening"[^]*){3}/)
    const after = listeningWorkers(server.stderr())
    assert.equal(after.size, 3, 'a third worker id was started')
    const replies = await Promise.all(Array.from({ length: 40 }, () => callOnFreshConnection(server.url, 'Encrypt', { KeyId: keyId, Plaintext: b64(16) })))
    assert.deepEqual(replies.filter((r) => r.status !== 200), [])
    assert.equal(new Set(replies.map((r) => r.worker)).size, 2)
    assert.ok(!replies.some((r) => r.worker === victimId), 'the dead worker answered nothing')
    assert.equal((await server.stop()).code, 0)
    assert.equal((await verifyChain(server.dataDir)).ok, true)
  })

  it('refuses a key disabled through one worker on the very next request, whichever worker serves it', T, async () => {
    const server = await cluster()
    const refusedBy = new Set<string>()
    for (let round = 0; round < 6; round++) {
      const keyId = await createKeyId(server)
      // Warm both workers on the key, so any cache they keep holds it as enabled.
      for (let i = 0; i < 4; i++) assert.equal((await callOnFreshConnection(server.url, 'Encrypt', { KeyId: keyId, Plaintext: b64(8) })).status, 200)
      const disabled = await callOnFreshConnection(server.url, 'DisableKey', { KeyId: keyId })
      assert.equal(disabled.status, 200)
      for (let i = 0; i < 4; i++) {
        const next = await callOnFreshConnection(server.url, 'Encrypt', { KeyId: keyId, Plaintext: b64(8) })
        assert.equal(next.json.__type, 'DisabledException', `round ${round}, worker ${next.worker}`)
        refusedBy.add(next.worker ?? '')
      }
    }
    assert.deepEqual(refusedBy, new Set(['1', '2']))
  })

  it('sees every cached change made through one worker on the next request to either worker: policy, grant, deletion, alias', T, async () => {
    const server = await cluster()
    const user = await createUserWithKey(server.dataDir, E2E_ACCOUNT_ID, 'erin')
    const encryptAs = (keyId: string, credentials?: Credentials) => () => callOnFreshConnection(server.url, 'Encrypt', { KeyId: keyId, Plaintext: b64(8) }, credentials)
    const write = async (operation: string, input: unknown) => {
      const reply = await callOnFreshConnection(server.url, operation, input)
      assert.equal(reply.status, 200, `${operation}: ${JSON.stringify(reply.json)}`)
      return reply.json
    }

    // A key policy that stops naming the user.
    const root = { Sid: 'Admin', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${E2E_ACCOUNT_ID}:root` }, Action: 'kms:*', Resource: '*' }
    const forUser = { Sid: 'User', Effect: 'Allow', Principal: { AWS: user.arn }, Action: 'kms:Encrypt', Resource: '*' }
    const policyKey = await createKeyId(server)
    await write('PutKeyPolicy', { KeyId: policyKey, PolicyName: 'default', Policy: JSON.stringify({ Version: '2012-10-17', Statement: [root, forUser] }) })
    await onBothWorkers(encryptAs(policyKey, user.credentials), allowed)
    await write('PutKeyPolicy', { KeyId: policyKey, PolicyName: 'default', Policy: JSON.stringify({ Version: '2012-10-17', Statement: [root] }) })
    await onBothWorkers(encryptAs(policyKey, user.credentials), refusedWith('AccessDeniedException'))

    // A grant: refused before it exists (a denial is not remembered), allowed once created, refused once revoked.
    const grantKey = await createKeyId(server)
    await onBothWorkers(encryptAs(grantKey, user.credentials), refusedWith('AccessDeniedException'))
    const { GrantId } = await write('CreateGrant', { KeyId: grantKey, GranteePrincipal: user.arn, Operations: ['Encrypt'] }) as { GrantId: string }
    await onBothWorkers(encryptAs(grantKey, user.credentials), allowed)
    await write('RevokeGrant', { KeyId: grantKey, GrantId })
    await onBothWorkers(encryptAs(grantKey, user.credentials), refusedWith('AccessDeniedException'))

    // A key scheduled for deletion.
    const doomed = await createKeyId(server)
    await onBothWorkers(encryptAs(doomed), allowed)
    await write('ScheduleKeyDeletion', { KeyId: doomed, PendingWindowInDays: 7 })
    await onBothWorkers(encryptAs(doomed), refusedWith('KMSInvalidStateException'))

    // An alias moved to another key: the next Encrypt through it uses the new key.
    const [first, second] = [await createKeyId(server), await createKeyId(server)]
    await write('CreateAlias', { AliasName: 'alias/cluster-moved', TargetKeyId: first })
    const encryptsWith = (keyId: string) => (reply: FreshReply) => {
      allowed(reply)
      assert.match(String(reply.json.KeyId), new RegExp(`:key/${keyId}$`), `worker ${reply.worker}`)
    }
    await onBothWorkers(encryptAs('alias/cluster-moved'), encryptsWith(first))
    await write('UpdateAlias', { AliasName: 'alias/cluster-moved', TargetKeyId: second })
    await onBothWorkers(encryptAs('alias/cluster-moved'), encryptsWith(second))
  })

  it('fails a worker\'s request closed (500 KMSInternalException) while the primary cannot write audit records', T, async () => {
    const server = await cluster()
    const keyId = await createKeyId(server)
    const db = new Database(join(server.dataDir, 'trent.db'))
    db.exec("CREATE TRIGGER audit_broken BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'disk full'); END")
    const refused = await Promise.all(Array.from({ length: 8 }, () => callOnFreshConnection(server.url, 'Encrypt', { KeyId: keyId, Plaintext: b64(16) })))
    assert.deepEqual(refused.map((r) => [r.status, r.json.__type, r.json.CiphertextBlob]), refused.map(() => [500, 'KMSInternalException', undefined]))
    assert.deepEqual(new Set(refused.map((r) => r.worker)), new Set(['1', '2']))
    const ready = await Promise.all([1, 2, 3, 4].map(() => getOnFreshConnection(server.url, '/readyz')))
    assert.deepEqual(ready.map((r) => r.status), [503, 503, 503, 503])
    db.exec('DROP TRIGGER audit_broken')
    db.close()
    const again = await Promise.all(Array.from({ length: 4 }, () => callOnFreshConnection(server.url, 'Encrypt', { KeyId: keyId, Plaintext: b64(16) })))
    assert.deepEqual(again.map((r) => r.status), [200, 200, 200, 200])
    assert.equal((await getOnFreshConnection(server.url, '/readyz')).status, 200)
  })

  it('keeps every answered request\'s audit record when the primary is killed with kill -9, and its workers exit with it', T, async () => {
    const server = await cluster()
    const workerPids = [...listeningWorkers(server.stderr()).values()]
    const keyId = await createKeyId(server)
    let ok = 0
    let killed: Promise<unknown> | undefined
    // Kill it mid-burst: once 20 replies are in, with the rest still in flight.
    const inFlight = Array.from({ length: 200 }, () =>
      callOnFreshConnection(server.url, 'Encrypt', { KeyId: keyId, Plaintext: b64(16) }).then((r) => {
        if (r.status === 200 && ++ok === 20) killed = server.kill9()
        return r
      }, () => undefined))
    while (!killed) await new Promise((r) => setTimeout(r, 5))
    await killed
    const answered = (await Promise.all(inFlight)).filter((r) => r?.status === 200).map((r) => r!.requestId)
    const deadline = Date.now() + 10_000
    const alive = () => workerPids.filter((pid) => { try { process.kill(pid, 0); return true } catch { return false } })
    while (alive().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
    assert.deepEqual(alive(), [], 'the workers exited with their primary')
    const stored = new Set(storedRecords(server.dataDir).map((r) => r.requestID))
    assert.ok(answered.length >= 20 && answered.length < 200, `${answered.length} answered`)
    assert.deepEqual(answered.filter((id) => !stored.has(id!)), [])
  })
})
