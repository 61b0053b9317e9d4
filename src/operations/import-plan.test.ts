// ImportKeyMaterial's pure decisions: ExpirationModel with ValidTo, and where material goes (new version,
// pending rotation, or back into its own version), with AWS's exceptions.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { KeyRecord, KeyVersion } from '../keys/key.js'
import { KmsError } from '../wire/kms-error.js'
import { chooseExpiration, planImport } from './import-plan.js'

const now = new Date('2026-01-15T10:00:00.000Z')
const DAY = 86_400_000
const key: KeyRecord = {
  keyId: '1234abcd-12ab-34cd-56ef-1234567890ab', accountId: '111122223333', region: 'us-east-1', createdAt: now, description: '',
  keySpec: 'SYMMETRIC_DEFAULT', keyUsage: 'ENCRYPT_DECRYPT', origin: 'EXTERNAL', keyState: 'Enabled', policy: '{}', currentVersion: 1, multiRegion: false,
}
const id = (c: string) => c.repeat(64)
function version(n: number, materialId: string, pendingRotation = false, description?: string): KeyVersion {
  const v: KeyVersion = { keyId: key.keyId, version: n, materialId, materialIdFormat: 2, wrappedMaterial: new Uint8Array(61), wrapFormat: 2, createdAt: now,
    imported: { importState: 'IMPORTED', expirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE', pendingRotation } }
  if (description !== undefined) v.imported!.description = description
  return v
}

function throwsKms(f: () => unknown, name: string, message?: string): void {
  assert.throws(f, (e: unknown) => e instanceof KmsError && e.name === name && (message === undefined || e.message === message))
}

describe('chooseExpiration()', () => {
  it('defaults to KEY_MATERIAL_EXPIRES, which needs a ValidTo after now and at most 365 days ahead', () => {
    throwsKms(() => chooseExpiration({}, now), 'ValidationException', 'A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES')
    throwsKms(() => chooseExpiration({ ValidTo: now }, now), 'ValidationException', 'The validTo date must be in the future.')
    throwsKms(() => chooseExpiration({ ValidTo: new Date(now.getTime() + 365 * DAY + 1) }, now), 'ValidationException')
    const last = new Date(now.getTime() + 365 * DAY)
    assert.deepEqual(chooseExpiration({ ValidTo: last }, now), { expirationModel: 'KEY_MATERIAL_EXPIRES', validTo: last })
    assert.deepEqual(chooseExpiration({ ValidTo: new Date(now.getTime() + 1) }, now).expirationModel, 'KEY_MATERIAL_EXPIRES')
  })

  it('KEY_MATERIAL_DOES_NOT_EXPIRE forbids ValidTo', () => {
    assert.deepEqual(chooseExpiration({ ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }, now), { expirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' })
    throwsKms(() => chooseExpiration({ ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE', ValidTo: new Date(now.getTime() + DAY) }, now), 'ValidationException')
  })
})

describe('planImport()', () => {
  it('the first material is version 1 and current; no ImportType means NEW before any import', () => {
    assert.deepEqual(planImport({ ...key, currentVersion: 0 }, [], id('a'), {}), { version: 1, pendingRotation: false })
    assert.deepEqual(planImport({ ...key, currentVersion: 0 }, [], id('a'), { description: 'd' }), { version: 1, pendingRotation: false, description: 'd' })
    throwsKms(() => planImport({ ...key, currentVersion: 0 }, [], id('a'), { importType: 'EXISTING_KEY_MATERIAL' }), 'IncorrectKeyMaterialException')
  })

  it('afterwards no ImportType means EXISTING: the same material goes back to its version and keeps its description', () => {
    const v1 = version(1, id('a'), false, 'kept')
    assert.deepEqual(planImport(key, [v1], id('a'), {}), { version: 1, existing: v1, pendingRotation: false, description: 'kept' })
    assert.equal(planImport(key, [v1], id('a'), { description: 'new' }).description, 'new')
    assert.equal(planImport(key, [v1], id('a'), { keyMaterialId: id('a') }).version, 1)
    throwsKms(() => planImport(key, [v1], id('b'), {}), 'IncorrectKeyMaterialException')
    throwsKms(() => planImport(key, [v1], id('a'), { keyMaterialId: id('c') }), 'IncorrectKeyMaterialException')
  })

  it('NEW material on a symmetric key waits in PENDING_ROTATION, one at a time, and must really be new', () => {
    const v1 = version(1, id('a'))
    assert.deepEqual(planImport(key, [v1], id('b'), { importType: 'NEW_KEY_MATERIAL' }), { version: 2, pendingRotation: true })
    const v2 = version(2, id('b'), true)
    throwsKms(() => planImport(key, [v1, v2], id('c'), { importType: 'NEW_KEY_MATERIAL' }), 'KMSInvalidStateException',
      `New key material (id: ${id('c')}) cannot be imported into KMS key ${key.keyId}, because another key material (id: ${id('b')}) is pending rotation.`)
    throwsKms(() => planImport(key, [v1], id('a'), { importType: 'NEW_KEY_MATERIAL' }), 'IncorrectKeyMaterialException')
    throwsKms(() => planImport(key, [v1], id('b'), { importType: 'NEW_KEY_MATERIAL', keyMaterialId: id('b') }), 'ValidationException')
    assert.equal(planImport(key, [v1, { ...v2, imported: { ...v2.imported!, pendingRotation: false } }], id('c'), { importType: 'NEW_KEY_MATERIAL' }).version, 3)
  })

  it('asymmetric and HMAC keys take no second material', () => {
    const hmac = { ...key, keySpec: 'HMAC_256' as const, keyUsage: 'GENERATE_VERIFY_MAC' as const }
    throwsKms(() => planImport(hmac, [version(1, id('a'))], id('b'), { importType: 'NEW_KEY_MATERIAL' }), 'IncorrectKeyMaterialException')
    assert.equal(planImport(hmac, [version(1, id('a'))], id('a'), {}).version, 1)
  })
})
