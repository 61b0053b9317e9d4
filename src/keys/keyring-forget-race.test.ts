// A forget() that lands while a miss is unwrapping (the change feed saw the version rewrapped or deleted, or
// the key destroyed, during the load) must win: the loaded material serves that one caller and is zeroed,
// never kept in the cache for a key whose material the keyring was told to forget.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { inProcessRootKey, type RootKey } from '../rootkey/root-key.js'
import { makeKey, keyIdOf } from '../store/contract/fixtures.js'
import { openSqliteStore } from '../store/sqlite/sqlite-store.js'
import { Keyring, type MaterialOwner } from './keyring.js'

describe('Keyring and a forget() racing a load', () => {
  it('does not cache material loaded across a forget of its key, and zeroes it after the one use', async () => {
    const store = await openSqliteStore(':memory:')
    const inner = inProcessRootKey(new Uint8Array(32).fill(3), 'test')
    let gate: (() => void) | undefined
    let unwrapping: (() => void) | undefined
    const unwrapStarted = new Promise<void>((r) => { unwrapping = r })
    const rootKey: RootKey = {
      ...inner,
      description: 'gated',
      wrap: (m, aad) => inner.wrap(m, aad),
      async unwrap(w, aad) {
        const out = await inner.unwrap(w, aad)
        if (gate === undefined) {
          await new Promise<void>((r) => { gate = r; unwrapping!() })
        }
        return out
      },
    }
    const keyId = keyIdOf(1)
    const key: MaterialOwner = { keyId, keySpec: 'SYMMETRIC_DEFAULT', keyUsage: 'ENCRYPT_DECRYPT' }
    const writer = new Keyring(rootKey, store)
    const version = await writer.wrapVersion(key, 1, new Uint8Array(32).fill(9), new Date())
    await store.insertKey(makeKey(keyId), version, [])

    const keyring = new Keyring(rootKey, store)
    let lent: Uint8Array | undefined
    const use = keyring.withMaterial(key, 1, (u) => { lent = u.material; return Uint8Array.from(u.material) })
    await unwrapStarted
    await keyring.forget(keyId)
    gate!()
    const copy = await use
    assert.deepEqual(copy, new Uint8Array(32).fill(9), 'the caller that loaded it still gets the material')
    assert.deepEqual(lent, new Uint8Array(32), 'material loaded across a forget is zeroed after its one use')
    assert.equal(keyring.stats.hits, 0)
    await keyring.withMaterial(key, 1, () => undefined)
    assert.equal(keyring.stats.hits, 0, 'the next use unwraps again: nothing was cached')
    await store.close()
  })
})
