import { test } from 'node:test'
import assert from 'node:assert/strict'
import { pluginKeyId } from './plugin-key-id.js'

const arn = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab'

test('pluginKeyId() changes with the material id and starts with the key ARN', () => {
  const before = pluginKeyId(arn, 'a'.repeat(64))
  const after = pluginKeyId(arn, 'b'.repeat(64))
  assert.notEqual(before, after)
  assert.ok(before.startsWith(`${arn}#material=`))
  assert.equal(pluginKeyId(arn, undefined), arn)
})
