// Red team: Store.updateKey writes the whole key row (state, deletion date, description, policy) from the copy the
// operation read at its start, with no compare-and-set. An operation that changes one field (PutKeyPolicy,
// UpdateKeyDescription) and overlaps a state change (DisableKey, CancelKeyDeletion, DeleteImportedKeyMaterial, the
// import-expiry job) writes the old state back: a key an administrator disabled is enabled again, and a cancelled
// deletion is scheduled again (the key is then destroyed). The overlap is forced here by running the state change
// between PutKeyPolicy's read and its write; across cluster workers the stale read can come from a cache.
import { afterEach, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createHarness, TEST_ACCOUNT, type Harness } from '../../test/support/harness.js'
import { randomBytes } from 'node:crypto'
import { importMaterial } from '../../test/support/import-fixtures.js'
import { createKey, ok } from '../../test/support/kms-fixtures.js'
import type { Store } from '../store/store.js'
import { defaultKeyPolicy } from './key-policy.js'

const MARKER = 'Race marker'
const markedPolicy = defaultKeyPolicy(TEST_ACCOUNT).replace('Enable IAM User Permissions', MARKER)

describe('a policy update overlapping a key state change', () => {
  let h: Harness
  /** Runs once, inside PutKeyPolicy, after it read the key and before it writes it. */
  let between: (() => Promise<void>) | undefined

  const start = async () => {
    h = await createHarness({
      wrapStore: (inner: Store) => ({
        ...inner,
        updateKey: async (key: Parameters<Store['updateKey']>[0], read: Parameters<Store['updateKey']>[1]) => {
          if (between && key.policy.includes(MARKER)) {
            const run = between
            between = undefined
            await run()
          }
          return inner.updateKey(key, read)
        },
      }),
    })
  }
  afterEach(() => h.close())

  const state = async (keyId: string) => ((await ok(h, 'DescribeKey', { KeyId: keyId })).KeyMetadata as { KeyState: string }).KeyState

  it('leaves a key that DisableKey disabled meanwhile disabled', async () => {
    await start()
    const { keyId } = await createKey(h)
    between = async () => void (await ok(h, 'DisableKey', { KeyId: keyId }))
    await ok(h, 'PutKeyPolicy', { KeyId: keyId, PolicyName: 'default', Policy: markedPolicy })
    assert.equal(between, undefined, 'the state change ran between the read and the write')
    assert.equal(await state(keyId), 'Disabled', 'PutKeyPolicy re-enabled a key disabled while it ran')
  })

  it('leaves a deletion that CancelKeyDeletion cancelled meanwhile cancelled', async () => {
    await start()
    const { keyId } = await createKey(h)
    await ok(h, 'ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 7 })
    between = async () => void (await ok(h, 'CancelKeyDeletion', { KeyId: keyId }))
    await ok(h, 'PutKeyPolicy', { KeyId: keyId, PolicyName: 'default', Policy: markedPolicy })
    assert.equal(between, undefined, 'the state change ran between the read and the write')
    assert.equal(await state(keyId), 'Disabled', 'PutKeyPolicy put back the deletion CancelKeyDeletion had cancelled')
  })

  it('leaves a key whose imported material DeleteImportedKeyMaterial destroyed meanwhile PendingImport (not Enabled and failing with 500s)', async () => {
    await start()
    const { keyId } = await createKey(h, { Origin: 'EXTERNAL' })
    await importMaterial(h, keyId, randomBytes(32), { extra: { ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' } })
    between = async () => void (await ok(h, 'DeleteImportedKeyMaterial', { KeyId: keyId }))
    await ok(h, 'PutKeyPolicy', { KeyId: keyId, PolicyName: 'default', Policy: markedPolicy })
    assert.equal(between, undefined, 'the state change ran between the read and the write')
    const encrypted = await h.call('Encrypt', { KeyId: keyId, Plaintext: Buffer.from('x').toString('base64') })
    assert.notEqual(encrypted.status, 500, `Encrypt answered ${JSON.stringify(encrypted.body)}`)
    assert.equal(await state(keyId), 'PendingImport', 'PutKeyPolicy made a key without material Enabled')
  })
})
