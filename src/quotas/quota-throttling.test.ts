// Request quotas through the real pipeline: ThrottlingException with AWS's message once an account's class
// is spent, classes kept apart by key spec, the refusal audited and counted in /metrics.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createHarness, TEST_ACCOUNT, type Harness } from '../../test/support/harness.js'
import { assertAwsError, auditRecords, createKey } from '../../test/support/kms-fixtures.js'

const THROTTLED = 'You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls.'

async function metricLine(h: Harness, prefix: string): Promise<string[]> {
  return (await h.services.metrics.registry.metrics()).split('\n').filter((l) => l.startsWith(prefix))
}

describe('request quotas', () => {
  let h: Harness
  let nowMs = 0
  before(async () => {
    h = await createHarness({
      quotas: { enabled: true, rates: { CreateKey: 2, symmetric: 3, rsa: 2, DescribeKey: 1000 }, burstSeconds: 1, share: 1 },
      rateClockMs: () => nowMs,
    })
  })
  after(() => h.close())

  it('throttles a management operation past its rate, audits the refusal, and admits again once refilled', async () => {
    await createKey(h)
    await createKey(h)
    const refused = await h.call('CreateKey', {})
    assertAwsError(refused, 'ThrottlingException', THROTTLED)
    const last = (await auditRecords(h)).at(-1)!
    assert.equal(last.eventName, 'CreateKey')
    assert.equal(last.errorCode, 'ThrottlingException')
    assert.equal(last.userIdentity?.accountId, TEST_ACCOUNT)
    assert.deepEqual(await metricLine(h, 'trent_quota_throttled_total{'), ['trent_quota_throttled_total{quota="CreateKey"} 1'])
    nowMs += 500 // one token at 2/s
    await createKey(h)
    assertAwsError(await h.call('CreateKey', {}), 'ThrottlingException', THROTTLED)
  })

  it('charges a crypto request to the class of its key: symmetric and RSA are separate', async () => {
    nowMs += 10_000
    const sym = await createKey(h)
    nowMs += 10_000
    const rsa = await createKey(h, { KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' })
    const plaintext = Buffer.from('q').toString('base64')
    for (let i = 0; i < 3; i++) assert.equal((await h.call('Encrypt', { KeyId: sym.keyId, Plaintext: plaintext })).status, 200)
    assertAwsError(await h.call('Encrypt', { KeyId: sym.keyId, Plaintext: plaintext }), 'ThrottlingException', THROTTLED)
    // The symmetric class is spent; RSA keys draw on their own.
    for (let i = 0; i < 2; i++) {
      assert.equal((await h.call('Encrypt', { KeyId: rsa.keyId, Plaintext: plaintext, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })).status, 200)
    }
    assertAwsError(await h.call('Encrypt', { KeyId: rsa.keyId, Plaintext: plaintext, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }), 'ThrottlingException', THROTTLED)
    // Management operations have quotas of their own, untouched by the crypto traffic.
    assert.equal((await h.call('DescribeKey', { KeyId: sym.keyId })).status, 200)
    // GenerateRandom is a symmetric operation: the spent class refuses it too.
    assertAwsError(await h.call('GenerateRandom', { NumberOfBytes: 8 }), 'ThrottlingException', THROTTLED)
  })

  it('counts a signed request that fails validation, so invalid traffic cannot bypass the quota', async () => {
    nowMs += 10_000
    for (let i = 0; i < 3; i++) assert.equal((await h.call('Encrypt', { Plaintext: 'AA==' })).body.__type, 'ValidationException')
    assertAwsError(await h.call('Encrypt', { Plaintext: 'AA==' }), 'ThrottlingException', THROTTLED)
  })

  it('under twice the quota, admits the rate plus one burst and throttles the rest (simulated 10 s)', async () => {
    nowMs += 10_000
    const key = await createKey(h)
    let allowed = 0
    let throttled = 0
    // 6 requests per second against a 3/s class, evenly spaced.
    for (let i = 0; i < 60; i++) {
      nowMs += 1000 / 6
      const res = await h.call('GenerateDataKey', { KeyId: key.keyId, KeySpec: 'AES_256' })
      if (res.status === 200) allowed++
      else if (res.body.__type === 'ThrottlingException') throttled++
    }
    // 3 in the initial burst + 3/s over 10 s, give or take the last partial token.
    assert.ok(allowed >= 30 && allowed <= 33, `allowed ${allowed}`)
    assert.equal(allowed + throttled, 60)
  })
})

describe('request quotas are per account and off by default', () => {
  it('never throttles when quotas are not configured (the in-process default)', async () => {
    const h = await createHarness()
    try {
      for (let i = 0; i < 8; i++) assert.equal((await h.call('CreateKey', {})).status, 200)
    } finally {
      await h.close()
    }
  })
})
