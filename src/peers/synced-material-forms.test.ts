// The receiver checks each synced version's material with importableMaterial (sync-key-set.ts). A sender's
// material is what CreateKey generated, so every spec CreateKey makes must pass that check, or a peer's
// legitimate sync of such a key would be refused.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createHarness, type Harness } from '../../test/support/harness.js'
import { ok } from '../../test/support/kms-fixtures.js'
import { importableMaterial } from '../operations/imported-material-format.js'
import { keySpecProfile } from '../operations/key-specs.js'
import { wireModel } from '../wire/model.generated.js'
import type { KeySpec } from '../keys/key.js'

const shape = wireModel.shapes.KeySpec
const SPECS = (shape?.type === 'string' ? shape.enum ?? [] : []) as KeySpec[]

describe('generated material is importable material of its spec', () => {
  let h: Harness
  before(async () => { h = await createHarness() })
  after(() => h.close())

  it('for every key spec CreateKey implements', async () => {
    const supported = SPECS.filter((spec) => keySpecProfile(spec).supported)
    assert.ok(supported.length > 10)
    for (const spec of supported) {
      const meta = (await ok(h, 'CreateKey', { KeySpec: spec, KeyUsage: keySpecProfile(spec).usages[0] })).KeyMetadata as { KeyId: string }
      const key = (await h.services.store.getKey(meta.KeyId))!
      const fits = await h.services.keyring.withMaterial(key, 1, (u) => {
        const checked = importableMaterial(spec, u.material)
        checked?.fill(0)
        return checked !== undefined
      })
      assert.equal(fits, true, spec)
    }
  })
})
