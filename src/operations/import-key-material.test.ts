// ImportKeyMaterial and GetParametersForImport through the real pipeline: every wrapping algorithm, the 24-hour
// token, the exact errors, NEW vs EXISTING material, and the key state each import leaves.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { b64, createHarness, unb64, type Harness } from '../../test/support/harness.js'
import { callImport, getImportParameters, importMaterial, wrapForImport, type WrappingAlgorithm } from '../../test/support/import-fixtures.js'
import { assertAwsError, createKey, encryptUnder, ok, withOneAudit } from '../../test/support/kms-fixtures.js'

const INCORRECT_MATERIAL = 'The request was rejected because the key material in the request is, expired, invalid, or does not meet expectations. For example, it is not the same key material that was previously imported or KMS expected new key material but the key material being imported is already associated with the KMS key.'
const describeKey = async (h: Harness, keyId: string) => (await ok(h, 'DescribeKey', { KeyId: keyId })).KeyMetadata as Record<string, unknown>

describe('ImportKeyMaterial', () => {
  let h: Harness
  before(async () => { h = await createHarness() })
  after(() => h.close())

  it('CreateKey with Origin EXTERNAL makes a key in PendingImport, with no material and no material id', async () => {
    const res = await ok(h, 'CreateKey', { Origin: 'EXTERNAL' })
    const meta = res.KeyMetadata as Record<string, unknown>
    assert.equal(meta.Origin, 'EXTERNAL')
    assert.equal(meta.KeyState, 'PendingImport')
    assert.equal(meta.Enabled, false)
    assert.equal('CurrentKeyMaterialId' in meta, false)
    assert.equal('ExpirationModel' in meta, false)
    assertAwsError(await h.call('Encrypt', { KeyId: meta.KeyId, Plaintext: b64('x') }), 'KMSInvalidStateException', `${meta.Arn as string} is pending import.`)
  })

  for (const algorithm of ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256', 'RSA_AES_KEY_WRAP_SHA_1', 'RSA_AES_KEY_WRAP_SHA_256'] as WrappingAlgorithm[]) {
    it(`imports symmetric material wrapped with ${algorithm}; the key is Enabled and encrypts with it`, async () => {
      const key = await createKey(h, { Origin: 'EXTERNAL' })
      const material = randomBytes(32)
      const params = await getImportParameters(h, key.keyId, algorithm)
      const encrypted = b64(wrapForImport(params.publicKey, algorithm, material))
      const { res, record } = await withOneAudit(h, () => h.call('ImportKeyMaterial', {
        KeyId: key.keyId, ImportToken: params.importToken, EncryptedKeyMaterial: encrypted, ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
      }))
      assert.equal(res.status, 200, JSON.stringify(res.body))
      assert.equal(res.body.KeyId, key.arn)
      assert.match(res.body.KeyMaterialId as string, /^[0-9a-f]{64}$/)
      const text = JSON.stringify(record)
      for (const secret of [b64(material), encrypted, params.importToken]) assert.equal(text.includes(secret), false, 'no material, payload or token in the audit record')
      assert.deepEqual(record.requestParameters, { keyId: key.keyId, expirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' })
      const meta = await describeKey(h, key.keyId)
      assert.equal(meta.KeyState, 'Enabled')
      assert.equal(meta.CurrentKeyMaterialId, res.body.KeyMaterialId)
      assert.equal(meta.ExpirationModel, 'KEY_MATERIAL_DOES_NOT_EXPIRE')
      assert.equal('ValidTo' in meta, false)
      const blob = await encryptUnder(h, key.keyId, 'imported secret')
      assert.equal(unb64((await ok(h, 'Decrypt', { CiphertextBlob: blob })).Plaintext).toString(), 'imported secret')
    })
  }


  it('refuses a token made for another key, or altered, with InvalidImportTokenException', async () => {
    const a = await createKey(h, { Origin: 'EXTERNAL' })
    const b = await createKey(h, { Origin: 'EXTERNAL' })
    const params = await getImportParameters(h, a.keyId)
    const wrapped = b64(wrapForImport(params.publicKey, params.algorithm, randomBytes(32)))
    const message = 'The request was rejected because the provided import token is invalid or is associated with a different KMS key.'
    const base = { EncryptedKeyMaterial: wrapped, ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }
    assertAwsError(await h.call('ImportKeyMaterial', { ...base, KeyId: b.keyId, ImportToken: params.importToken }), 'InvalidImportTokenException', message)
    const token = unb64(params.importToken)
    token[token.length - 1]! ^= 1
    assertAwsError(await h.call('ImportKeyMaterial', { ...base, KeyId: a.keyId, ImportToken: token.toString('base64') }), 'InvalidImportTokenException', message)
    const later = unb64(params.importToken)
    later[5]! ^= 1 // the ParametersValidTo bytes: a token cannot be given a longer life
    assertAwsError(await h.call('ImportKeyMaterial', { ...base, KeyId: a.keyId, ImportToken: later.toString('base64') }), 'InvalidImportTokenException', message)
    assertAwsError(await h.call('ImportKeyMaterial', { ...base, KeyId: a.keyId, ImportToken: b64('short') }), 'InvalidImportTokenException', message)
    assert.equal((await describeKey(h, a.keyId)).KeyState, 'PendingImport')
  })

  it('answers a payload that does not unwrap with a bare InvalidCiphertextException', async () => {
    const key = await createKey(h, { Origin: 'EXTERNAL' })
    for (const algorithm of ['RSAES_OAEP_SHA_256', 'RSA_AES_KEY_WRAP_SHA_1'] as WrappingAlgorithm[]) {
      const params = await getImportParameters(h, key.keyId, algorithm)
      const wrapped = wrapForImport(params.publicKey, algorithm, randomBytes(32))
      wrapped[wrapped.length - 1]! ^= 1
      assertAwsError(await h.call('ImportKeyMaterial', { KeyId: key.keyId, ImportToken: params.importToken, EncryptedKeyMaterial: wrapped.toString('base64'), ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }),
        'InvalidCiphertextException', null)
      // Wrapped with the other OAEP hash than the token's algorithm says.
      const other = wrapForImport(params.publicKey, algorithm === 'RSAES_OAEP_SHA_256' ? 'RSAES_OAEP_SHA_1' : 'RSA_AES_KEY_WRAP_SHA_256', randomBytes(32))
      assertAwsError(await h.call('ImportKeyMaterial', { KeyId: key.keyId, ImportToken: params.importToken, EncryptedKeyMaterial: other.toString('base64'), ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }),
        'InvalidCiphertextException', null)
    }
  })

  it('refuses material that does not fit the key spec with IncorrectKeyMaterialException', async () => {
    const sym = await createKey(h, { Origin: 'EXTERNAL' })
    assertAwsError(await callImport(h, sym.keyId, randomBytes(16)), 'IncorrectKeyMaterialException', INCORRECT_MATERIAL)
    const hmac = await createKey(h, { Origin: 'EXTERNAL', KeySpec: 'HMAC_384', KeyUsage: 'GENERATE_VERIFY_MAC' })
    assertAwsError(await callImport(h, hmac.keyId, randomBytes(47)), 'IncorrectKeyMaterialException', INCORRECT_MATERIAL)
    assertAwsError(await callImport(h, hmac.keyId, randomBytes(129), { algorithm: 'RSA_AES_KEY_WRAP_SHA_256' }), 'IncorrectKeyMaterialException', INCORRECT_MATERIAL)
    const ec = await createKey(h, { Origin: 'EXTERNAL', KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' })
    const { generateKeyPairSync } = await import('node:crypto')
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ type: 'pkcs8', format: 'der' })
    assertAwsError(await callImport(h, ec.keyId, p384, { algorithm: 'RSA_AES_KEY_WRAP_SHA_256' }), 'IncorrectKeyMaterialException', INCORRECT_MATERIAL)
    assertAwsError(await callImport(h, ec.keyId, randomBytes(32)), 'IncorrectKeyMaterialException', INCORRECT_MATERIAL)
    for (const key of [sym, hmac, ec]) assert.equal((await describeKey(h, key.keyId)).KeyState, 'PendingImport')
  })

  it('checks ExpirationModel and ValidTo as AWS does', async () => {
    const key = await createKey(h, { Origin: 'EXTERNAL' })
    const now = h.clock.now().getTime() / 1000
    const material = randomBytes(32)
    assertAwsError(await callImport(h, key.keyId, material, { extra: {} }), 'ValidationException', 'A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES')
    assertAwsError(await callImport(h, key.keyId, material, { extra: { ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE', ValidTo: now + 60 } }),
      'ValidationException', 'A validTo date must not be set if the ExpirationModel is KEY_MATERIAL_DOES_NOT_EXPIRE')
    assertAwsError(await callImport(h, key.keyId, material, { extra: { ValidTo: now } }), 'ValidationException', 'The validTo date must be in the future.')
    assertAwsError(await callImport(h, key.keyId, material, { extra: { ValidTo: now + 365 * 86400 + 1 } }), 'ValidationException', 'The validTo date must be at most 365 days from now.')
    assert.equal((await callImport(h, key.keyId, material, { extra: { ValidTo: now + 365 * 86400 } })).status, 200)
    const meta = await describeKey(h, key.keyId)
    assert.equal(meta.ExpirationModel, 'KEY_MATERIAL_EXPIRES')
    assert.equal(meta.ValidTo, now + 365 * 86400)
  })

  it('answers keys of origin AWS_KMS with UnsupportedOperationException naming the origin, in all three operations', async () => {
    const key = await createKey(h)
    const message = `${key.arn} origin is AWS_KMS which is not valid for this operation.`
    assertAwsError(await h.call('GetParametersForImport', { KeyId: key.keyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' }), 'UnsupportedOperationException', message)
    assertAwsError(await h.call('ImportKeyMaterial', { KeyId: key.keyId, ImportToken: b64('t'), EncryptedKeyMaterial: b64('m'), ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }), 'UnsupportedOperationException', message)
    assertAwsError(await h.call('DeleteImportedKeyMaterial', { KeyId: key.keyId }), 'UnsupportedOperationException', message)
  })

})

describe('imported material over a key\'s life', () => {
  let h: Harness
  before(async () => { h = await createHarness() })
  after(() => h.close())

  it('re-importing the same material is EXISTING by default and keeps its id; other material is IncorrectKeyMaterialException', async () => {
    const key = await createKey(h, { Origin: 'EXTERNAL' })
    const material = randomBytes(32)
    const id = await importMaterial(h, key.keyId, material)
    assert.equal(await importMaterial(h, key.keyId, material, { extra: { ValidTo: h.clock.now().getTime() / 1000 + 3600, KeyMaterialDescription: 'renewed' } }), id)
    assert.equal((await describeKey(h, key.keyId)).ExpirationModel, 'KEY_MATERIAL_EXPIRES', 'a re-import sets the expiry anew')
    assertAwsError(await callImport(h, key.keyId, randomBytes(32)), 'IncorrectKeyMaterialException', INCORRECT_MATERIAL)
    assertAwsError(await callImport(h, key.keyId, material, { extra: { ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE', KeyMaterialId: 'a'.repeat(64) } }), 'IncorrectKeyMaterialException', INCORRECT_MATERIAL)
    assertAwsError(await callImport(h, key.keyId, material, { extra: { ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE', ImportType: 'NEW_KEY_MATERIAL' } }), 'IncorrectKeyMaterialException', INCORRECT_MATERIAL)
    assert.equal(await importMaterial(h, key.keyId, material, { extra: { ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE', KeyMaterialId: id } }), id)
  })


  it('NEW_KEY_MATERIAL adds material pending rotation; only one may wait; its deletion names it', async () => {
    const key = await createKey(h, { Origin: 'EXTERNAL' })
    const first = await importMaterial(h, key.keyId, randomBytes(32))
    const blob = await encryptUnder(h, key.keyId, 'under the first material')
    const second = await importMaterial(h, key.keyId, randomBytes(32), { extra: { ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE', ImportType: 'NEW_KEY_MATERIAL', KeyMaterialDescription: 'next year' } })
    assert.notEqual(second, first)
    const meta = await describeKey(h, key.keyId)
    assert.equal(meta.CurrentKeyMaterialId, first, 'pending material is not current')
    assert.equal(meta.KeyState, 'Enabled')
    const pending = (await h.services.store.listAllKeyVersions(key.keyId)).find((v) => v.materialId === second)
    assert.deepEqual(pending?.imported, { importState: 'IMPORTED', expirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE', description: 'next year', pendingRotation: true })
    const third = randomBytes(32)
    const refused = await callImport(h, key.keyId, third, { extra: { ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE', ImportType: 'NEW_KEY_MATERIAL' } })
    assert.equal(refused.body.__type, 'KMSInvalidStateException')
    assert.match(refused.body.message as string, new RegExp(`^New key material \\(id: [0-9a-f]{64}\\) cannot be imported into KMS key ${key.keyId}, because another key material \\(id: ${second}\\) is pending rotation\\.$`))
    assert.deepEqual(await ok(h, 'DeleteImportedKeyMaterial', { KeyId: key.keyId, KeyMaterialId: second }), { KeyId: key.arn, KeyMaterialId: second })
    assert.equal((await describeKey(h, key.keyId)).KeyState, 'PendingImport', 'every material must be imported for the key to be usable')
    assertAwsError(await h.call('Decrypt', { CiphertextBlob: blob }), 'KMSInvalidStateException', `${key.arn} is pending import.`)
    assertAwsError(await h.call('DeleteImportedKeyMaterial', { KeyId: key.keyId, KeyMaterialId: 'b'.repeat(64) }), 'NotFoundException', `Key material ${'b'.repeat(64)} is not associated with this KMS key.`)
  })

  it('asymmetric and HMAC material cannot change after the first import, and symmetric-only members are refused', async () => {
    const key = await createKey(h, { Origin: 'EXTERNAL', KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' })
    const material = randomBytes(40)
    await importMaterial(h, key.keyId, material)
    assertAwsError(await callImport(h, key.keyId, randomBytes(40), { extra: { ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE', ImportType: 'NEW_KEY_MATERIAL' } }), 'IncorrectKeyMaterialException', INCORRECT_MATERIAL)
    assertAwsError(await callImport(h, key.keyId, material, { extra: { ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE', KeyMaterialDescription: 'x' } }), 'ValidationException', 'KeyMaterialDescription is valid only for symmetric encryption KMS keys.')
  })

  it('two NEW_KEY_MATERIAL imports at once: one waits for rotation, the other is refused, and nothing is left half-written', async () => {
    const key = await createKey(h, { Origin: 'EXTERNAL' })
    await importMaterial(h, key.keyId, randomBytes(32))
    const requests = await Promise.all([0, 1].map(async () => {
      const params = await getImportParameters(h, key.keyId)
      return { KeyId: key.keyId, ImportToken: params.importToken, EncryptedKeyMaterial: b64(wrapForImport(params.publicKey, params.algorithm, randomBytes(32))), ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE', ImportType: 'NEW_KEY_MATERIAL' }
    }))
    const results = await Promise.all(requests.map((body) => h.call('ImportKeyMaterial', body)))
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 400])
    assert.equal(results.find((r) => r.status === 400)!.body.__type, 'KMSInvalidStateException')
    const versions = await h.services.store.listAllKeyVersions(key.keyId)
    assert.deepEqual(versions.map((v) => [v.version, v.imported?.pendingRotation]), [[1, false], [2, true]])
    assert.equal(versions[1]!.materialId, results.find((r) => r.status === 200)!.body.KeyMaterialId)
  })
})
