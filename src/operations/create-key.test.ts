// CreateKey through dispatch: AWS defaults, KeyMetadata, tags and policy, and the refusals that create nothing.
import { afterEach, beforeEach, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { TEST_ACCOUNT, TEST_REGION, createHarness, type Harness } from '../../test/support/harness.js'
import { assertAwsError, createKey, ok, withOneAudit } from '../../test/support/kms-fixtures.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe('CreateKey', () => {
  let h: Harness
  beforeEach(async () => {
    h = await createHarness()
  })
  afterEach(() => h.close())

  async function keyCount(): Promise<number> {
    return ((await ok(h, 'ListKeys', {})).Keys as unknown[]).length
  }

  it('creates an enabled symmetric key with AWS\'s defaults and full KeyMetadata', async () => {
    const { res, record } = await withOneAudit(h, () => h.call('CreateKey', {}))
    assert.equal(res.status, 200)
    const meta = res.body.KeyMetadata as Record<string, unknown>
    const keyId = String(meta.KeyId)
    assert.match(keyId, UUID)
    assert.match(String(meta.CurrentKeyMaterialId), /^[0-9a-f]{64}$/)
    assert.deepEqual(meta, {
      AWSAccountId: TEST_ACCOUNT, KeyId: keyId, Arn: `arn:aws:kms:${TEST_REGION}:${TEST_ACCOUNT}:key/${keyId}`,
      CreationDate: h.clock.now().getTime() / 1000, Enabled: true, Description: '', KeyUsage: 'ENCRYPT_DECRYPT', KeyState: 'Enabled',
      Origin: 'AWS_KMS', KeyManager: 'CUSTOMER', CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT', KeySpec: 'SYMMETRIC_DEFAULT',
      EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'], MultiRegion: false, CurrentKeyMaterialId: meta.CurrentKeyMaterialId,
    })
    assert.equal(record.eventName, 'CreateKey')
    assert.equal(record.readOnly, false)
    assert.deepEqual(record.resources, [{ ARN: meta.Arn, accountId: TEST_ACCOUNT, type: 'AWS::KMS::Key' }])
    assert.deepEqual((await ok(h, 'DescribeKey', { KeyId: keyId })).KeyMetadata, meta)
  })

  it('accepts the explicit symmetric spec and usage, by KeySpec or the deprecated CustomerMasterKeySpec', async () => {
    for (const body of [{ KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT' }, { CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT' }, { Origin: 'AWS_KMS', MultiRegion: false }]) {
      const res = await h.call('CreateKey', body)
      assert.equal(res.status, 200, JSON.stringify(res.body))
      assert.equal((res.body.KeyMetadata as { KeySpec: string }).KeySpec, 'SYMMETRIC_DEFAULT')
    }
  })

  it('stores the description, tags and a given policy', async () => {
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${TEST_ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }] })
    const key = await createKey(h, { Description: 'payroll', Tags: [{ TagKey: 'team', TagValue: 'pay' }, { TagKey: 'env', TagValue: '' }], Policy: policy })
    const meta = (await ok(h, 'DescribeKey', { KeyId: key.keyId })).KeyMetadata as { Description: string }
    assert.equal(meta.Description, 'payroll')
    assert.deepEqual((await ok(h, 'ListResourceTags', { KeyId: key.keyId })).Tags, [{ TagKey: 'env', TagValue: '' }, { TagKey: 'team', TagValue: 'pay' }])
    assert.equal((await ok(h, 'GetKeyPolicy', { KeyId: key.keyId })).Policy, policy)
  })

  it('creates a multi-Region primary key with an mrk- id', async () => {
    const res = await h.call('CreateKey', { MultiRegion: true })
    const meta = res.body.KeyMetadata as Record<string, unknown>
    assert.match(String(meta.KeyId), /^mrk-[0-9a-f]{32}$/)
    assert.equal(meta.MultiRegion, true)
    assert.deepEqual(meta.MultiRegionConfiguration, { MultiRegionKeyType: 'PRIMARY', PrimaryKey: { Arn: meta.Arn, Region: TEST_REGION }, ReplicaKeys: [] })
  })

  it('gives every key a fresh id', async () => {
    const ids = new Set<string>()
    for (let i = 0; i < 5; i++) ids.add((await createKey(h)).keyId)
    assert.equal(ids.size, 5)
  })

  it('refuses bad requests without creating a key', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ KeySpec: 'SYMMETRIC_DEFAULT', CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT' }, 'ValidationException',
        'You cannot specify KeySpec and CustomerMasterKeySpec in the same request. CustomerMasterKeySpec parameter is deprecated. Use KeySpec parameter instead.'],
      [{ KeySpec: 'AES_256' }, 'ValidationException',
        "1 validation error detected: Value 'AES_256' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [RSA_2048, RSA_3072, RSA_4096, ECC_NIST_P256, ECC_NIST_P384, ECC_NIST_P521, ECC_SECG_P256K1, SYMMETRIC_DEFAULT, HMAC_224, HMAC_256, HMAC_384, HMAC_512, SM2, ML_DSA_44, ML_DSA_65, ML_DSA_87, ECC_NIST_EDWARDS25519]"],
      [{ KeyUsage: 'SIGN_VERIFY' }, 'ValidationException', 'KeyUsage SIGN_VERIFY is not compatible with KeySpec SYMMETRIC_DEFAULT'],
      [{ CustomKeyStoreId: 'cks-1234567890abcdef0' }, 'CustomKeyStoreNotFoundException',
        'The request was rejected because KMS cannot find a custom key store with the specified key store ID.'],
      [{ Origin: 'AWS_CLOUDHSM' }, 'UnsupportedOperationException', 'Origin AWS_CLOUDHSM is not supported by this Trent server.'],
      [{ Policy: '{not json' }, 'MalformedPolicyDocumentException', 'The key policy is not valid JSON.'],
      [{ Policy: '{"Version":"2012-10-17"}' }, 'MalformedPolicyDocumentException', 'The key policy must contain a Statement.'],
      [{ Tags: [{ TagKey: 'aws:owner', TagValue: 'x' }] }, 'TagException', 'Tags beginning with aws: are reserved'],
      [{ Tags: [{ TagKey: 'a', TagValue: '1' }, { TagKey: 'a', TagValue: '2' }] }, 'TagException', 'Duplicate tag keys'],
      [{ Tags: Array.from({ length: 51 }, (_, i) => ({ TagKey: `k${i}`, TagValue: '' })) }, 'TagException', 'Too many tags'],
      [{ Description: 'd'.repeat(8193) }, 'ValidationException',
        `1 validation error detected: Value '${'d'.repeat(1024)}...' at 'description' failed to satisfy constraint: Member must have length less than or equal to 8192`],
    ]
    for (const [body, type, message] of cases) {
      const { res, record } = await withOneAudit(h, () => h.call('CreateKey', body))
      assertAwsError(res, type, message)
      assert.equal(record.errorCode, type)
    }
    assert.equal(await keyCount(), 0)
  })

  it('records the request but not the policy text in the audit record', async () => {
    const { record } = await withOneAudit(h, () => h.call('CreateKey', { Description: 'audited', Tags: [{ TagKey: 't', TagValue: 'v' }] }))
    assert.deepEqual(record.requestParameters, { description: 'audited', tags: [{ TagKey: 't', TagValue: 'v' }] })
    assert.equal((record.responseElements?.keyMetadata as { KeyState: string }).KeyState, 'Enabled')
  })
})

describe('CreateKey past the keys-per-Region quota', () => {
  it('asks the store for AWS\'s 100,000-key limit and answers LimitExceededException when it is reached', async () => {
    const limits: (number | undefined)[] = []
    // The store enforces the limit atomically; here it is told the account is full after one key.
    const h = await createHarness({
      wrapStore: (inner) => Object.assign(Object.create(inner) as typeof inner, {
        insertKey: (...args: Parameters<typeof inner.insertKey>) => {
          limits.push(args[3])
          return inner.insertKey(args[0], args[1], args[2], 1)
        },
      }),
    })
    try {
      await createKey(h)
      const refused = await h.call('CreateKey', { Description: 'one too many' })
      assertAwsError(refused, 'LimitExceededException', 'An account can have at most 100000 KMS keys in a Region.')
      assert.deepEqual(limits, [100_000, 100_000])
      assert.equal(((await h.call('ListKeys', {})).body.Keys as unknown[]).length, 1, 'the refused key was not created')
    } finally {
      await h.close()
    }
  })
})
