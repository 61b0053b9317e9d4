// Labelled blobs and the previous-key chain: each blob names its root key, a provider refuses another key's
// blob, legacy unlabelled blobs still open, and a chain opens what either key wrapped but wraps with the new one.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { KeyWrapError, wrapKeyMaterial } from '../crypto/key-wrap.js'
import { blobRootKeyId, labelBlob, readBlobLabel } from './labelled-blob.js'
import { rootKeyChain } from './root-key-chain.js'
import { inProcessRootKey, inProcessRootKeyId } from './root-key.js'

const aad = new TextEncoder().encode('trent/test')
const material = new Uint8Array(32).map((_, i) => i)

test('an in-process root key labels its blobs with a stable id that reveals nothing of the key', async () => {
  const key = new Uint8Array(32).fill(9)
  const rootKey = inProcessRootKey(key, 'test')
  assert.match(rootKey.id, /^aes:[0-9a-f]{16}$/)
  assert.equal(rootKey.id, inProcessRootKeyId(new Uint8Array(32).fill(9)))
  assert.notEqual(rootKey.id, inProcessRootKey(new Uint8Array(32).fill(8), 'other').id)
  assert.ok(!rootKey.id.includes('0909'))
  const blob = await rootKey.wrap(material, aad)
  assert.equal(blob[0], 2)
  assert.equal(blobRootKeyId(blob), rootKey.id)
  assert.deepEqual(await rootKey.unwrap(blob, aad), material)
})

test('a legacy unlabelled blob still opens; a blob labelled with another key is refused without trying', async () => {
  const key = randomBytes(32)
  const rootKey = inProcessRootKey(key, 'test')
  const legacy = wrapKeyMaterial(key, material, aad, (n) => new Uint8Array(randomBytes(n)))
  assert.equal(blobRootKeyId(legacy), undefined)
  assert.deepEqual(await rootKey.unwrap(legacy, aad), material)
  const relabelled = labelBlob('aes:ffffffffffffffff', legacy)
  await assert.rejects(rootKey.unwrap(relabelled, aad), KeyWrapError)
  assert.deepEqual(readBlobLabel(relabelled).inner, legacy)
})

test('readBlobLabel() refuses unknown formats and truncated labels', () => {
  assert.throws(() => readBlobLabel(Uint8Array.of(3, 1, 2)), KeyWrapError)
  assert.throws(() => readBlobLabel(Uint8Array.of(2, 10, 0x61)), KeyWrapError)
  assert.throws(() => readBlobLabel(Uint8Array.of(2, 0, 1)), KeyWrapError)
  assert.throws(() => labelBlob('bad id with spaces', Uint8Array.of(1)), RangeError)
})

test('a chain wraps with the current key and opens blobs of either key, legacy ones included', async () => {
  const oldBytes = randomBytes(32)
  const previous = inProcessRootKey(oldBytes, 'old')
  const current = inProcessRootKey(randomBytes(32), 'new')
  const chain = rootKeyChain(current, [previous])
  assert.equal(chain.id, current.id)
  const fresh = await chain.wrap(material, aad)
  assert.equal(blobRootKeyId(fresh), current.id)
  assert.deepEqual(await current.unwrap(fresh, aad), material)
  assert.deepEqual(await chain.unwrap(await previous.wrap(material, aad), aad), material)
  assert.deepEqual(await chain.unwrap(wrapKeyMaterial(oldBytes, material, aad, (n) => new Uint8Array(randomBytes(n))), aad), material)
  await assert.rejects(chain.unwrap(await inProcessRootKey(randomBytes(32), 'stranger').wrap(material, aad), aad), KeyWrapError)
  await assert.rejects(chain.unwrap(fresh, new TextEncoder().encode('other aad')), KeyWrapError)
  assert.equal(rootKeyChain(current, []), current)
})
