// buildPolicyRequest(): which request facts become condition keys, and how request data whose names differ
// only in case is kept (ambiguous) rather than collapsed.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { buildPolicyRequest } from './policy-request.js'
import type { AuthorizationContext } from '../operations/operation.js'
import type { Principal } from './principal.js'

const alice: Principal = {
  accountId: '111122223333', arn: 'arn:aws:iam::111122223333:user/alice', type: 'IAMUser',
  principalId: 'AIDAALICEALICEALICEA', accessKeyId: 'AKIDALICE', userName: 'alice',
}

const contextOf = (conditions: AuthorizationContext) => buildPolicyRequest(alice, null, 'kms:TagResource', conditions, {}, {}).context

describe('buildPolicyRequest()', () => {
  it('requested tags become aws:RequestTag/<key> (any case) and aws:TagKeys (as written)', () => {
    const context = contextOf({ requestTags: [{ tagKey: 'Project', tagValue: 'x' }, { tagKey: 'Owner', tagValue: '' }] })
    assert.equal(context.get('aws:requesttag/project'), 'x')
    assert.equal(context.get('aws:requesttag/owner'), '')
    assert.deepEqual(context.get('aws:tagkeys'), ['Project', 'Owner'])
  })

  it('two requested tag keys differing only in case make aws:RequestTag ambiguous', () => {
    const context = contextOf({ requestTags: [{ tagKey: 'project', tagValue: 'x' }, { tagKey: 'Project', tagValue: 'y' }] })
    assert.deepEqual(context.get('aws:requesttag/project'), { alternatives: ['x', 'y'] })
    assert.deepEqual(context.get('aws:tagkeys'), ['project', 'Project'])
  })

  it('tag keys being removed become aws:TagKeys only', () => {
    const context = contextOf({ requestTagKeys: ['Project'] })
    assert.deepEqual(context.get('aws:tagkeys'), ['Project'])
    assert.equal(context.get('aws:requesttag/project'), undefined)
  })

  it('no tags in the request leave both keys absent', () => {
    const context = contextOf({ requestTags: [] })
    assert.equal(context.get('aws:tagkeys'), undefined)
  })

  it('a condition fact the request did not send is absent, not a default', () => {
    const context = contextOf({ 'kms:BypassPolicyLockoutSafetyCheck': undefined })
    assert.equal(context.get('kms:bypasspolicylockoutsafetycheck'), undefined)
    assert.equal(contextOf({ 'kms:BypassPolicyLockoutSafetyCheck': false }).get('kms:bypasspolicylockoutsafetycheck'), 'false')
  })
})
