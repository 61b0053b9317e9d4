// Shared steps of the in-process operation tests: make keys, aliases and accounts, read the audit log,
// and assert AWS error replies exactly.
import assert from 'node:assert/strict'
import type { AuditRecord } from '../../src/audit/record.js'
import { createAccessKey } from '../../src/auth/credentials.js'
import { rootArn } from '../../src/auth/principal.js'
import { TEST_ACCOUNT, TEST_REGION, b64, type CallResult, type Credentials, type Harness } from './harness.js'

export const DAY_MS = 86_400_000
/** A well-formed key id that no test ever creates. */
export const UNKNOWN_KEY_ID = '0badc0de-1111-4222-8333-944445555666'

export function arnFor(keyId: string, account = TEST_ACCOUNT, region = TEST_REGION): string {
  return `arn:aws:kms:${region}:${account}:key/${keyId}`
}

export function aliasArnFor(aliasName: string, account = TEST_ACCOUNT, region = TEST_REGION): string {
  return `arn:aws:kms:${region}:${account}:${aliasName}`
}

export function notFoundMessage(keyId: string, account = TEST_ACCOUNT, region = TEST_REGION): string {
  return `Key '${arnFor(keyId, account, region)}' does not exist`
}

export interface TestKey {
  keyId: string
  arn: string
}

/** Creates a key (symmetric by default) and fails the test if CreateKey does not succeed. */
export async function createKey(h: Harness, body: Record<string, unknown> = {}, credentials?: Credentials): Promise<TestKey> {
  const res = await h.call('CreateKey', body, credentials)
  assert.equal(res.status, 200, JSON.stringify(res.body))
  const meta = res.body.KeyMetadata as { KeyId: string; Arn: string }
  return { keyId: meta.KeyId, arn: meta.Arn }
}

export async function createAlias(h: Harness, aliasName: string, targetKeyId: string): Promise<void> {
  const res = await h.call('CreateAlias', { AliasName: aliasName, TargetKeyId: targetKeyId })
  assert.equal(res.status, 200, JSON.stringify(res.body))
}

/** Calls an operation that must succeed and returns its body. */
export async function ok(h: Harness, operation: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await h.call(operation, body)
  assert.equal(res.status, 200, `${operation}: ${JSON.stringify(res.body)}`)
  return res.body
}

export async function encryptUnder(h: Harness, keyId: string, plaintext: string, encryptionContext?: Record<string, string>): Promise<string> {
  const body = await ok(h, 'Encrypt', { KeyId: keyId, Plaintext: b64(plaintext), EncryptionContext: encryptionContext })
  return body.CiphertextBlob as string
}

/** Asserts an AWS error reply: status, `__type` and the exact message; `null` for AWS's bare `{"__type"}` (no message member). */
export function assertAwsError(res: CallResult, type: string, message: string | RegExp | null, status = 400): void {
  assert.equal(res.status, status, JSON.stringify(res.body))
  assert.equal(res.body.__type, type, JSON.stringify(res.body))
  if (message === null) {
    assert.equal(res.raw.body, JSON.stringify({ __type: type }))
    return
  }
  if (typeof message === 'string') assert.equal(res.body.message, message)
  else assert.match(String(res.body.message), message)
  assert.deepEqual(Object.keys(res.body).sort(), ['__type', 'message'])
}

export async function auditRecords(h: Harness): Promise<AuditRecord[]> {
  return (await h.services.store.listAudit(0, 100_000)).map((r) => r.record)
}

export async function lastAudit(h: Harness): Promise<AuditRecord> {
  const all = await auditRecords(h)
  const last = all[all.length - 1]
  assert.ok(last, 'no audit record was written')
  return last
}

/** The last audit sequence number seen per harness, so each read fetches only newer records. */
const auditCursors = new WeakMap<Harness, number>()

async function auditSince(h: Harness): Promise<{ seq: number; record: AuditRecord }[]> {
  const fresh = await h.services.store.listAudit(auditCursors.get(h) ?? 0, 100_000)
  const last = fresh[fresh.length - 1]
  if (last) auditCursors.set(h, last.seq)
  return fresh
}

/** Runs `call` and asserts it wrote exactly one audit record; returns the call's result and that record. */
export async function withOneAudit(h: Harness, call: () => Promise<CallResult>): Promise<{ res: CallResult; record: AuditRecord }> {
  await auditSince(h)
  const res = await call()
  const written = await auditSince(h)
  assert.equal(written.length, 1, 'expected exactly one audit record for the request')
  return { res, record: written[0]!.record }
}

/** Adds a second account with root credentials, for cross-account tests. */
export async function addAccount(h: Harness, accountId: string): Promise<Credentials> {
  const credentials = { accessKeyId: `AKIDTEST${accountId}`, secretAccessKey: `secret-of-${accountId}` }
  const now = h.clock.now()
  await h.services.store.insertAccount({ accountId, createdAt: now })
  await createAccessKey(h.services.store, h.services.rootKey, accountId, rootArn(accountId), credentials.accessKeyId, credentials.secretAccessKey, now)
  return credentials
}

/** A JSON snapshot of everything visible through the list and describe operations, to prove a failure changed nothing. */
export async function visibleState(h: Harness, keyIds: string[]): Promise<string> {
  const parts: unknown[] = [await ok(h, 'ListKeys', { Limit: 1000 }), await ok(h, 'ListAliases', { Limit: 100 })]
  for (const keyId of keyIds) {
    const described = await h.call('DescribeKey', { KeyId: keyId })
    parts.push(described.body)
    if (described.status !== 200) continue
    parts.push(await ok(h, 'ListResourceTags', { KeyId: keyId }), await ok(h, 'GetKeyPolicy', { KeyId: keyId }))
  }
  return JSON.stringify(parts)
}
