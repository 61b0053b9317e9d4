// changeKey: a lost compare-and-set re-reads the key and holds the fresh row to the key-state table and the
// operation's preconditions before retrying; it gives up, changing nothing, after CHANGE_KEY_ATTEMPTS losses.
import assert from 'node:assert/strict'
import { afterEach, describe, it } from 'node:test'
import { createHarness, type Harness } from '../../test/support/harness.js'
import { assertAwsError, createKey, ok } from '../../test/support/kms-fixtures.js'
import type { Store } from '../store/store.js'
import { CHANGE_KEY_ATTEMPTS } from './change-key.js'

type UpdateKey = Store['updateKey']

describe('changeKey', () => {
  let h: Harness
  /** Called instead of the store's updateKey when set; receives the real one. */
  let intercept: ((inner: UpdateKey, ...args: Parameters<UpdateKey>) => Promise<boolean>) | undefined
  let calls = 0
  const start = async () => {
    calls = 0
    intercept = undefined
    h = await createHarness({
      wrapStore: (inner: Store) => ({
        ...inner,
        updateKey: async (next, read) => {
          calls++
          return intercept ? intercept(inner.updateKey.bind(inner), next, read) : inner.updateKey(next, read)
        },
      }),
    })
  }
  afterEach(() => h.close())

  const state = async (keyId: string) => ((await ok(h, 'DescribeKey', { KeyId: keyId })).KeyMetadata as { KeyState: string; Description: string })

  it('answers the state exception the fresh row calls for: a deletion scheduled meanwhile refuses a second schedule', async () => {
    await start()
    const { keyId, arn } = await createKey(h)
    let raced = false
    intercept = async (inner, next, read) => {
      if (!raced) {
        raced = true
        intercept = undefined
        assert.ok(await inner({ ...read, keyState: 'PendingDeletion', deletionDate: new Date(h.clock.now().getTime() + 30 * 86_400_000), pendingWindowDays: 30 }, read))
      }
      return inner(next, read)
    }
    await assertAwsError(await h.call('ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 7 }), 'KMSInvalidStateException', `${arn} is pending deletion.`)
    const stored = await h.services.store.getKey(keyId)
    assert.equal(stored?.pendingWindowDays, 30, 'the first schedule stands')
  })

  it('recomputes the change from the fresh row: a description update keeps a state change made meanwhile', async () => {
    await start()
    const { keyId } = await createKey(h)
    intercept = async (inner, next, read) => {
      intercept = undefined
      assert.ok(await inner({ ...read, keyState: 'Disabled' }, read))
      return inner(next, read)
    }
    await ok(h, 'UpdateKeyDescription', { KeyId: keyId, Description: 'after the race' })
    const meta = await state(keyId)
    assert.equal(meta.KeyState, 'Disabled')
    assert.equal(meta.Description, 'after the race')
  })

  it(`fails with KMSInternalException after ${CHANGE_KEY_ATTEMPTS} lost compare-and-sets, changing nothing`, async () => {
    await start()
    const { keyId } = await createKey(h)
    calls = 0
    intercept = async () => false
    await assertAwsError(await h.call('DisableKey', { KeyId: keyId }), 'KMSInternalException', /internal exception/, 500)
    assert.equal(calls, CHANGE_KEY_ATTEMPTS)
    intercept = undefined
    assert.equal((await state(keyId)).KeyState, 'Enabled')
  })

  it('answers NotFoundException when the key was destroyed meanwhile', async () => {
    await start()
    const { keyId, arn } = await createKey(h)
    intercept = async (inner, next, read) => {
      intercept = undefined
      await h.services.store.destroyKey(read.keyId)
      return inner(next, read)
    }
    await assertAwsError(await h.call('DisableKey', { KeyId: keyId }), 'NotFoundException', `Key '${arn}' does not exist`)
  })
})
