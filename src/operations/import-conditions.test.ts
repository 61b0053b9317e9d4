// The import operations' condition keys reach the key policy: kms:WrappingAlgorithm and kms:WrappingKeySpec for
// GetParametersForImport, kms:ExpirationModel (its default when omitted) and kms:ValidTo for ImportKeyMaterial.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { TEST_ACCOUNT, b64, createHarness, type CallResult, type Harness } from '../../test/support/harness.js'
import { addUser, policyText, type TestIdentity } from '../../test/support/identities.js'
import { getImportParameters, wrapForImport } from '../../test/support/import-fixtures.js'
import { DAY_MS, createKey, type TestKey } from '../../test/support/kms-fixtures.js'

const rootAll = { Sid: 'Root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${TEST_ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }

function allowed(res: CallResult): void {
  assert.equal(res.status, 200, JSON.stringify(res.body))
}

function denied(res: CallResult): void {
  assert.equal(res.body.__type, 'AccessDeniedException', JSON.stringify(res.body))
}

describe('condition keys of the import operations', () => {
  let h: Harness
  let importer: TestIdentity
  let key: TestKey
  const latest = new Date('2026-03-01T00:00:00Z')

  before(async () => {
    h = await createHarness()
    importer = await addUser(h, 'importer')
    key = await createKey(h, { Origin: 'EXTERNAL', Policy: policyText(rootAll,
      { Effect: 'Allow', Principal: { AWS: importer.arn }, Action: 'kms:GetParametersForImport', Resource: '*',
        Condition: { StringEquals: { 'kms:WrappingAlgorithm': 'RSA_AES_KEY_WRAP_SHA_256', 'kms:WrappingKeySpec': 'RSA_3072' } } },
      { Effect: 'Allow', Principal: { AWS: importer.arn }, Action: 'kms:ImportKeyMaterial', Resource: '*',
        Condition: { StringEquals: { 'kms:ExpirationModel': 'KEY_MATERIAL_EXPIRES' }, DateLessThanEquals: { 'kms:ValidTo': latest.toISOString() } } }) })
  })
  after(() => h.close())

  const parameters = (algorithm: string, spec: string) =>
    h.call('GetParametersForImport', { KeyId: key.keyId, WrappingAlgorithm: algorithm, WrappingKeySpec: spec }, importer.credentials)

  it('kms:WrappingAlgorithm and kms:WrappingKeySpec decide GetParametersForImport', async () => {
    allowed(await parameters('RSA_AES_KEY_WRAP_SHA_256', 'RSA_3072'))
    denied(await parameters('RSAES_OAEP_SHA_256', 'RSA_3072'))
    denied(await parameters('RSA_AES_KEY_WRAP_SHA_256', 'RSA_2048'))
  })

  it('kms:ExpirationModel (defaulted when omitted) and kms:ValidTo decide ImportKeyMaterial', async () => {
    const params = await getImportParameters(h, key.keyId)
    const request = (extra: Record<string, unknown>) => h.call('ImportKeyMaterial', {
      KeyId: key.keyId, ImportToken: params.importToken, EncryptedKeyMaterial: b64(wrapForImport(params.publicKey, params.algorithm, randomBytes(32))), ...extra,
    }, importer.credentials)
    const seconds = (d: Date) => d.getTime() / 1000
    denied(await request({ ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }))
    denied(await request({ ValidTo: seconds(latest) + 1 }))
    assert.ok(latest.getTime() - h.clock.now().getTime() < 60 * DAY_MS)
    allowed(await request({ ValidTo: seconds(latest) }))
  })
})
