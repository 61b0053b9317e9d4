// The transport key pair: one per store and root key, the same from every handle, never stored in clear.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { inProcessRootKey } from '../rootkey/root-key.js'
import { openSqliteStore } from '../store/sqlite/sqlite-store.js'
import { transportKeyPair, transportKeySettingName } from './transport-key.js'
import { transportKeyId, unwrapFromTransport, wrapForTransport } from './transport-wrap.js'

const dir = mkdtempSync(join(tmpdir(), 'trent-transport-key-'))
after(() => rmSync(dir, { recursive: true, force: true }))
const rootKey = inProcessRootKey(new Uint8Array(32).fill(7), 'test')

describe('transport key pair', () => {
  it('is created once: two store handles racing for it, and a later load, get the same pair', async () => {
    const path = join(dir, 'race.db')
    const a = await openSqliteStore(path)
    const b = await openSqliteStore(path)
    try {
      const [fromA, fromB] = await Promise.all([transportKeyPair(a, rootKey), transportKeyPair(b, rootKey)])
      assert.deepEqual(fromA.publicKeyDer, fromB.publicKeyDer)
      assert.equal(fromA.transportKeyId, transportKeyId(fromA.publicKeyDer))
      assert.equal(await transportKeyPair(a, rootKey), await transportKeyPair(a, rootKey), 'cached per handle')
      // The private half of one handle opens what was sealed for the other's public half.
      const binding = { keyId: 'mrk-0123456789abcdef0123456789abcdef', version: 1, receiverRegion: 'eu-west-1' }
      const sealed = wrapForTransport(Buffer.alloc(32, 9), fromB.publicKeyDer, binding)
      assert.deepEqual(Buffer.from(unwrapFromTransport(sealed, fromA.privateKey, fromA.transportKeyId, binding)), Buffer.alloc(32, 9))
    } finally {
      await a.close()
      await b.close()
    }
    const c = await openSqliteStore(path)
    try {
      const again = await transportKeyPair(c, rootKey)
      assert.equal(again.transportKeyId, transportKeyId((await transportKeyPair(c, rootKey)).publicKeyDer))
      const stored = JSON.parse((await c.getSetting(transportKeySettingName(rootKey.id)))!) as Record<string, string>
      assert.deepEqual(Buffer.from(stored.publicKey!, 'base64'), again.publicKeyDer)
    } finally {
      await c.close()
    }
  })

  it('keeps the private key only wrapped under the root key, and another root key gets its own pair', async () => {
    const store = await openSqliteStore(':memory:')
    try {
      const pair = await transportKeyPair(store, rootKey)
      const text = (await store.getSetting(transportKeySettingName(rootKey.id)))!
      const pkcs8 = pair.privateKey.export({ format: 'der', type: 'pkcs8' })
      const decoded = Buffer.from(JSON.parse(text).wrappedPrivateKey as string, 'base64')
      assert.ok(!decoded.includes(pkcs8.subarray(pkcs8.length - 64)), 'no PKCS#8 bytes in the stored blob')
      assert.ok(!text.includes(pkcs8.toString('base64').slice(-64)))
      const other = inProcessRootKey(new Uint8Array(32).fill(8), 'other')
      assert.notEqual((await transportKeyPair(store, other)).transportKeyId, pair.transportKeyId)
    } finally {
      await store.close()
    }
  })
})
