// Red team: ImportKeyMaterial of EXISTING_KEY_MATERIAL plans from the rows it read (import-plan.ts: pendingRotation is
// copied from the row) and the upsert writes pending_rotation back unconditionally (statements.ts
// upsertImportedVersion). A RotateKeyOnDemand that promotes that material in between is undone: the now-current
// material is marked PENDING_ROTATION again, so no new material can be imported (otherMaterialPendingRotation) and
// the next RotateKeyOnDemand "rotates" onto the material that is already current.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { afterEach, describe, it } from 'node:test'
import { createHarness, type Harness } from '../../test/support/harness.js'
import { callImport, importMaterial } from '../../test/support/import-fixtures.js'
import { createKey, ok } from '../../test/support/kms-fixtures.js'
import type { Store } from '../store/store.js'

const NEW = { ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE', ImportType: 'NEW_KEY_MATERIAL' }
const EXISTING = { ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE', ImportType: 'EXISTING_KEY_MATERIAL', KeyMaterialDescription: 'refreshed' }

describe('re-importing pending material while it is promoted', () => {
  let h: Harness
  /** Runs once, inside the EXISTING re-import, after it planned and before it stores. */
  let between: (() => Promise<void>) | undefined
  afterEach(() => h.close())

  it('leaves the promoted material current and not pending rotation, so new material can be imported', async () => {
    h = await createHarness({
      wrapStore: (inner: Store) => ({
        ...inner,
        saveImportedVersion: async (version: Parameters<Store['saveImportedVersion']>[0]) => {
          if (between && version.imported?.description === 'refreshed') {
            const run = between
            between = undefined
            await run()
          }
          return inner.saveImportedVersion(version)
        },
      }),
    })
    const { keyId } = await createKey(h, { Origin: 'EXTERNAL' })
    await importMaterial(h, keyId, randomBytes(32))
    const second = randomBytes(32)
    const secondId = await importMaterial(h, keyId, second, { extra: NEW })
    h.clock.advance(60_000)
    between = async () => void (await ok(h, 'RotateKeyOnDemand', { KeyId: keyId }))
    const reimport = await callImport(h, keyId, second, { extra: EXISTING })
    assert.equal(reimport.status, 200, JSON.stringify(reimport.body))
    assert.equal(between, undefined, 'the rotation ran between the plan and the write')
    const meta = (await ok(h, 'DescribeKey', { KeyId: keyId })).KeyMetadata as Record<string, unknown>
    assert.equal(meta.CurrentKeyMaterialId, secondId)
    const all = (await ok(h, 'ListKeyRotations', { KeyId: keyId, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' })).Rotations as Array<Record<string, unknown>>
    assert.deepEqual(all.map((r) => r.KeyMaterialState), ['NON_CURRENT', 'CURRENT'], JSON.stringify(all))
    const third = await callImport(h, keyId, randomBytes(32), { extra: NEW })
    assert.equal(third.status, 200, `a third material is refused: ${JSON.stringify(third.body)}`)
  })
})
