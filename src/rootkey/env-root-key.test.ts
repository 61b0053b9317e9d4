// The base64 root key provider, usually fed from TRENT_ROOT_KEY.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { rootKeyFromBase64 } from './env-root-key.js'
import { KeyWrapError } from '../crypto/key-wrap.js'

const keyB64 = Buffer.alloc(32, 0x5a).toString('base64')
const aad = new TextEncoder().encode('key:k:1')
const material = new Uint8Array(32).fill(9)

test('rootKeyFromBase64() wraps and unwraps, and two instances from the same text agree', async () => {
  const one = rootKeyFromBase64(keyB64, 'env:TRENT_ROOT_KEY')
  const two = rootKeyFromBase64(`  ${keyB64}\n`, 'env:TRENT_ROOT_KEY')
  assert.equal(one.description, 'env:TRENT_ROOT_KEY')
  assert.deepEqual(await two.unwrap(await one.wrap(material, aad), aad), material)
})

test('rootKeyFromBase64() keys differ: another key cannot unwrap', async () => {
  const one = rootKeyFromBase64(keyB64, 'env:A')
  const other = rootKeyFromBase64(Buffer.alloc(32, 1).toString('base64'), 'env:B')
  await assert.rejects(other.unwrap(await one.wrap(material, aad), aad), KeyWrapError)
})

test('rootKeyFromBase64() refuses anything but base64 of exactly 32 bytes', () => {
  const bad = [
    '', Buffer.alloc(31).toString('base64'), Buffer.alloc(33).toString('base64'),
    keyB64.slice(0, -1), `${keyB64}AAAA`, keyB64.replace(/=$/, '!'), Buffer.alloc(32).toString('base64url'),
  ]
  for (const text of bad) {
    assert.throws(() => rootKeyFromBase64(text, 'env:TRENT_ROOT_KEY'), { message: 'TRENT_ROOT_KEY must be base64 of exactly 32 bytes' })
  }
})

test('a RootKey does not reveal its key bytes when inspected or serialised', async () => {
  const rootKey = rootKeyFromBase64(keyB64, 'env:TRENT_ROOT_KEY')
  const { inspect } = await import('node:util')
  for (const text of [inspect(rootKey, { depth: 5, showHidden: true }), JSON.stringify(rootKey)]) {
    assert.ok(!text.includes(keyB64) && !text.includes('5a5a5a5a'))
  }
})
