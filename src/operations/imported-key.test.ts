// DescribeKey's key-level view of imported materials: the earliest ValidTo of what is still imported.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ImportedMaterial, KeyVersion } from '../keys/key.js'
import { summarizeImports } from './imported-key.js'

const at = (iso: string) => new Date(iso)
function version(n: number, imported?: ImportedMaterial): KeyVersion {
  const v: KeyVersion = { keyId: 'k', version: n, materialId: String(n).repeat(64), materialIdFormat: 2, wrappedMaterial: new Uint8Array(0), wrapFormat: 2, createdAt: at('2026-01-01T00:00:00Z') }
  if (imported) v.imported = imported
  return v
}
const expiring = (iso: string, importState: ImportedMaterial['importState'] = 'IMPORTED'): ImportedMaterial =>
  ({ importState, expirationModel: 'KEY_MATERIAL_EXPIRES', validTo: at(iso), pendingRotation: false })
const forever: ImportedMaterial = { importState: 'IMPORTED', expirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE', pendingRotation: false }

describe('summarizeImports()', () => {
  it('says nothing before the first import', () => {
    assert.deepEqual(summarizeImports({ currentVersion: 0 }, []), {})
  })

  it('gives the earliest ValidTo of the materials still imported, whichever is current', () => {
    const versions = [version(1, forever), version(2, expiring('2026-09-01T00:00:00Z')), version(3, expiring('2026-03-01T00:00:00Z')), version(4, expiring('2026-02-01T00:00:00Z', 'PENDING_IMPORT'))]
    assert.deepEqual(summarizeImports({ currentVersion: 1 }, versions), { expirationModel: 'KEY_MATERIAL_EXPIRES', validTo: at('2026-03-01T00:00:00Z') })
  })

  it('without expiring imported material, reports the current material\'s own model', () => {
    assert.deepEqual(summarizeImports({ currentVersion: 1 }, [version(1, forever)]), { expirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' })
    assert.deepEqual(summarizeImports({ currentVersion: 1 }, [version(1, expiring('2026-02-01T00:00:00Z', 'PENDING_IMPORT'))]), { expirationModel: 'KEY_MATERIAL_EXPIRES' })
  })
})
