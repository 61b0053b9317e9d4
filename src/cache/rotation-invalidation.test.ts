// A rotation invalidates cached key rows like any other key write: in the writing process at once, in another
// process (a second Trent on the same data folder) through the change feed. Both then encrypt under the new
// material, and each decrypts what the other sealed under any version.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { b64, createHarness, type Harness } from '../../test/support/harness.js'
import { DAY_MS, createKey, ok } from '../../test/support/kms-fixtures.js'
import { currentMaterialId } from '../../test/support/rotation-fixtures.js'
import { rotateDueKeys } from '../jobs/rotate-due-keys.js'

describe('a rotation and the caches of two processes', () => {
  let dir: string
  let a: Harness
  let b: Harness
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trent-rotation-cache-'))
    // No background poll: only a local write or pollNow() can bring a change in.
    a = await createHarness({ storePath: join(dir, 'trent.db'), cachePollMs: 600_000 })
    b = await createHarness({ storePath: join(dir, 'trent.db'), cachePollMs: 600_000 })
  })
  afterEach(async () => {
    await a.close()
    await b.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const sealedMaterial = async (h: Harness, keyId: string) => (await ok(h, 'GenerateDataKey', { KeyId: keyId, NumberOfBytes: 16 })).KeyMaterialId

  it('the other process encrypts under the new material once it polls the feed, and decrypts either version meanwhile', async () => {
    const key = await createKey(a)
    const first = await sealedMaterial(a, key.keyId)
    assert.equal(await sealedMaterial(b, key.keyId), first, 'b has the key cached')
    await ok(b, 'RotateKeyOnDemand', { KeyId: key.keyId })
    const second = await currentMaterialId(b, key.keyId)
    assert.equal(await sealedMaterial(b, key.keyId), second, 'the writer sees its rotation at once')
    const fromB = (await ok(b, 'Encrypt', { KeyId: key.keyId, Plaintext: b64('sealed by b') })).CiphertextBlob
    assert.equal((await ok(a, 'Decrypt', { CiphertextBlob: fromB })).KeyMaterialId, second, 'a reads the new version from the store')
    await a.services.changes.pollNow()
    assert.equal(await sealedMaterial(a, key.keyId), second)
    assert.equal(await currentMaterialId(a, key.keyId), second)
  })

  it('the job\'s rotation in one process reaches the other through the feed', async () => {
    const key = await createKey(a)
    await ok(a, 'EnableKeyRotation', { KeyId: key.keyId, RotationPeriodInDays: 90 })
    await sealedMaterial(b, key.keyId)
    a.clock.advance(90 * DAY_MS)
    b.clock.advance(90 * DAY_MS)
    assert.deepEqual(await rotateDueKeys(a.services), [key.keyId])
    await b.services.changes.pollNow()
    assert.equal(await sealedMaterial(b, key.keyId), await currentMaterialId(a, key.keyId))
  })
})
