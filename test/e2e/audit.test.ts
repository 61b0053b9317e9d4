// The audit trail end to end: a scripted KMS sequence through the SDK (success, cross-account denial,
// bad request), then LookupEvents through @aws-sdk/client-cloudtrail and the AWS CLI, a search of every
// record for secret bytes, the file sink, /metrics, a clean shutdown's digest and `trent audit verify`.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { CloudTrail, type Event } from '@aws-sdk/client-cloudtrail'
import type { KMS } from '@aws-sdk/client-kms'
import type { ChainedAuditRecord } from '../../src/audit/record.js'
import { createAccessKey } from '../../src/auth/credentials.js'
import { rootArn } from '../../src/auth/principal.js'
import { loadOrCreateFileRootKey } from '../../src/rootkey/file-root-key.js'
import { kmsClient, type Credentials } from './support/clients.js'
import { breakAuditWrites, databaseEnv, openServerStore } from './support/database.js'
import { E2E_ACCOUNT_ID, E2E_CREDENTIALS, E2E_REGION, cleanupTrent, makeTempDir, startTrent, type TrentProcess, useFileRootKey } from './support/server.js'

// The file root key, even under TRENT_E2E_ROOT_KEY_PROVIDER=pkcs11: its fixture adds an account whose access key it wraps with the root.key bytes.
useFileRootKey()

const T = { timeout: 180_000 }
const AWS_CLI = '/usr/bin/aws'
const CLI_JS = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url))
const OTHER_ACCOUNT = '444455556666'
const OTHER: Credentials = { accessKeyId: 'AKIDE2EOTHERACCOUNT1', secretAccessKey: 'e2e-secret-access-key-of-the-other-account' }
const run = promisify(execFile)

function cloudTrail(url: string, credentials: Credentials = E2E_CREDENTIALS): CloudTrail {
  return new CloudTrail({ endpoint: url, region: E2E_REGION, credentials, maxAttempts: 1 })
}

/** Every event of the caller's account, newest first, following NextToken with small pages. */
async function allEvents(url: string, credentials?: Credentials): Promise<Event[]> {
  const client = cloudTrail(url, credentials)
  const events: Event[] = []
  let NextToken: string | undefined
  do {
    const page = await client.lookupEvents({ MaxResults: 3, NextToken })
    events.push(...(page.Events ?? []))
    NextToken = page.NextToken
  } while (NextToken)
  return events
}

/** Adds a second account with root credentials, directly in the server's database (no CLI verb exists yet). */
async function addOtherAccount(dataDir: string): Promise<void> {
  const store = await openServerStore(dataDir)
  const { rootKey } = await loadOrCreateFileRootKey(join(dataDir, 'root.key'))
  const now = new Date()
  await store.insertAccount({ accountId: OTHER_ACCOUNT, createdAt: now })
  await createAccessKey(store, rootKey, OTHER_ACCOUNT, rootArn(OTHER_ACCOUNT), OTHER.accessKeyId, OTHER.secretAccessKey, now)
  await store.close()
}

/** The byte string in every encoding a record might carry it: base64, base64url, hex (both cases), latin1. */
function encodings(bytes: Uint8Array): string[] {
  const b = Buffer.from(bytes)
  return [b.toString('base64'), b.toString('base64url'), b.toString('hex'), b.toString('hex').toUpperCase(), b.toString('latin1')]
}

async function trent(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    // The CLI reaches the store the server on --data-dir uses (its PostgreSQL schema, when the suite runs on one).
    const dataDir = args[args.indexOf('--data-dir') + 1]
    const env = { ...process.env, ...(args.includes('--data-dir') && dataDir ? databaseEnv(dataDir) : {}) }
    const { stdout, stderr } = await run(process.execPath, [CLI_JS, ...args], { timeout: 60_000, maxBuffer: 64 * 1024 * 1024, env })
    return { code: 0, stdout, stderr }
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string }
    return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' }
  }
}

