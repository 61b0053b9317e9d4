// The pipeline's own guarantees: fail closed on a missing authorize, on unexpected errors and on audit
// failure; exactly one audit record per request; unknown and unsupported operations.
import { afterEach, beforeEach, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { defineOperation } from '../operations/operation.js'
import type { AnyOperation } from '../operations/registry.js'
import type { KeyMetadata } from '../wire/types.generated.js'
import { TEST_ACCOUNT, b64, createHarness, type Harness } from '../../test/support/harness.js'
import { assertAwsError, auditRecords, createKey, withOneAudit } from '../../test/support/kms-fixtures.js'
import { KmsError } from '../wire/kms-error.js'
import { INTERNAL_ERROR_MESSAGE } from './protocol.js'

function withOperation(h: Harness, op: AnyOperation): void {
  h.services.registry = new Map([...h.services.registry, [op.name, op]])
}

describe('dispatch()', () => {
  let h: Harness
  beforeEach(async () => {
    h = await createHarness()
  })
  afterEach(() => h.close())

  it('fails a key-scoped operation that returns without calling authorize', async () => {
    const key = await createKey(h)
    withOperation(h, defineOperation<'DescribeKey'>({
      name: 'DescribeKey', auditInput: ['KeyId'], auditOutput: [], readOnly: true, keyScoped: true,
      run: async () => ({ KeyMetadata: { KeyId: key.keyId } as KeyMetadata }),
    }))
    const { res, record } = await withOneAudit(h, () => h.call('DescribeKey', { KeyId: key.keyId }))
    assertAwsError(res, 'KMSInternalException', INTERNAL_ERROR_MESSAGE, 500)
    assert.equal(record.errorCode, 'KMSInternalException')
    assert.equal(record.responseElements, null)
    const logged = h.logs.lines.find((l) => l.level === 'error')
    assert.equal(logged?.message, 'unexpected error')
    assert.equal(logged?.fields.requestId, res.raw.headers['x-amzn-requestid'])
    assert.match(String(logged?.fields.err), /DescribeKey returned without calling authorize/)
  })

  it('leaves the key state to an operation whose key-type rule comes first, and fails it if it never checks', async () => {
    const key = await createKey(h)
    const record = (await h.services.store.getKey(key.keyId))!
    await h.services.store.updateKey({ ...record, keyState: 'PendingDeletion', deletionDate: new Date(h.clock.now().getTime() + 7 * 86_400_000), pendingWindowDays: 7 })
    const importOp = (origin: 'first' | 'checks' | 'forgets') => defineOperation<'GetParametersForImport'>({
      name: 'GetParametersForImport', auditInput: ['KeyId'], auditOutput: [], readOnly: true, keyScoped: true,
      run: async (ctx, input) => {
        const k = (await h.services.store.getKey(input.KeyId))!
        await ctx.authorize(k, 'kms:GetParametersForImport')
        if (origin === 'first') throw new KmsError('UnsupportedOperationException', 'origin rule')
        if (origin === 'checks') ctx.checkKeyState(k)
        return {}
      },
    })
    const body = { KeyId: key.keyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' }
    withOperation(h, importOp('first'))
    assertAwsError(await h.call('GetParametersForImport', body), 'UnsupportedOperationException', 'origin rule')
    withOperation(h, importOp('checks'))
    assertAwsError(await h.call('GetParametersForImport', body), 'KMSInvalidStateException', `${key.arn} is pending deletion.`)
    withOperation(h, importOp('forgets'))
    assertAwsError(await h.call('GetParametersForImport', body), 'KMSInternalException', INTERNAL_ERROR_MESSAGE, 500)
    assert.match(String(h.logs.lines.find((l) => l.level === 'error')?.fields.err), /GetParametersForImport returned without checking its key's state/)
  })

  it('fails an account-wide operation that returns without any decision', async () => {
    withOperation(h, defineOperation<'ListKeys'>({
      name: 'ListKeys', auditInput: [], auditOutput: [], readOnly: true, keyScoped: false, run: async () => ({ Keys: [], Truncated: false }),
    }))
    assertAwsError(await h.call('ListKeys', {}), 'KMSInternalException', INTERNAL_ERROR_MESSAGE, 500)
  })

  it('turns an unexpected error into a 500 with a fixed message and logs it with the request id', async () => {
    withOperation(h, defineOperation<'GenerateRandom'>({
      name: 'GenerateRandom', auditInput: ['NumberOfBytes'], auditOutput: [], readOnly: true, keyScoped: false,
      run: async () => { throw new Error('database file is locked at /secret/path') },
    }))
    const res = await h.call('GenerateRandom', { NumberOfBytes: 8 })
    assertAwsError(res, 'KMSInternalException', INTERNAL_ERROR_MESSAGE, 500)
    assert.ok(!res.raw.body.includes('secret'))
    const errors = h.logs.lines.filter((l) => l.level === 'error')
    assert.equal(errors.length, 1)
    assert.equal(errors[0]!.fields.requestId, res.raw.headers['x-amzn-requestid'])
    assert.match(String(errors[0]!.fields.err), /database file is locked/)
    assert.equal((await auditRecords(h)).at(-1)?.errorCode, 'KMSInternalException')
  })

  it('audits a result that cannot be encoded as the internal fault the caller receives', async () => {
    const key = await createKey(h)
    withOperation(h, defineOperation<'DescribeKey'>({
      name: 'DescribeKey', auditInput: ['KeyId'], auditOutput: ['KeyMetadata'], readOnly: true, keyScoped: true,
      run: async (ctx) => {
        await ctx.authorize(null, 'kms:DescribeKey')
        return { KeyMetadata: { KeyId: key.keyId, CreationDate: 'not a Date' } as unknown as KeyMetadata }
      },
    }))
    const { res, record } = await withOneAudit(h, () => h.call('DescribeKey', { KeyId: key.keyId }))
    assertAwsError(res, 'KMSInternalException', INTERNAL_ERROR_MESSAGE, 500)
    assert.deepEqual([record.errorCode, record.responseElements], ['KMSInternalException', null])
    assert.match(String(h.logs.lines.find((l) => l.level === 'error')?.fields.err), /getTime is not a function/)
  })

  it('refuses the result when the audit record cannot be written', async () => {
    const key = await createKey(h)
    h.services.auditLog = { write: () => Promise.reject(new Error('disk full')) }
    const res = await h.call('Encrypt', { KeyId: key.keyId, Plaintext: b64('hello') })
    assertAwsError(res, 'KMSInternalException', INTERNAL_ERROR_MESSAGE, 500)
    assert.ok(!('CiphertextBlob' in res.body))
    const logged = h.logs.lines.find((l) => l.message === 'audit write failed; request refused')
    assert.equal(logged?.fields.requestId, res.raw.headers['x-amzn-requestid'])
  })

  it('answers an unknown target with UnknownOperationException and audits it', async () => {
    const { res, record } = await withOneAudit(h, () => h.callRaw('TrentService.MakeCoffee', '{}'))
    assertAwsError(res, 'UnknownOperationException', 'The requested operation is not recognized by the service.')
    assert.equal(record.eventName, 'Unknown')
    assert.equal(record.errorCode, 'UnknownOperationException')
  })

  it('answers a modelled operation missing from the registry with UnsupportedOperationException', async () => {
    h.services.registry = new Map([...h.services.registry].filter(([name]) => name !== 'GenerateRandom'))
    const { res, record } = await withOneAudit(h, () => h.call('GenerateRandom', { NumberOfBytes: 8 }))
    assertAwsError(res, 'UnsupportedOperationException', 'GenerateRandom is not supported by this Trent server.')
    assert.equal(record.eventName, 'GenerateRandom')
    assert.equal(record.userIdentity?.accountId, TEST_ACCOUNT)
  })

  it('audits a request whose signature does not verify, without running it', async () => {
    const { res, record } = await withOneAudit(h, () =>
      h.call('CreateKey', {}, { accessKeyId: 'AKIDTESTROOT00000001', secretAccessKey: 'wrong-secret' }))
    assert.equal(res.status, 400)
    assert.equal(res.body.__type, 'InvalidSignatureException')
    assert.equal(record.errorCode, 'InvalidSignatureException')
    assert.equal(record.userIdentity, undefined)
    assert.deepEqual((await h.call('ListKeys', {})).body.Keys, [])
  })

  it('sends the JSON content type and the request id on every reply', async () => {
    for (const res of [await h.call('ListKeys', {}), await h.callRaw('TrentService.ListKeys', '[')]) {
      assert.equal(res.raw.headers['content-type'], 'application/x-amz-json-1.1')
      assert.match(res.raw.headers['x-amzn-requestid'] ?? '', /^req-\d+$/)
    }
  })

  it('answers an operation without output with an empty JSON object', async () => {
    const key = await createKey(h)
    const res = await h.call('DisableKey', { KeyId: key.keyId })
    assert.equal(res.status, 200)
    assert.equal(res.raw.body, '{}')
  })
})
