// Fail closed: when the audit record cannot be made durable (the audit table refuses inserts, or the file
// sink is broken) the request gets a 5xx KMS fault and no operation result; /readyz reports it too.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, it } from 'node:test'
import { INTERNAL_ERROR_MESSAGE } from '../http/protocol.js'
import { monitoringReply } from '../observability/endpoints.js'
import { b64 } from '../../test/support/harness.js'
import { breakAuditTable, createAuditHarness, repairAuditTable, type AuditHarness } from '../../test/support/audit-harness.js'
import { RotatingFileSink } from './file-sink.js'
import { verifyStoredLog } from './log-export.js'
import { loadOrCreateAuditSigner } from './signing-key.js'
import { parsePublicKeyPem } from './digest.js'

const INTERNAL = { __type: 'KMSInternalException', message: INTERNAL_ERROR_MESSAGE }

async function newKey(h: AuditHarness): Promise<string> {
  const res = await h.call('CreateKey', {})
  assert.equal(res.status, 200)
  return (res.body.KeyMetadata as { KeyId: string }).KeyId
}

describe('fail-closed auditing', () => {
  let h: AuditHarness | undefined
  afterEach(async () => {
    await h?.close()
    h = undefined
  })

  it('refuses every operation with a 500 and no result once the audit table rejects inserts, and recovers when it is repaired', async () => {
    h = await createAuditHarness()
    const keyId = await newKey(h)
    assert.equal((await h.call('Encrypt', { KeyId: keyId, Plaintext: b64('before') })).status, 200)
    h.raw(breakAuditTable)
    for (const [op, body] of [
      ['Encrypt', { KeyId: keyId, Plaintext: b64('secret') }],
      ['GenerateDataKey', { KeyId: keyId, KeySpec: 'AES_256' }],
      ['CreateKey', {}],
      ['DescribeKey', { KeyId: keyId }],
    ] as const) {
      const res = await h.call(op, body)
      assert.equal(res.status, 500, op)
      assert.deepEqual(res.body, INTERNAL, `${op} must carry no result`)
    }
    const lookup = await h.lookup({})
    assert.equal(lookup.status, 500)
    assert.deepEqual(lookup.body, INTERNAL)
    assert.equal(h.logs.lines.filter((l) => l.message === 'audit write failed; request refused').length, 5)
    assert.equal((await monitoringReply(h.services, 'GET', '/readyz'))?.status, 503)
    h.raw(repairAuditTable)
    assert.equal((await h.call('Encrypt', { KeyId: keyId, Plaintext: b64('after') })).status, 200)
    assert.equal((await monitoringReply(h.services, 'GET', '/readyz'))?.status, 200)
    // The refused batches were rolled back whole: the chain has no gap.
    const signer = await loadOrCreateAuditSigner(h.services.store, h.services.rootKey)
    const report = await verifyStoredLog(h.services.store, parsePublicKeyPem(signer.publicKeyPem))
    assert.deepEqual({ ok: report.ok, records: report.records }, { ok: true, records: 3 })
  })

  it('refuses the request when the file sink cannot be written, and /readyz says so', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'trent-sink-'))
    const sinkDir = join(parent, 'sink')
    h = await createAuditHarness({ auditSink: new RotatingFileSink(sinkDir) })
    rmSync(sinkDir, { recursive: true })
    const res = await h.call('GenerateRandom', { NumberOfBytes: 16 })
    assert.equal(res.status, 500)
    assert.deepEqual(res.body, INTERNAL, 'the random bytes must not leak')
    assert.equal((await monitoringReply(h.services, 'GET', '/readyz'))?.status, 503)
    rmSync(parent, { recursive: true, force: true })
  })
})
