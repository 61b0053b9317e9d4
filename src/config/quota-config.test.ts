// loadQuotaSettings(): TRENT_QUOTAS, TRENT_QUOTA_BURST_SECONDS and one TRENT_QUOTA_<CLASS> per class.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ConfigError } from './config.js'
import { loadQuotaSettings, quotaEnvSuffix } from './quota-config.js'

describe('loadQuotaSettings()', () => {
  it('is on with AWS defaults and a one-second burst when nothing is set', () => {
    assert.deepEqual(loadQuotaSettings({}), { enabled: true, rates: {}, burstSeconds: 1, share: 1 })
  })

  it('reads a rate per class by its environment name, and the cluster share', () => {
    const s = loadQuotaSettings({
      TRENT_QUOTA_SYMMETRIC: '500', TRENT_QUOTA_ML_DSA: '20', TRENT_QUOTA_CREATE_KEY: '0.5',
      TRENT_QUOTA_GENERATE_DATA_KEY_PAIR_RSA_2048: '2', TRENT_QUOTA_BURST_SECONDS: '3', TRENT_QUOTAS: 'on',
    }, 0.25)
    assert.deepEqual(s, { enabled: true, rates: { symmetric: 500, 'ml-dsa': 20, CreateKey: 0.5, 'GenerateDataKeyPair:RSA_2048': 2 }, burstSeconds: 3, share: 0.25 })
  })

  it('turns off with TRENT_QUOTAS=off', () => {
    assert.equal(loadQuotaSettings({ TRENT_QUOTAS: 'off' }).enabled, false)
  })

  it('refuses a misspelt class, a bad number and a bad switch', () => {
    assert.throws(() => loadQuotaSettings({ TRENT_QUOTA_SYMETRIC: '5' }), ConfigError)
    assert.throws(() => loadQuotaSettings({ TRENT_QUOTA_SYMMETRIC: '0' }), ConfigError)
    assert.throws(() => loadQuotaSettings({ TRENT_QUOTA_SYMMETRIC: 'lots' }), ConfigError)
    assert.throws(() => loadQuotaSettings({ TRENT_QUOTA_BURST_SECONDS: '-1' }), ConfigError)
    assert.throws(() => loadQuotaSettings({ TRENT_QUOTAS: 'yes' }), ConfigError)
  })

  it('names classes in upper snake case', () => {
    assert.equal(quotaEnvSuffix('GenerateDataKeyPairWithoutPlaintext'), 'GENERATE_DATA_KEY_PAIR_WITHOUT_PLAINTEXT')
    assert.equal(quotaEnvSuffix('GenerateDataKeyPair:ECC_NIST_P256'), 'GENERATE_DATA_KEY_PAIR_ECC_NIST_P256')
  })
})