describe('audit trail end to end', () => {
  let server: TrentProcess
  let kms: KMS
  let sinkDir: string
  const plaintext = randomBytes(48)
  const secrets: Uint8Array[] = [plaintext]
  let keyArn = ''

  before(async () => {
    sinkDir = join(makeTempDir('trent-e2e-sink-'), 'sink')
    server = await startTrent({ env: { TRENT_AUDIT_FILE_SINK: sinkDir } })
    kms = kmsClient(server.url)
    await addOtherAccount(server.dataDir)
  }, T)
  after(cleanupTrent, T)

  it('records the scripted sequence, and LookupEvents (SDK) returns exactly those records with the right fields', T, async () => {
    const created = await kms.createKey({ Description: 'audited' })
    keyArn = created.KeyMetadata!.Arn!
    const encrypted = await kms.encrypt({ KeyId: keyArn, Plaintext: plaintext, EncryptionContext: { purpose: 'e2e-audit' } })
    secrets.push(encrypted.CiphertextBlob!)
    const dataKey = await kms.generateDataKey({ KeyId: keyArn, KeySpec: 'AES_256' })
    secrets.push(dataKey.Plaintext!, dataKey.CiphertextBlob!)
    await assert.rejects(kmsClient(server.url, { credentials: OTHER }).decrypt({ CiphertextBlob: encrypted.CiphertextBlob! }), { name: 'AccessDeniedException' })
    await assert.rejects(kms.encrypt({ KeyId: keyArn, Plaintext: new Uint8Array(4097) }), { name: 'ValidationException' })

    const mine = await allEvents(server.url)
    assert.deepEqual(mine.map((e) => e.EventName), ['Encrypt', 'GenerateDataKey', 'Encrypt', 'CreateKey'])
    const records = mine.map((e) => JSON.parse(e.CloudTrailEvent!) as ChainedAuditRecord)
    for (const [i, e] of mine.entries()) {
      const r = records[i]!
      assert.deepEqual([e.EventId, e.EventSource, e.Username, e.AccessKeyId, e.ReadOnly], [r.eventID, 'kms.amazonaws.com', 'root', E2E_CREDENTIALS.accessKeyId, String(r.readOnly)])
      // The bad request failed validation before any key was resolved, so it names none.
      assert.deepEqual(e.Resources, i === 0 ? [] : [{ ResourceType: 'AWS::KMS::Key', ResourceName: keyArn }])
      assert.ok(e.EventTime instanceof Date && Math.abs(e.EventTime.getTime() - Date.now()) < 120_000)
      assert.deepEqual([r.eventVersion, r.eventType, r.managementEvent, r.awsRegion, r.recipientAccountId, r.sourceIPAddress], ['1.08', 'AwsApiCall', true, E2E_REGION, E2E_ACCOUNT_ID, '127.0.0.1'])
      assert.deepEqual(r.userIdentity, { type: 'Root', principalId: E2E_ACCOUNT_ID, arn: `arn:aws:iam::${E2E_ACCOUNT_ID}:root`, accountId: E2E_ACCOUNT_ID, accessKeyId: E2E_CREDENTIALS.accessKeyId })
      assert.match(String(r.userAgent), /aws-sdk-js/)
      assert.match(r.requestID, /^[0-9a-f-]{36}$/)
      // Authorization reasons exist only for requests that got as far as a decision (not the bad request).
      if (i > 0) assert.match(String(r.trentAuthorization), /^kms:\w+: /)
    }
    assert.deepEqual([records[0]!.errorCode, records[1]!.errorCode, records[2]!.errorCode], ['ValidationException', undefined, undefined])
    assert.deepEqual(records[2]!.requestParameters, { keyId: keyArn, encryptionContext: { purpose: 'e2e-audit' } })
    assert.equal(records[3]!.responseElements !== null && typeof records[3]!.responseElements, 'object', 'CreateKey records its key metadata')

    const theirs = await allEvents(server.url, OTHER)
    assert.deepEqual(theirs.map((e) => e.EventName), ['Decrypt'])
    const denied = JSON.parse(theirs[0]!.CloudTrailEvent!) as ChainedAuditRecord
    assert.deepEqual([denied.errorCode, denied.recipientAccountId, denied.userIdentity?.accountId], ['AccessDeniedException', OTHER_ACCOUNT, OTHER_ACCOUNT])
    assert.match(String(denied.errorMessage), /is not authorized to perform: kms:Decrypt/)
  })

  it('the AWS CLI\'s cloudtrail lookup-events sees the same events, including the lookups themselves', T, async (t) => {
    if (!existsSync(AWS_CLI)) {
      if (process.env.CI === 'true') assert.fail(`${AWS_CLI} is missing on CI (apt-get install awscli)`)
      t.skip(`${AWS_CLI} is not installed`)
      return
    }
    const home = makeTempDir('trent-e2e-awscli-')
    const { stdout } = await run(AWS_CLI, ['cloudtrail', 'lookup-events', '--endpoint-url', server.url, '--output', 'json', '--max-results', '50'], {
      timeout: 60_000,
      env: {
        PATH: process.env.PATH, HOME: home, AWS_ACCESS_KEY_ID: E2E_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: E2E_CREDENTIALS.secretAccessKey,
        AWS_DEFAULT_REGION: E2E_REGION, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_PAGER: '',
      },
    })
    const events = (JSON.parse(stdout) as { Events: { EventName: string; EventSource: string; CloudTrailEvent: string; Resources?: unknown[] }[] }).Events
    const kmsEvents = events.filter((e) => e.EventSource === 'kms.amazonaws.com')
    assert.deepEqual(kmsEvents.map((e) => e.EventName), ['Encrypt', 'GenerateDataKey', 'Encrypt', 'CreateKey'])
    const lookups = events.filter((e) => e.EventSource === 'cloudtrail.amazonaws.com')
    assert.ok(lookups.length >= 2 && lookups.every((e) => e.EventName === 'LookupEvents'), 'the earlier SDK lookups were audited')
    assert.equal((JSON.parse(kmsEvents[3]!.CloudTrailEvent) as ChainedAuditRecord).resources[0]!.ARN, keyArn)
  })

  it('no record anywhere (database export, file sink) carries plaintext, data key or ciphertext bytes', T, async () => {
    const exported = await trent('audit', 'export', '--data-dir', server.dataDir)
    assert.equal(exported.code, 0, exported.stderr)
    const sink = readdirSync(sinkDir).map((f) => readFileSync(join(sinkDir, f), 'utf8')).join('')
    const recordLines = exported.stdout.trim().split('\n').filter((l) => l.includes('"eventVersion"'))
    assert.equal(sink.trim().split('\n').length, recordLines.length, 'the sink mirrors every record')
    for (const text of [exported.stdout, sink]) {
      for (const secret of secrets) {
        for (const form of encodings(secret)) assert.equal(text.includes(form), false, `found secret bytes (${form.slice(0, 12)}…)`)
      }
      assert.doesNotMatch(text, /"plaintext"|"ciphertextBlob"/i)
    }
  })

  it('/metrics reports the requests, and /readyz is ready', T, async () => {
    const metrics = await (await fetch(`${server.url}/metrics`)).text()
    assert.match(metrics, /^trent_requests_total\{operation="CreateKey",outcome="success"\} 1$/m)
    assert.match(metrics, /^trent_requests_total\{operation="Decrypt",outcome="AccessDeniedException"\} 1$/m)
    assert.match(metrics, /^trent_requests_total\{operation="LookupEvents",outcome="success"\} \d+$/m)
    assert.match(metrics, /^trent_keys\{state="Enabled"\} 1$/m)
    assert.match(metrics, /^process_cpu_seconds_total /m)
    assert.equal((await fetch(`${server.url}/readyz`)).status, 200)
  })

  it('a clean shutdown signs a final digest, and trent audit verify accepts the log against the pinned key', T, async () => {
    const key = await trent('audit', 'public-key', '--data-dir', server.dataDir)
    assert.equal(key.code, 0, key.stderr)
    assert.match(key.stdout, /^-----BEGIN PUBLIC KEY-----/)
    const pinned = join(makeTempDir('trent-e2e-pin-'), 'audit.pem')
    writeFileSync(pinned, key.stdout)
    const status = await server.stop()
    assert.equal(status.code, 0, server.stderr())
    assert.match(server.stderr(), /"msg":"audit digest written"/)
    const verified = await trent('audit', 'verify', '--data-dir', server.dataDir, '--public-key', pinned, '--json')
    assert.equal(verified.code, 0, verified.stdout + verified.stderr)
    const report = JSON.parse(verified.stdout) as { ok: boolean; records: number; digests: number }
    assert.deepEqual([report.ok, report.digests >= 1, report.records >= 8], [true, true, true])
  })
})

describe('audit fail-closed end to end', () => {
  after(cleanupTrent, T)

  it('answers 500 KMSInternalException with no result while the audit table refuses writes', T, async () => {
    const server = await startTrent()
    const kms = kmsClient(server.url)
    const key = await kms.createKey({})
    const repair = await breakAuditWrites(server.dataDir)
    await assert.rejects(kms.encrypt({ KeyId: key.KeyMetadata!.KeyId!, Plaintext: randomBytes(16) }), (e: unknown) => {
      const err = e as { name: string; $metadata: { httpStatusCode?: number }; CiphertextBlob?: unknown }
      assert.deepEqual([err.name, err.$metadata.httpStatusCode, err.CiphertextBlob], ['KMSInternalException', 500, undefined])
      return true
    })
    assert.equal((await fetch(`${server.url}/readyz`)).status, 503)
    await repair()
    assert.ok((await kms.encrypt({ KeyId: key.KeyMetadata!.KeyId!, Plaintext: randomBytes(16) })).CiphertextBlob)
    assert.equal((await fetch(`${server.url}/readyz`)).status, 200)
  })
})
