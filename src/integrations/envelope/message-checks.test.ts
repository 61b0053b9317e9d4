import { test } from 'node:test'
import assert from 'node:assert/strict'
import { EnvelopeError } from './envelope-error.js'
import { copyContext, requireExpectedContext } from './message-checks.js'

const failureOf = (f: () => void) => {
  try {
    f()
  } catch (e) {
    assert.ok(e instanceof EnvelopeError)
    return e
  }
  return undefined
}

test('requireExpectedContext() passes a superset and refuses a missing or different pair, naming the key only', () => {
  const actual = { app: 'billing', stage: 'prod', 'aws-crypto-public-key': 'AAA' }
  requireExpectedContext(actual, { app: 'billing' })
  requireExpectedContext(actual, undefined)
  const differs = failureOf(() => requireExpectedContext(actual, { stage: 'dev' }))
  assert.equal(differs?.failure, 'ContextMismatch')
  assert.match(differs!.message, /different value for 'stage'/)
  assert.doesNotMatch(differs!.message, /prod|dev/)
  assert.match(failureOf(() => requireExpectedContext(actual, { team: 'x' }))!.message, /no 'team' pair/)
})

test('requireExpectedContext() does not take inherited properties for pairs', () => {
  assert.equal(failureOf(() => requireExpectedContext({}, { toString: 'x' }))?.failure, 'ContextMismatch')
  const withProto = copyContext(JSON.parse('{"__proto__":"v"}') as Record<string, unknown>)
  requireExpectedContext(withProto, JSON.parse('{"__proto__":"v"}') as Record<string, string>)
})
