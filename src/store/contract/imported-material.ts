// Contract: imported key material (EXTERNAL keys): saving and re-importing a version, destroying its bytes
// while keeping the row, the expiry listing, and material pending rotation and its promotion.
import assert from 'node:assert/strict'
import { describe } from 'node:test'
import type { ImportedMaterial, KeyVersion } from '../../keys/key.js'
import { StoreConflictError } from '../store.js'
import { at, keyIdOf, makeKey, makeVersion, plainVersion, storeTest, type OpenStore } from './fixtures.js'

const expires = (iso: string, overrides: Partial<ImportedMaterial> = {}): ImportedMaterial =>
  ({ importState: 'IMPORTED', expirationModel: 'KEY_MATERIAL_EXPIRES', validTo: at(iso), pendingRotation: false, ...overrides })
const forever: ImportedMaterial = { importState: 'IMPORTED', expirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE', pendingRotation: false }

function importedVersion(keyId: string, version: number, imported: ImportedMaterial, fill = version): KeyVersion {
  return { ...makeVersion(keyId, version, fill), imported }
}

export function describeImportedMaterial(open: OpenStore): void {
  const test = storeTest(open)
  const external = (n: number) => makeKey(keyIdOf(n), { origin: 'EXTERNAL', keyState: 'PendingImport', currentVersion: 0 })

  describe('imported key material', () => {
    test('saveImportedVersion() stores the version, makes the first material current and enables the key, and writes nothing else', async (store) => {
      const key = external(1)
      await store.insertKey(key, null, [])
      const v1 = importedVersion(key.keyId, 1, expires('2025-01-01T00:00:00.001Z', { description: 'first import' }))
      await store.saveImportedVersion(v1)
      assert.deepEqual(plainVersion(await store.getKeyVersion(key.keyId, 1)), v1)
      assert.deepEqual(await store.getKey(key.keyId), { ...key, keyState: 'Enabled', currentVersion: 1 })
      const v2 = importedVersion(key.keyId, 2, { ...forever, pendingRotation: true })
      await store.saveImportedVersion(v2)
      assert.deepEqual((await store.listAllKeyVersions(key.keyId)).map(plainVersion), [v1, v2])
      assert.equal((await store.getKey(key.keyId))?.currentVersion, 1, 'later material does not become current')
      assert.deepEqual(await store.listAllKeyVersions(keyIdOf(9)), [])
    })

    test('saveImportedVersion() enables a PendingImport key only once none of its material awaits import', async (store) => {
      const key = external(1)
      await store.insertKey(key, null, [])
      await store.saveImportedVersion(importedVersion(key.keyId, 1, forever))
      await store.saveImportedVersion(importedVersion(key.keyId, 2, { ...forever, pendingRotation: true }))
      await store.deleteImportedVersion(key.keyId, 1)
      await store.deleteImportedVersion(key.keyId, 2)
      await store.saveImportedVersion(importedVersion(key.keyId, 2, { ...forever, pendingRotation: true }))
      assert.equal((await store.getKey(key.keyId))?.keyState, 'PendingImport')
      await store.saveImportedVersion(importedVersion(key.keyId, 1, forever))
      assert.equal((await store.getKey(key.keyId))?.keyState, 'Enabled')
    })

    test('saveImportedVersion() leaves a Disabled or pending-deletion key in its state', async (store) => {
      const disabled = { ...external(1), keyState: 'Disabled' as const, currentVersion: 1 }
      const doomed = { ...external(2), keyState: 'PendingDeletion' as const, deletionDate: at('2025-02-01T00:00:00.000Z'), pendingWindowDays: 7, currentVersion: 1 }
      for (const key of [disabled, doomed]) {
        await store.insertKey(key, null, [])
        await store.saveImportedVersion(importedVersion(key.keyId, 1, forever))
        assert.deepEqual(await store.getKey(key.keyId), key)
      }
    })

    test('saveImportedVersion() replaces a version only with the same material, else StoreConflictError', async (store) => {
      const key = external(1)
      await store.insertKey(key, null, [])
      const v1 = importedVersion(key.keyId, 1, expires('2025-01-01T00:00:00.001Z'))
      await store.saveImportedVersion(v1)
      await store.deleteImportedVersion(key.keyId, 1)
      const reimported = { ...v1, wrappedMaterial: new Uint8Array(60).fill(0xaa), imported: forever }
      const other = importedVersion(key.keyId, 1, forever, 7)
      await assert.rejects(store.saveImportedVersion(other), StoreConflictError)
      assert.equal((await store.getKeyVersion(key.keyId, 1))?.imported?.importState, 'PENDING_IMPORT')
      assert.equal((await store.getKey(key.keyId))?.keyState, 'PendingImport', 'the key was not written either')
      await store.saveImportedVersion(reimported)
      assert.deepEqual(plainVersion(await store.getKeyVersion(key.keyId, 1)), reimported)
      assert.equal((await store.getKey(key.keyId))?.keyState, 'Enabled')
    })

    test('deleteImportedVersion() destroys the bytes, keeps the row and id, and moves the key to PendingImport', async (store) => {
      const key = { ...external(1), keyState: 'Enabled' as const, currentVersion: 1 }
      await store.insertKey(key, null, [])
      const v1 = importedVersion(key.keyId, 1, expires('2025-01-01T00:00:00.001Z'))
      await store.saveImportedVersion(v1)
      assert.equal(await store.deleteImportedVersion(key.keyId, 1), true)
      const after = await store.getKeyVersion(key.keyId, 1)
      assert.equal(after?.wrappedMaterial.length, 0)
      assert.equal(after?.materialId, v1.materialId)
      assert.deepEqual(after?.imported, { ...v1.imported, importState: 'PENDING_IMPORT' })
      assert.equal((await store.getKey(key.keyId))?.keyState, 'PendingImport')
      assert.equal(await store.deleteImportedVersion(key.keyId, 1), false, 'already gone: nothing to do')
      assert.equal(await store.deleteImportedVersion(key.keyId, 5), false)
    })

    test('deleteImportedVersion() leaves a key pending deletion in that state', async (store) => {
      const key = { ...external(1), keyState: 'PendingDeletion' as const, deletionDate: at('2025-02-01T00:00:00.000Z'), pendingWindowDays: 7, currentVersion: 1 }
      await store.insertKey(key, null, [])
      await store.saveImportedVersion(importedVersion(key.keyId, 1, forever))
      assert.equal(await store.deleteImportedVersion(key.keyId, 1), true)
      assert.deepEqual(await store.getKey(key.keyId), key)
    })

    test('listExpiredImportedVersions() lists imported material due by now, earliest first; expiredBy guards the delete', async (store) => {
      const key = { ...external(1), keyState: 'Enabled' as const, currentVersion: 1 }
      await store.insertKey(key, null, [])
      await store.saveImportedVersion(importedVersion(key.keyId, 1, expires('2025-01-02T00:00:00.000Z')))
      await store.saveImportedVersion(importedVersion(key.keyId, 2, expires('2025-01-01T00:00:00.000Z', { pendingRotation: true })))
      await store.saveImportedVersion(importedVersion(key.keyId, 3, forever))
      const now = at('2025-01-02T00:00:00.000Z')
      assert.deepEqual((await store.listExpiredImportedVersions(at('2024-12-31T23:59:59.999Z'), 10)), [])
      assert.deepEqual((await store.listExpiredImportedVersions(now, 10)).map((v) => v.version), [2, 1])
      assert.deepEqual((await store.listExpiredImportedVersions(now, 1)).map((v) => v.version), [2])
      assert.equal(await store.deleteImportedVersion(key.keyId, 1, at('2025-01-01T23:59:59.999Z')), false, 'not expired by then')
      assert.equal(await store.deleteImportedVersion(key.keyId, 1, now), true)
      assert.deepEqual((await store.listExpiredImportedVersions(now, 10)).map((v) => v.version), [2])
    })

    test('getPendingRotationVersion() and promotePendingVersion() make pending material current once', async (store) => {
      const key = { ...external(1), keyState: 'Enabled' as const, currentVersion: 1 }
      await store.insertKey(key, null, [])
      await store.saveImportedVersion(importedVersion(key.keyId, 1, forever))
      assert.equal(await store.getPendingRotationVersion(key.keyId), undefined)
      const v2 = importedVersion(key.keyId, 2, { ...forever, pendingRotation: true })
      await store.saveImportedVersion(v2)
      assert.deepEqual(plainVersion(await store.getPendingRotationVersion(key.keyId)), v2)
      assert.equal(await store.promotePendingVersion(key.keyId, 2, new Date(5_000)), true)
      assert.equal((await store.getKey(key.keyId))?.currentVersion, 2)
      assert.equal((await store.getKeyVersion(key.keyId, 2))?.imported?.pendingRotation, false)
      assert.deepEqual((await store.getKeyVersion(key.keyId, 2))?.rotation, { type: 'ON_DEMAND', rotatedAt: new Date(5_000) })
      assert.equal(await store.getPendingRotationVersion(key.keyId), undefined)
      assert.equal(await store.promotePendingVersion(key.keyId, 2, new Date(5_000)), false)
    })

    test('promotePendingVersion() refuses pending material whose bytes were deleted', async (store) => {
      const key = { ...external(1), keyState: 'Enabled' as const, currentVersion: 1 }
      await store.insertKey(key, null, [])
      await store.saveImportedVersion(importedVersion(key.keyId, 1, forever))
      await store.saveImportedVersion(importedVersion(key.keyId, 2, { ...forever, pendingRotation: true }))
      await store.deleteImportedVersion(key.keyId, 2)
      assert.equal((await store.getPendingRotationVersion(key.keyId))?.version, 2, 'still the pending one')
      assert.equal(await store.promotePendingVersion(key.keyId, 2, new Date(5_000)), false)
      assert.equal((await store.getKey(key.keyId))?.currentVersion, 1)
    })

    test('versions of generated material carry no import fields', async (store) => {
      const key = makeKey(keyIdOf(1))
      await store.insertKey(key, makeVersion(key.keyId, 1), [])
      assert.equal('imported' in (await store.getKeyVersion(key.keyId, 1))!, false)
      assert.deepEqual(await store.listExpiredImportedVersions(at('2999-01-01T00:00:00.000Z'), 10), [])
    })
  })
}
