// The last-use tracker on its own, with the ManualClock and a store that can fail: the latest use per key
// wins in memory, a failed flush keeps its uses for the next one, and the tracking start is set only once.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { ManualClock } from '../config/clock.js'
import { memoryLogger } from '../logging/logger.js'
import type { KeyRecord } from './key.js'
import type { KeyLastUse } from './last-use.js'
import { LastUseTracker, TRACKING_START_SETTING, isTrackedOperation } from './last-use-tracker.js'

const key = (keyId: string) => ({ keyId }) as KeyRecord

function fakeStore() {
  const settings = new Map<string, string>()
  const stored = new Map<string, KeyLastUse>()
  const state = { failing: false, writes: 0 }
  return {
    state, stored, settings,
    async recordKeyLastUses(uses: readonly KeyLastUse[]) {
      state.writes += 1
      if (state.failing) throw new Error('disk full')
      for (const u of uses) stored.set(u.keyId, u)
    },
    async getKeyLastUse(keyId: string) { return stored.get(keyId) },
    async getOrInitSetting(name: string, value: string) {
      if (!settings.has(name)) settings.set(name, value)
      return settings.get(name)!
    },
  }
}

describe('LastUseTracker', () => {
  const clock = new ManualClock(new Date('2026-02-01T00:00:00Z'))
  const at = (n: number) => ({ usedAt: clock.now(), eventId: `e${n}`, requestId: `r${n}` })

  it('tracks exactly the model\'s KeyLastUsageTrackingOperation values', () => {
    for (const op of ['Encrypt', 'Decrypt', 'ReEncrypt', 'Sign', 'Verify', 'GenerateMac', 'VerifyMac', 'DeriveSharedSecret', 'GenerateDataKeyPairWithoutPlaintext']) assert.ok(isTrackedOperation(op), op)
    for (const op of ['DescribeKey', 'GetPublicKey', 'CreateGrant', 'GenerateRandom', 'GetKeyLastUsage']) assert.equal(isTrackedOperation(op), false, op)
  })

  it('keeps the latest use per key and ignores operations that are no use', async () => {
    const store = fakeStore()
    const tracker = new LastUseTracker({ store, clock, logger: memoryLogger() })
    tracker.noteSuccess('Encrypt', [key('a')], at(1))
    clock.advance(1000)
    tracker.noteSuccess('Decrypt', [key('a'), key('b')], at(2))
    tracker.noteSuccess('DescribeKey', [key('a')], at(3))
    assert.equal((await tracker.lastUse('a'))?.operation, 'Decrypt')
    assert.equal((await tracker.lastUse('b'))?.eventId, 'e2')
    await tracker.flush()
    assert.deepEqual([...store.stored.keys()].sort(), ['a', 'b'])
    assert.equal(store.state.writes, 1)
  })

  it('keeps the uses of a failed flush and writes them, under newer ones, on the next', async () => {
    const store = fakeStore()
    const logs = memoryLogger()
    const tracker = new LastUseTracker({ store, clock, logger: logs })
    tracker.noteSuccess('Sign', [key('a'), key('b')], at(1))
    store.state.failing = true
    await tracker.flush()
    assert.equal(store.stored.size, 0)
    assert.ok(logs.lines.some((e) => e.message.includes('flush failed')))
    clock.advance(1000)
    tracker.noteSuccess('Verify', [key('a')], at(2))
    store.state.failing = false
    await tracker.stop()
    assert.equal(store.stored.get('a')?.operation, 'Verify')
    assert.equal(store.stored.get('b')?.operation, 'Sign')
  })

  it('fixes the tracking start the first time and keeps it for every later tracker', async () => {
    const store = fakeStore()
    const first = await new LastUseTracker({ store, clock, logger: memoryLogger() }).trackingStartDate()
    clock.advance(86_400_000)
    const second = await new LastUseTracker({ store, clock, logger: memoryLogger() }).trackingStartDate()
    assert.deepEqual(second, first)
    assert.equal(store.settings.get(TRACKING_START_SETTING), String(first.getTime()))
  })
})
