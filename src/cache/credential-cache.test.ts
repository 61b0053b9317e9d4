import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { wrapAccessKey } from '../auth/credentials.js'
import { issueAccessKey } from '../auth/principal-admin.js'
import { deriveSigningKey } from '../http/sigv4/signing-key.js'
import { inProcessRootKey, type RootKey } from '../rootkey/root-key.js'
import { openSqliteStore } from '../store/sqlite/sqlite-store.js'
import { createCachingStore } from './caching-store.js'
import { StoreChangeFeed } from './change-feed.js'
import { CredentialCache } from './credential-cache.js'

const ACCOUNT = '111122223333'
const SCOPE = { date: '20260115', region: 'us-east-1', service: 'kms' }

/** A root key that remembers every secret it unwrapped, to see whether the cache zeroed them. */
function watchedRootKey(): { rootKey: RootKey; unwrapped: Uint8Array[] } {
  const inner = inProcessRootKey(new Uint8Array(32).fill(3), 'test')
  const unwrapped: Uint8Array[] = []
  return { unwrapped, rootKey: { ...inner, unwrap: async (w, aad) => { const out = await inner.unwrap(w, aad); unwrapped.push(out); return out } } }
}

async function setup() {
  const { rootKey, unwrapped } = watchedRootKey()
  const driver = await openSqliteStore(':memory:')
  const feed = new StoreChangeFeed(driver)
  await feed.pollNow()
  const { store } = createCachingStore(driver, feed)
  await store.insertAccount({ accountId: ACCOUNT, createdAt: new Date() })
  const credentials = new CredentialCache(store, rootKey, feed)
  const issued = await issueAccessKey(store, rootKey, ACCOUNT, `arn:aws:iam::${ACCOUNT}:root`, new Date())
  return { store, credentials, issued, unwrapped, rootKey }
}

describe('the credential cache', () => {
  it('unwraps a secret once and lends the right signing key, a fresh copy each time', async () => {
    const { store, credentials, issued, unwrapped } = await setup()
    const first = await credentials.lookup(issued.accessKeyId, SCOPE)
    const second = await credentials.lookup(issued.accessKeyId, SCOPE)
    assert.equal(unwrapped.length, 1)
    const expected = deriveSigningKey(issued.secretAccessKey, SCOPE.date, SCOPE.region, SCOPE.service)
    assert.deepEqual(Buffer.from(first!.signingKey), expected)
    assert.notEqual(first!.signingKey.buffer, second!.signingKey.buffer)
    assert.equal(first!.signingKey.byteLength, first!.signingKey.buffer.byteLength, 'each loan has a buffer of its own')
    first!.signingKey.fill(0)
    assert.deepEqual(Buffer.from((await credentials.lookup(issued.accessKeyId, SCOPE))!.signingKey), expected, 'zeroing a loan harms nothing')
    await store.close()
  })

  it('zeroes the unwrapped secret when the access key is deactivated, and then authenticates nobody', async () => {
    const { store, credentials, issued, unwrapped } = await setup()
    await credentials.lookup(issued.accessKeyId, SCOPE)
    assert.ok(unwrapped[0]!.some((b) => b !== 0))
    await store.setAccessKeyStatus(issued.accessKeyId, 'Inactive')
    assert.ok(unwrapped[0]!.every((b) => b === 0), 'the secret was zeroed')
    assert.equal(await credentials.lookup(issued.accessKeyId, SCOPE), undefined)
    await store.close()
  })

  it('zeroes every held secret when the store is closed at shutdown', async () => {
    const { store, credentials, issued, unwrapped } = await setup()
    await credentials.lookup(issued.accessKeyId, SCOPE)
    assert.ok(unwrapped[0]!.some((b) => b !== 0))
    await store.close()
    assert.ok(unwrapped[0]!.every((b) => b === 0), 'the secret was zeroed by close()')
  })

  it('does not remember an unknown access key id: a key inserted under it later works at once', async () => {
    const { store, credentials, rootKey } = await setup()
    const id = 'TESTNEWKEY0000000001'
    assert.equal(await credentials.lookup(id, SCOPE), undefined)
    await store.insertAccessKey(await wrapAccessKey(rootKey, ACCOUNT, `arn:aws:iam::${ACCOUNT}:root`, id, 'a-secret-of-forty-characters-0000000000', new Date()))
    assert.equal((await credentials.lookup(id, SCOPE))?.principal.type, 'Root')
    await store.close()
  })
})
