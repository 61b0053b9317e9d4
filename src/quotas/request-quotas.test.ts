// Which AWS quota classes a request draws from (facts §13), and their defaults.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { defaultRateOf, quotaClassesOf } from './request-quotas.js'

describe('quotaClassesOf()', () => {
  it('puts a crypto request in the shared class of its key\'s spec', () => {
    assert.deepEqual(quotaClassesOf('Encrypt', 'SYMMETRIC_DEFAULT'), ['symmetric'])
    assert.deepEqual(quotaClassesOf('GenerateMac', 'HMAC_256'), ['symmetric'])
    assert.deepEqual(quotaClassesOf('Decrypt', 'RSA_2048'), ['rsa'])
    assert.deepEqual(quotaClassesOf('Sign', 'ECC_NIST_P256'), ['ecc'])
    assert.deepEqual(quotaClassesOf('Verify', 'ECC_NIST_EDWARDS25519'), ['ecc'])
    assert.deepEqual(quotaClassesOf('DeriveSharedSecret', 'ECC_NIST_P384'), ['ecc'])
    assert.deepEqual(quotaClassesOf('Sign', 'ML_DSA_65'), ['ml-dsa'])
    assert.deepEqual(quotaClassesOf('Encrypt', undefined), ['symmetric'], 'a key never resolved counts as symmetric')
  })

  it('charges GenerateRandom to the shared symmetric class and its own', () => {
    assert.deepEqual(quotaClassesOf('GenerateRandom', undefined), ['symmetric', 'GenerateRandom'])
  })

  it('charges a data key pair to its wrapping key\'s class and its pair spec\'s quota', () => {
    assert.deepEqual(quotaClassesOf('GenerateDataKeyPair', 'SYMMETRIC_DEFAULT', 'RSA_4096'), ['symmetric', 'GenerateDataKeyPair:RSA_4096'])
    assert.deepEqual(quotaClassesOf('GenerateDataKeyPairWithoutPlaintext', 'SYMMETRIC_DEFAULT', 'ECC_NIST_P256'), ['symmetric', 'GenerateDataKeyPair:ECC_NIST_P256'])
    assert.deepEqual(quotaClassesOf('GenerateDataKeyPair', 'SYMMETRIC_DEFAULT', 'constructor'), ['symmetric'], 'no class made from caller text')
  })

  it('gives each management operation its own class, with AWS\'s defaults', () => {
    assert.deepEqual(quotaClassesOf('CreateKey', undefined), ['CreateKey'])
    assert.equal(defaultRateOf('CreateKey'), 5)
    assert.equal(defaultRateOf('DescribeKey'), 2000)
    assert.equal(defaultRateOf('ListKeys'), 500)
    assert.equal(defaultRateOf('CreateGrant'), 50)
    assert.equal(defaultRateOf('symmetric'), 10_000)
    assert.equal(defaultRateOf('rsa'), 1000)
    assert.equal(defaultRateOf('GenerateDataKeyPair:RSA_4096'), 0.1)
    assert.equal(defaultRateOf('toString'), 5, 'no prototype member is a rate')
  })
})
