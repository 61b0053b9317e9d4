// PutKeyPolicy through dispatch: replaces the policy after checking JSON, shape, the 32 KB limit and the name.
import { afterEach, beforeEach, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { TEST_ACCOUNT, createHarness, type Harness } from '../../test/support/harness.js'
import { UNKNOWN_KEY_ID, assertAwsError, createKey, notFoundMessage, ok, withOneAudit, type TestKey } from '../../test/support/kms-fixtures.js'

function policyOfSize(bytes: number): string {
  const base = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: '', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${TEST_ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }] })
  const policy = base.replace('"Sid":""', `"Sid":"${'s'.repeat(bytes - base.length)}"`)
  assert.equal(Buffer.byteLength(policy), bytes)
  return policy
}

describe('PutKeyPolicy', () => {
  let h: Harness
  let key: TestKey
  let original: string
  beforeEach(async () => {
    h = await createHarness()
    key = await createKey(h)
    original = (await ok(h, 'GetKeyPolicy', { KeyId: key.keyId })).Policy as string
  })
  afterEach(() => h.close())

  const policy = async () => (await ok(h, 'GetKeyPolicy', { KeyId: key.keyId })).Policy

  it('stores the document exactly as given', async () => {
    const doc = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::${TEST_ACCOUNT}:root"},"Action":"kms:*","Resource":"*"}]}\n`
    const { res, record } = await withOneAudit(h, () => h.call('PutKeyPolicy', { KeyId: key.arn, PolicyName: 'default', Policy: doc }))
    assert.equal(res.status, 200)
    assert.equal(res.raw.body, '{}')
    assert.equal(record.requestParameters?.policy, doc)
    assert.equal(await policy(), doc)
  })

  it('accepts a policy of exactly 32768 bytes and refuses one byte more', async () => {
    await ok(h, 'PutKeyPolicy', { KeyId: key.keyId, Policy: policyOfSize(32768) })
    assertAwsError(await h.call('PutKeyPolicy', { KeyId: key.keyId, Policy: policyOfSize(32769) }), 'MalformedPolicyDocumentException', 'The key policy exceeds the maximum size of 32768 bytes.')
    assert.equal(await policy(), policyOfSize(32768))
  })

  it('refuses documents that are not JSON objects with a Statement, changing nothing', async () => {
    const cases: [string, string][] = [
      ['{"Version": "2012-10-17", ', 'The key policy is not valid JSON.'],
      ['[]', 'The key policy must be a JSON object.'],
      ['"policy"', 'The key policy must be a JSON object.'],
      ['{"Version":"2012-10-17"}', 'The key policy must contain a Statement.'],
      ['{"Statement":null}', 'The key policy must contain a Statement.'],
    ]
    for (const [doc, message] of cases) {
      assertAwsError(await h.call('PutKeyPolicy', { KeyId: key.keyId, Policy: doc }), 'MalformedPolicyDocumentException', message)
    }
    assert.equal(await policy(), original)
  })

  it('checks the policy name and the model\'s character set', async () => {
    assertAwsError(await h.call('PutKeyPolicy', { KeyId: key.keyId, PolicyName: 'custom', Policy: original }), 'NotFoundException', 'No such policy exists')
    assertAwsError(await h.call('PutKeyPolicy', { KeyId: key.keyId, Policy: '{"Statement":[],"Sid":"☃"}' }), 'ValidationException',
      `1 validation error detected: Value '{"Statement":[],"Sid":"☃"}' at 'policy' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+`)
    assertAwsError(await h.call('PutKeyPolicy', { KeyId: key.keyId }), 'ValidationException',
      "1 validation error detected: Value null at 'policy' failed to satisfy constraint: Member must not be null")
    assert.equal(await policy(), original)
  })

  it('works while the key is pending deletion and reports an unknown key', async () => {
    await ok(h, 'ScheduleKeyDeletion', { KeyId: key.keyId })
    await ok(h, 'PutKeyPolicy', { KeyId: key.keyId, Policy: policyOfSize(300) })
    assertAwsError(await h.call('PutKeyPolicy', { KeyId: UNKNOWN_KEY_ID, Policy: original }), 'NotFoundException', notFoundMessage(UNKNOWN_KEY_ID))
  })
})
