import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { parseKeyReference } from './key-id.js'

describe('parseKeyReference()', () => {
  const id = '1234abcd-12ab-34cd-56ef-1234567890ab'
  it('recognises a key id and a multi-Region key id', () => {
    assert.deepEqual(parseKeyReference(id), { kind: 'keyId', keyId: id })
    assert.deepEqual(parseKeyReference('mrk-1234abcd12ab34cd56ef1234567890ab'), { kind: 'keyId', keyId: 'mrk-1234abcd12ab34cd56ef1234567890ab' })
  })
  it('recognises key and alias ARNs with their account and region', () => {
    assert.deepEqual(parseKeyReference(`arn:aws:kms:us-east-2:111122223333:key/${id}`), { kind: 'keyArn', region: 'us-east-2', accountId: '111122223333', keyId: id })
    assert.deepEqual(parseKeyReference('arn:aws:kms:us-east-2:111122223333:alias/Example'), { kind: 'aliasArn', region: 'us-east-2', accountId: '111122223333', aliasName: 'alias/Example' })
  })
  it('recognises alias names', () => {
    assert.deepEqual(parseKeyReference('alias/my-key_1:x/y'), { kind: 'aliasName', aliasName: 'alias/my-key_1:x/y' })
  })
  it('flags malformed ARNs separately from other garbage', () => {
    assert.equal(parseKeyReference('arn:aws:kms:us-east-1:123:key/x').kind, 'invalidArn')
    assert.equal(parseKeyReference(`arn:aws:s3:us-east-1:111122223333:key/${id}`).kind, 'invalidArn')
    assert.equal(parseKeyReference('arn:aws:kms:us-east-1:111122223333:key/not-a-uuid').kind, 'invalidArn')
    assert.equal(parseKeyReference('alias/has space').kind, 'invalid')
    assert.equal(parseKeyReference('ABCD').kind, 'invalid')
    assert.equal(parseKeyReference(id.toUpperCase()).kind, 'invalid')
  })

  it('refuses an ARN of another partition, which could otherwise name a key of this one', () => {
    for (const partition of ['aws-cn', 'aws-us-gov', 'awsx']) {
      assert.equal(parseKeyReference(`arn:${partition}:kms:us-east-1:111122223333:key/${id}`).kind, 'invalidArn')
      assert.equal(parseKeyReference(`arn:${partition}:kms:us-east-1:111122223333:alias/a`).kind, 'invalidArn')
    }
  })
})
