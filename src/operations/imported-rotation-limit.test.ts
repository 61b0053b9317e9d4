// Red team: RotateKeyOnDemand on an imported (EXTERNAL) key promotes pending material without consulting the
// 25-per-key on-demand limit (facts §9, §13: AWS counts these rotations; docs/architecture-notes.md admits it), so
// an imported key rotates on demand without bound, where AWS answers LimitExceededException on the 26th.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { createHarness, type Harness } from '../../test/support/harness.js'
import { importMaterial } from '../../test/support/import-fixtures.js'
import { assertAwsError, createKey, ok } from '../../test/support/kms-fixtures.js'
import { ON_DEMAND_ROTATION_LIMIT } from '../keys/rotation-rules.js'

const NEW = { ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE', ImportType: 'NEW_KEY_MATERIAL' }

describe('the on-demand rotation limit on an imported key', () => {
  let h: Harness
  before(async () => { h = await createHarness() })
  after(() => h.close())

  it('refuses the rotation past the limit with LimitExceededException', async () => {
    const key = await createKey(h, { Origin: 'EXTERNAL' })
    await importMaterial(h, key.keyId, randomBytes(32))
    for (let i = 0; i < ON_DEMAND_ROTATION_LIMIT; i++) {
      await importMaterial(h, key.keyId, randomBytes(32), { extra: NEW })
      h.clock.advance(60_000)
      await ok(h, 'RotateKeyOnDemand', { KeyId: key.keyId })
    }
    await importMaterial(h, key.keyId, randomBytes(32), { extra: NEW })
    h.clock.advance(60_000)
    await assertAwsError(await h.call('RotateKeyOnDemand', { KeyId: key.keyId }), 'LimitExceededException',
      `The on-demand rotations limit has been reached for the given keyId. No more on-demand rotations can be performed for this key: ${key.arn}`)
    const rotations = (await ok(h, 'ListKeyRotations', { KeyId: key.keyId, Limit: 1000 })).Rotations as unknown[]
    assert.equal(rotations.length, ON_DEMAND_ROTATION_LIMIT)
  })
})
