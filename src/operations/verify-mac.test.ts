// VerifyMac through dispatch: MacValid only when the tag matches; every mismatch is KMSInvalidMacException.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { b64, createHarness, unb64, type Harness } from '../../test/support/harness.js'
import { assertAwsError, createKey, ok, type TestKey } from '../../test/support/kms-fixtures.js'

const INVALID = null

describe('VerifyMac', () => {
  let h: Harness
  let key: TestKey
  let mac: Buffer
  before(async () => {
    h = await createHarness()
    key = await createKey(h, { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' })
    mac = unb64((await ok(h, 'GenerateMac', { KeyId: key.keyId, Message: b64('hello'), MacAlgorithm: 'HMAC_SHA_256' })).Mac)
  })
  after(() => h.close())

  it('confirms a tag GenerateMac made', async () => {
    assert.deepEqual(await ok(h, 'VerifyMac', { KeyId: key.keyId, Message: b64('hello'), MacAlgorithm: 'HMAC_SHA_256', Mac: b64(mac) }),
      { KeyId: key.arn, MacValid: true, MacAlgorithm: 'HMAC_SHA_256' })
  })

  it('refuses a changed tag, a truncated tag, another message and another key', async () => {
    const changed = Buffer.from(mac)
    changed[0]! ^= 0x01
    const other = await createKey(h, { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' })
    const cases = [
      { KeyId: key.keyId, Message: b64('hello'), Mac: b64(changed) },
      { KeyId: key.keyId, Message: b64('hello'), Mac: b64(mac.subarray(0, 16)) },
      { KeyId: key.keyId, Message: b64('hellO'), Mac: b64(mac) },
      { KeyId: other.keyId, Message: b64('hello'), Mac: b64(mac) },
    ]
    for (const body of cases) assertAwsError(await h.call('VerifyMac', { ...body, MacAlgorithm: 'HMAC_SHA_256' }), 'KMSInvalidMacException', INVALID)
  })

  it('refuses another algorithm with InvalidKeyUsageException, before comparing', async () => {
    assertAwsError(await h.call('VerifyMac', { KeyId: key.keyId, Message: b64('hello'), MacAlgorithm: 'HMAC_SHA_512', Mac: b64(mac) }), 'InvalidKeyUsageException',
      'Algorithm HMAC_SHA_512 is incompatible with key spec HMAC_256.')
  })

  it('refuses a key pending deletion', async () => {
    const gone = await createKey(h, { KeySpec: 'HMAC_224', KeyUsage: 'GENERATE_VERIFY_MAC' })
    await ok(h, 'ScheduleKeyDeletion', { KeyId: gone.keyId })
    assertAwsError(await h.call('VerifyMac', { KeyId: gone.keyId, Message: b64('x'), MacAlgorithm: 'HMAC_SHA_224', Mac: b64(mac) }), 'KMSInvalidStateException', `${gone.arn} is pending deletion.`)
  })
})
