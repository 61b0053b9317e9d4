// verifyRootKey(): the first root key is recorded; the same key passes later, any other key is refused.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { openSqliteStore } from '../store/sqlite/sqlite-store.js'
import { inProcessRootKey } from './root-key.js'
import { RootKeyMismatchError, verifyRootKey } from './root-key-check.js'

test('verifyRootKey() accepts the key a store was first used with and refuses any other', async () => {
  const store = await openSqliteStore(':memory:')
  try {
    const original = inProcessRootKey(new Uint8Array(32).fill(1), 'env:TRENT_ROOT_KEY')
    await verifyRootKey(store, original)
    await verifyRootKey(store, inProcessRootKey(new Uint8Array(32).fill(1), 'file:/again'))
    const other = inProcessRootKey(new Uint8Array(32).fill(2), 'file:/data/root.key')
    await assert.rejects(verifyRootKey(store, other), (err: Error) => {
      assert.ok(err instanceof RootKeyMismatchError)
      assert.equal(err.message, 'the root key from file:/data/root.key is not the root key this data directory was created with; ' +
        'start with the original root key (TRENT_ROOT_KEY or the root.key file)')
      return true
    })
    await verifyRootKey(store, original)
  } finally {
    await store.close()
  }
})
