// GetKeyLastUsage through @aws-sdk/client-kms against the real server: an unused key, the last successful
// cryptographic call with its request id and audit event id, the value surviving a graceful restart and (once
// the periodic flush ran) kill -9, and a cluster whose two workers each flush their own uses at shutdown.
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import Database from 'better-sqlite3'
import { kmsClient } from './support/clients.js'
import { callOnFreshConnection } from './support/fresh-connection.js'
import { cleanupTrent, startTrent } from './support/server.js'

const T = { timeout: 120_000 }

/** The audit record's eventID for a request id, read from the stopped server's database. */
function auditEventId(dataDir: string, requestId: string): string | undefined {
  const db = new Database(join(dataDir, 'trent.db'), { readonly: true, fileMustExist: true })
  try {
    const rows = db.prepare<[], { record_json: string }>('SELECT record_json FROM audit').all()
    const records = rows.map((r) => JSON.parse(r.record_json) as { requestID: string; eventID: string })
    return records.find((r) => r.requestID === requestId)?.eventID
  } finally {
    db.close()
  }
}

describe('GetKeyLastUsage end to end', () => {
  after(cleanupTrent, T)

  it('reports an unused key, then the last cryptographic call, and keeps it across a graceful restart', T, async () => {
    const first = await startTrent()
    const kms = kmsClient(first.url)
    const created = await kms.createKey({})
    const keyId = created.KeyMetadata!.KeyId!
    const unused = await kms.getKeyLastUsage({ KeyId: keyId })
    assert.equal(unused.KeyId, keyId)
    assert.deepEqual(unused.KeyLastUsage ?? {}, {})
    assert.deepEqual(unused.KeyCreationDate, created.KeyMetadata!.CreationDate)
    assert.deepEqual(unused.TrackingStartDate, created.KeyMetadata!.CreationDate, 'tracking began before this key was created')

    const sealed = await kms.encrypt({ KeyId: keyId, Plaintext: new TextEncoder().encode('last use') })
    const before = Date.now()
    const opened = await kms.decrypt({ CiphertextBlob: sealed.CiphertextBlob! })
    const afterCall = Date.now()
    const usage = (await kms.getKeyLastUsage({ KeyId: created.KeyMetadata!.Arn! })).KeyLastUsage!
    assert.equal(usage.Operation, 'Decrypt')
    assert.equal(usage.KmsRequestId, opened.$metadata.requestId)
    const at = usage.Timestamp!.getTime()
    assert.ok(at >= before - 1 && at <= afterCall + 1, `${at} within [${before}, ${afterCall}]`)
    // GetKeyLastUsage and DescribeKey are no use of the key.
    await kms.describeKey({ KeyId: keyId })
    assert.equal((await kms.getKeyLastUsage({ KeyId: keyId })).KeyLastUsage?.Operation, 'Decrypt')
    kms.destroy()
    assert.equal((await first.stop()).code, 0, first.stderr())
    assert.equal(usage.CloudTrailEventId, auditEventId(first.dataDir, opened.$metadata.requestId!))

    const second = await startTrent({ dataDir: first.dataDir })
    const again = kmsClient(second.url)
    const restarted = await again.getKeyLastUsage({ KeyId: keyId })
    assert.deepEqual(restarted.KeyLastUsage, usage)
    assert.deepEqual(restarted.TrackingStartDate, unused.TrackingStartDate)
    again.destroy()
    await second.stop()
  })

  it('flushes periodically on its own: a use older than the flush period survives kill -9', T, async () => {
    const first = await startTrent()
    const kms = kmsClient(first.url)
    const keyId = (await kms.createKey({})).KeyMetadata!.KeyId!
    const generated = await kms.generateDataKeyWithoutPlaintext({ KeyId: keyId, NumberOfBytes: 32 })
    // Longer than the 5 s flush period (docs/key-last-usage.md), with room for a loaded machine.
    await new Promise((resolve) => setTimeout(resolve, 8_000))
    kms.destroy()
    assert.deepEqual(await first.kill9(), { code: null, signal: 'SIGKILL' })
    const second = await startTrent({ dataDir: first.dataDir })
    const again = kmsClient(second.url)
    const usage = (await again.getKeyLastUsage({ KeyId: keyId })).KeyLastUsage!
    assert.deepEqual([usage.Operation, usage.KmsRequestId], ['GenerateDataKeyWithoutPlaintext', generated.$metadata.requestId])
    again.destroy()
    await second.stop()
  })

  it('in a cluster, each worker flushes its own uses at shutdown and the latest use is the one kept', T, async () => {
    const server = await startTrent({ env: { TRENT_WORKERS: '2' } })
    const created = await callOnFreshConnection(server.url, 'CreateKey', {})
    const keyId = (created.json.KeyMetadata as { KeyId: string }).KeyId
    const replies = []
    for (let i = 0; i < 12; i++) {
      replies.push(await callOnFreshConnection(server.url, 'GenerateDataKey', { KeyId: keyId, NumberOfBytes: 32 }))
      await new Promise((resolve) => setTimeout(resolve, 3))
    }
    assert.deepEqual(replies.filter((r) => r.status !== 200), [])
    assert.deepEqual(new Set(replies.map((r) => r.worker)), new Set(['1', '2']), 'both workers used the key')
    assert.equal((await server.stop()).code, 0, server.stderr())

    const restarted = await startTrent({ dataDir: server.dataDir })
    const kms = kmsClient(restarted.url)
    const usage = (await kms.getKeyLastUsage({ KeyId: keyId })).KeyLastUsage!
    assert.equal(usage.Operation, 'GenerateDataKey')
    assert.equal(usage.KmsRequestId, replies.at(-1)!.requestId)
    kms.destroy()
    await restarted.stop()
  })
})
