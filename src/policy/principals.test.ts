// A principal is its unique id, not its name: how Principal entries match through the ids they were bound
// to when their policy or grant was stored.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { decide } from './decide.js'
import type { GrantRecord } from './grant.js'
import { grantPermits } from './grant.js'
import { matchPrincipal, parseAwsPrincipal, parsePrincipalElement } from './principals.js'
import { ACCT, keyPolicy, request, root, session, user } from './policy-fixtures.test-support.js'
import type { CallerFacts } from './request.js'

const CAROL_ARN = `arn:aws:iam::${ACCT}:user/carol`
const OLD_CAROL = 'AIDAOLDCAROLOLDCAROLO'
const NEW_CAROL = 'AIDANEWCAROLNEWCAROLN'
const carolWith = (uniqueId: string): CallerFacts => ({ ...user('carol'), uniqueId })
const aws = (value: string | string[]) => parsePrincipalElement({ AWS: value }, false)

describe('principals bind to unique ids', () => {
  it('a user ARN matches the user it was bound to, and not a re-created user of the same name', () => {
    const spec = aws(CAROL_ARN)
    assert.equal(matchPrincipal(spec, carolWith(OLD_CAROL), { [CAROL_ARN]: OLD_CAROL }), 'direct')
    assert.equal(matchPrincipal(spec, carolWith(NEW_CAROL), { [CAROL_ARN]: OLD_CAROL }), undefined)
  })

  it('an ARN bound to nothing matches nobody', () => {
    assert.equal(matchPrincipal(aws(CAROL_ARN), carolWith(OLD_CAROL), {}), undefined)
  })

  it('NotPrincipal with Deny naming a deleted user and its account no longer spares a new user of that name', () => {
    const spec = parsePrincipalElement({ AWS: [CAROL_ARN, `arn:aws:iam::${ACCT}:root`] }, true)
    assert.equal(matchPrincipal(spec, carolWith(OLD_CAROL), { [CAROL_ARN]: OLD_CAROL }, 'Deny'), undefined)
    assert.equal(matchPrincipal(spec, carolWith(NEW_CAROL), { [CAROL_ARN]: OLD_CAROL }, 'Deny'), 'direct')
  })

  it('NotPrincipal naming a deleted user no longer excludes a new user of that name', () => {
    const spec = parsePrincipalElement({ AWS: CAROL_ARN }, true)
    assert.equal(matchPrincipal(spec, carolWith(OLD_CAROL), { [CAROL_ARN]: OLD_CAROL }), undefined)
    assert.equal(matchPrincipal(spec, carolWith(NEW_CAROL), { [CAROL_ARN]: OLD_CAROL }), 'direct')
  })

  it('a role ARN matches the sessions of the role it was bound to, not of a re-created role', () => {
    const app = session('App', 'night')
    const roleArn = app.roleArn!
    assert.equal(matchPrincipal(aws(roleArn), app, { [roleArn]: app.uniqueId! }), 'direct')
    assert.equal(matchPrincipal(aws(roleArn), { ...app, uniqueId: 'AROANEWAPPNEWAPPNEWAP' }, { [roleArn]: app.uniqueId! }), undefined)
  })

  it('a session ARN needs both its own ARN and its role\'s bound id', () => {
    const app = session('App', 'night')
    const bindings = { [app.arn]: app.uniqueId! }
    assert.equal(matchPrincipal(aws(app.arn), app, bindings), 'direct')
    assert.equal(matchPrincipal(aws(app.arn), session('App', 'day'), bindings), undefined)
    assert.equal(matchPrincipal(aws(app.arn), { ...app, uniqueId: 'AROANEWAPPNEWAPPNEWAP' }, bindings), undefined)
  })

  it('a unique id written directly matches the user or role that has it', () => {
    assert.deepEqual(parseAwsPrincipal(OLD_CAROL), { kind: 'id', id: OLD_CAROL })
    assert.equal(matchPrincipal(aws(OLD_CAROL), carolWith(OLD_CAROL), {}), 'direct')
    assert.equal(matchPrincipal(aws(OLD_CAROL), carolWith(NEW_CAROL), {}), undefined)
    const app = session('App', 'night')
    assert.equal(matchPrincipal(aws(app.uniqueId!), app, {}), 'direct')
  })

  it('account roots and "*" are not bound to an id', () => {
    assert.equal(matchPrincipal(aws(`arn:aws:iam::${ACCT}:root`), carolWith(NEW_CAROL), {}), 'account')
    assert.equal(matchPrincipal(aws('*'), carolWith(NEW_CAROL), {}), 'direct')
    assert.equal(matchPrincipal(aws(`arn:aws:iam::${ACCT}:root`), root(), {}), 'account')
  })

  it('decide() allows the bound user and denies a re-created one', () => {
    const doc = keyPolicy({ Effect: 'Allow', Principal: { AWS: CAROL_ARN }, Action: 'kms:Decrypt', Resource: '*' })
    const ask = (caller: CallerFacts) => decide({
      request: request({ caller, action: 'kms:Decrypt' }), identityPolicies: [], grants: [],
      keyPolicy: doc, keyPolicyBindings: { [CAROL_ARN]: OLD_CAROL }, keyAccountId: ACCT,
    })
    assert.equal(ask(carolWith(OLD_CAROL)).allowed, true)
    assert.deepEqual(ask(carolWith(NEW_CAROL)), { allowed: false, denial: 'no-resource', basis: [] })
  })

  it('a grant to a user works for the user it was bound to only', () => {
    const grant: GrantRecord = {
      grantId: 'a'.repeat(64), keyId: 'k', issuingAccount: ACCT, granteePrincipal: CAROL_ARN, granteeUniqueId: OLD_CAROL,
      operations: ['Decrypt'], createdAt: new Date(0), fingerprint: 'f',
    }
    assert.equal(grantPermits(grant, carolWith(OLD_CAROL), { action: 'kms:Decrypt' }), 'direct')
    assert.equal(grantPermits(grant, carolWith(NEW_CAROL), { action: 'kms:Decrypt' }), undefined)
    const { granteeUniqueId: _gone, ...unbound } = grant
    assert.equal(grantPermits(unbound, carolWith(OLD_CAROL), { action: 'kms:Decrypt' }), undefined)
  })
})
