import { test } from 'node:test'
import assert from 'node:assert/strict'
import { keyArnOf, pluginKeyId } from './plugin-key-id.js'

const arn = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab'

test('pluginKeyId() changes with the material id and keyArnOf() reads the key back', () => {
  const before = pluginKeyId(arn, 'a'.repeat(64))
  const after = pluginKeyId(arn, 'b'.repeat(64))
  assert.notEqual(before, after)
  assert.equal(keyArnOf(before), arn)
  assert.equal(keyArnOf(after), arn)
  assert.equal(pluginKeyId(arn, undefined), arn)
})

test('keyArnOf() reads nothing from a key_id that is not a key ARN of ours', () => {
  assert.equal(keyArnOf('arn:aws:kms:us-east-1:111122223333:alias/x#material=aa'), undefined)
  assert.equal(keyArnOf('some-other-plugin-key-1'), undefined)
  assert.equal(keyArnOf(''), undefined)
})
