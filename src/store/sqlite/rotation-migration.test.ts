// A data folder from before rotation existed opens (the rotation columns arrive empty: rotation off, no version
// rotated), its keys then rotate, and the ciphertexts it held still decrypt with their original material.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { b64, createHarness, TEST_ACCOUNT, TEST_REGION } from '../../../test/support/harness.js'
import { DAY_MS, ok } from '../../../test/support/kms-fixtures.js'
import { previousPlaintext, writePreviousDatabase } from '../../../test/support/previous-database.js'
import { listRotations, rotationStatus } from '../../../test/support/rotation-fixtures.js'
import { rotateDueKeys } from '../../jobs/rotate-due-keys.js'
import { rewrapLegacyMaterial } from '../../keys/rewrap-material.js'
import { memoryLogger } from '../../logging/logger.js'

let dir: string
before(() => { dir = mkdtempSync(join(tmpdir(), 'trent-rotation-migration-')) })
after(() => rmSync(dir, { recursive: true, force: true }))

describe('the rotation migration', () => {
  it('opens an older database with rotation off, then rotates its keys without losing their ciphertexts', async () => {
    const path = join(dir, 'previous.db')
    const [old] = writePreviousDatabase(path, new Uint8Array(32).fill(7), TEST_ACCOUNT, TEST_REGION, ['SYMMETRIC_DEFAULT'])
    const h = await createHarness({ storePath: path })
    try {
      await rewrapLegacyMaterial(h.services.store, h.services.rootKey, memoryLogger())
      const status = await rotationStatus(h, old!.keyId)
      assert.equal(status.KeyRotationEnabled, false)
      assert.deepEqual(await listRotations(h, old!.keyId), [])
      assert.equal((await listRotations(h, old!.keyId, 'ALL_KEY_MATERIAL')).length, 1)
      await ok(h, 'EnableKeyRotation', { KeyId: old!.keyId, RotationPeriodInDays: 90 })
      await ok(h, 'RotateKeyOnDemand', { KeyId: old!.keyId })
      h.clock.advance(90 * DAY_MS)
      assert.deepEqual(await rotateDueKeys(h.services), [old!.keyId])
      assert.deepEqual((await listRotations(h, old!.keyId)).map((r) => r.RotationType), ['ON_DEMAND', 'AUTOMATIC'])
      const opened = await ok(h, 'Decrypt', { CiphertextBlob: b64(old!.ciphertext!) })
      assert.equal(opened.Plaintext, b64(previousPlaintext))
      assert.equal(opened.KeyMaterialId, old!.materialId)
    } finally {
      await h.close()
    }
  })
})
