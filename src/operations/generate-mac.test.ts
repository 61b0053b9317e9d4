// GenerateMac through dispatch: tag lengths per spec, determinism, algorithm pairing, states, audit.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { b64, createHarness, unb64, type Harness } from '../../test/support/harness.js'
import { assertAwsError, createKey, ok, withOneAudit, type TestKey } from '../../test/support/kms-fixtures.js'

describe('GenerateMac', () => {
  let h: Harness
  const keys: Record<string, TestKey> = {}
  before(async () => {
    h = await createHarness()
    for (const bits of [224, 256, 384, 512]) keys[bits] = await createKey(h, { KeySpec: `HMAC_${bits}`, KeyUsage: 'GENERATE_VERIFY_MAC' })
  })
  after(() => h.close())

  it('gives a tag of the hash length, the same for the same message and key', async () => {
    for (const bits of [224, 256, 384, 512]) {
      const request = { KeyId: keys[bits]!.keyId, Message: b64('mac me'), MacAlgorithm: `HMAC_SHA_${bits}` }
      const first = await ok(h, 'GenerateMac', request)
      assert.deepEqual(first, { Mac: first.Mac, MacAlgorithm: `HMAC_SHA_${bits}`, KeyId: keys[bits]!.arn })
      assert.equal(unb64(first.Mac).length, bits / 8)
      assert.equal((await ok(h, 'GenerateMac', request)).Mac, first.Mac)
      assert.notEqual((await ok(h, 'GenerateMac', { ...request, Message: b64('mac me!') })).Mac, first.Mac)
    }
  })

  it('keys of one spec have different material', async () => {
    const other = await createKey(h, { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' })
    const request = { Message: b64('same'), MacAlgorithm: 'HMAC_SHA_256' }
    assert.notEqual((await ok(h, 'GenerateMac', { KeyId: other.keyId, ...request })).Mac, (await ok(h, 'GenerateMac', { KeyId: keys[256]!.keyId, ...request })).Mac)
  })

  it('refuses a MAC algorithm of another spec, and symmetric keys', async () => {
    assertAwsError(await h.call('GenerateMac', { KeyId: keys[256]!.keyId, Message: b64('x'), MacAlgorithm: 'HMAC_SHA_384' }), 'InvalidKeyUsageException',
      'Algorithm HMAC_SHA_384 is incompatible with key spec HMAC_256.')
    const symmetric = await createKey(h)
    assertAwsError(await h.call('GenerateMac', { KeyId: symmetric.keyId, Message: b64('x'), MacAlgorithm: 'HMAC_SHA_256' }), 'InvalidKeyUsageException',
      `${symmetric.arn} key usage is ENCRYPT_DECRYPT which is not valid for GenerateMac.`)
  })

  it('refuses a disabled key and an oversized message, and answers DryRun', async () => {
    const off = await createKey(h, { KeySpec: 'HMAC_512', KeyUsage: 'GENERATE_VERIFY_MAC' })
    await ok(h, 'DisableKey', { KeyId: off.keyId })
    assertAwsError(await h.call('GenerateMac', { KeyId: off.keyId, Message: b64('x'), MacAlgorithm: 'HMAC_SHA_512' }), 'DisabledException', `${off.arn} is disabled.`)
    assertAwsError(await h.call('GenerateMac', { KeyId: keys[256]!.keyId, Message: b64(Buffer.alloc(4097)), MacAlgorithm: 'HMAC_SHA_256' }), 'ValidationException',
      "1 validation error detected: Value at 'message' failed to satisfy constraint: Member must have length less than or equal to 4096")
    assertAwsError(await h.call('GenerateMac', { KeyId: keys[256]!.keyId, Message: b64('x'), MacAlgorithm: 'HMAC_SHA_256', DryRun: true }),
      'DryRunOperationException', 'The request would have succeeded, but the DryRun option is set.')
  })

  it('audits the request without the message or the tag', async () => {
    const { res, record } = await withOneAudit(h, () => h.call('GenerateMac', { KeyId: keys[384]!.keyId, Message: b64('audit-secret'), MacAlgorithm: 'HMAC_SHA_384' }))
    const text = JSON.stringify(record)
    assert.ok(!text.includes(b64('audit-secret')) && !text.includes(String(res.body.Mac)))
    assert.deepEqual(record.responseElements, { keyId: keys[384]!.arn, macAlgorithm: 'HMAC_SHA_384' })
  })
})
