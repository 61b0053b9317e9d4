// What wrapped material is bound to, and the material id derivations: byte layouts and separation.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash, createHmac } from 'node:crypto'
import { boundMaterialAad, deriveMaterialId, legacyMaterialAad, materialAad } from './material-binding.js'
import { previousMaterialAad, previousMaterialId } from '../../test/support/legacy-material.js'

const keyId = '1234abcd-12ab-34cd-56ef-1234567890ab'
const material = new Uint8Array(32).map((_, i) => i)
const binding = { keyId, version: 3, keySpec: 'SYMMETRIC_DEFAULT', keyUsage: 'ENCRYPT_DECRYPT' } as const
const str = (s: string) => Buffer.concat([Buffer.from([s.length >> 8, s.length & 0xff]), Buffer.from(s)])

test('the bound AAD is "trent/key-material" 00 02, then length-prefixed key id, uint32 version, spec and usage', () => {
  const expected = Buffer.concat([
    Buffer.from('trent/key-material'), Buffer.from([0x00, 0x02]), str(keyId), Buffer.from([0, 0, 0, 3]),
    str('SYMMETRIC_DEFAULT'), str('ENCRYPT_DECRYPT'),
  ])
  assert.deepEqual(Buffer.from(boundMaterialAad(binding)), expected)
  assert.deepEqual(materialAad(2, binding), boundMaterialAad(binding))
})

test('the bound AAD changes when the key spec, the key usage, the version or the key id changes', () => {
  const base = Buffer.from(boundMaterialAad(binding)).toString('hex')
  const changed = [
    { ...binding, keySpec: 'HMAC_256' }, { ...binding, keyUsage: 'GENERATE_VERIFY_MAC' }, { ...binding, version: 4 }, { ...binding, keyId: 'other' },
  ] as const
  for (const b of changed) assert.notEqual(Buffer.from(boundMaterialAad(b)).toString('hex'), base)
})

test('the legacy AAD is exactly what the previous code bound, and differs from the bound AAD', () => {
  assert.deepEqual(legacyMaterialAad(keyId, 3), previousMaterialAad(keyId, 3))
  assert.deepEqual(materialAad(1, binding), previousMaterialAad(keyId, 3))
  assert.notDeepEqual(materialAad(1, binding), materialAad(2, binding))
})

test('material id format 1 is the previous HMAC-SHA256 id, so ids that clients recorded still verify', () => {
  assert.equal(deriveMaterialId(1, keyId, material), previousMaterialId(keyId, material))
})

test('material id format 2 is SHA-256("trent/key-material-id/v2" 00 || str(keyId) || material), 64 lowercase hex', () => {
  const expected = createHash('sha256').update(Buffer.concat([Buffer.from('trent/key-material-id/v2'), Buffer.from([0]), str(keyId), material])).digest('hex')
  const id = deriveMaterialId(2, keyId, material)
  assert.equal(id, expected)
  assert.match(id, /^[0-9a-f]{64}$/)
  assert.notEqual(deriveMaterialId(2, 'other', material), id)
  assert.notEqual(deriveMaterialId(2, keyId, new Uint8Array(32).fill(1)), id)
})

test('material id format 2 is not a MAC under the material: no HMAC of the old fixed messages equals it', () => {
  const id = deriveMaterialId(2, keyId, material)
  for (const hash of ['sha224', 'sha256', 'sha384', 'sha512']) {
    for (const message of [`trent/key-material-id/v1:${keyId}`, `trent/key-material-id/v2:${keyId}`, keyId, '']) {
      assert.notEqual(createHmac(hash, material).update(message).digest('hex'), id)
    }
  }
})
