import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parseSeedFile } from './seed-file.js'

const material32 = Buffer.alloc(32, 1).toString('base64')

test('parseSeedFile() reads YAML and JSON alike, with defaults for spec, usage, state and policy', () => {
  const yaml = parseSeedFile(`keys:\n  - id: 00000000-0000-4000-8000-000000000001\n    material: ${material32}\n    tags: { env: ci }\n`)
  const json = parseSeedFile(JSON.stringify({ keys: [{ id: '00000000-0000-4000-8000-000000000001', material: material32, tags: { env: 'ci' } }] }))
  assert.deepEqual(yaml, json)
  const [key] = yaml.keys
  assert.equal(key!.keySpec, 'SYMMETRIC_DEFAULT')
  assert.equal(key!.keyUsage, 'ENCRYPT_DECRYPT')
  assert.equal(key!.enabled, true)
  assert.equal(key!.policy, undefined)
  assert.deepEqual(key!.tags, [{ TagKey: 'env', TagValue: 'ci' }])
  const hmac = parseSeedFile(`keys:\n  - id: mrk-0123456789abcdef0123456789abcdef\n    spec: HMAC_384\n    material: ${Buffer.alloc(48).toString('base64')}\n    policy: { Version: "2012-10-17", Statement: [] }\n`)
  assert.equal(hmac.keys[0]!.keyUsage, 'GENERATE_VERIFY_MAC')
  assert.deepEqual(JSON.parse(hmac.keys[0]!.policy!), { Version: '2012-10-17', Statement: [] })
})

test('parseSeedFile() refuses what cannot be seeded, saying where, never echoing material', () => {
  const id = '00000000-0000-4000-8000-000000000001'
  const refusals: Array<[string, RegExp]> = [
    ['keys: []', /keys must be a non-empty list/],
    [`keys:\n  - id: not-a-uuid\n    material: ${material32}`, /keys\[0\]\.id must be a key id/],
    [`keys:\n  - id: ${id}\n    material: AAAA`, /keys\[0\]\.material must be 32 bytes in base64 for SYMMETRIC_DEFAULT \(it decodes to 3\)/],
    [`keys:\n  - id: ${id}\n    spec: RSA_2048\n    material: ${material32}`, /spec RSA_2048 cannot be seeded/],
    [`keys:\n  - id: ${id}\n    usage: SIGN_VERIFY\n    material: ${material32}`, /usage SIGN_VERIFY does not fit SYMMETRIC_DEFAULT/],
    [`keys:\n  - id: ${id}\n    material: ${material32}\n  - id: ${id}\n    material: ${material32}`, /appears twice/],
    [`account: "12"\nkeys:\n  - id: ${id}\n    material: ${material32}`, /account must be 12 digits/],
    ['keys: [', /not valid YAML or JSON/],
  ]
  for (const [text, message] of refusals) {
    assert.throws(() => parseSeedFile(text), (e: Error) => {
      assert.equal(e.name, 'SeedFileError')
      assert.match(e.message, message)
      assert.equal(e.message.includes(material32), false)
      return true
    }, text)
  }
})
