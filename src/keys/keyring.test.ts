// Keyring: material is lent, not handed out; what leaves the cache is zeroed once no caller still uses it,
// and forget() reaches the other holders (the crypto workers).
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { inProcessRootKey } from '../rootkey/root-key.js'
import { openSqliteStore } from '../store/sqlite/sqlite-store.js'
import type { Store } from '../store/store.js'
import { Keyring } from './keyring.js'

describe('Keyring', () => {
  let store: Store
  const rootKey = inProcessRootKey(new Uint8Array(32).fill(7), 'test')
  const now = new Date('2026-01-15T10:00:00Z')
  const material = (byte: number) => new Uint8Array(32).fill(byte)
  before(async () => { store = await openSqliteStore(':memory:') })
  after(() => store.close())

  it('zeroes material evicted at its bound', async () => {
    const keyring = new Keyring(rootKey, store, { maxEntries: 1 })
    const first = material(1)
    await keyring.wrapVersion('key-1', 1, first, 'id-1', now)
    await keyring.wrapVersion('key-2', 1, material(2), 'id-2', now)
    assert.deepEqual(first, new Uint8Array(32))
  })

  it('does not zero evicted material while a caller is still using it, and zeroes it when that caller is done', async () => {
    const keyring = new Keyring(rootKey, store, { maxEntries: 1 })
    const lent = material(3)
    await keyring.wrapVersion('key-3', 1, lent, 'id-3', now)
    const seen = await keyring.withMaterial('key-3', 1, async ({ material: m }) => {
      await keyring.wrapVersion('key-4', 1, material(4), 'id-4', now) // evicts key-3 mid-use
      return Uint8Array.from(m)
    })
    assert.deepEqual(seen, material(3))
    assert.deepEqual(lent, new Uint8Array(32))
  })

  it('forget() zeroes the key\'s material and tells the other holders to forget it', async () => {
    const forgotten: string[] = []
    const keyring = new Keyring(rootKey, store, { forgetElsewhere: async (keyId) => { forgotten.push(keyId) } })
    const [v1, other] = [material(5), material(6)]
    await keyring.wrapVersion('key-5', 1, v1, 'id-5', now)
    await keyring.wrapVersion('key-6', 1, other, 'id-6', now)
    await keyring.forget('key-5')
    assert.deepEqual(v1, new Uint8Array(32))
    assert.deepEqual(other, material(6))
    assert.deepEqual(forgotten, ['key-5'])
  })
})
