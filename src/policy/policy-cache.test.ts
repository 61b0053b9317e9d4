// The parsed-policy cache: one parse per distinct text, bounded, and malformed texts remembered as such.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { PolicyGrammarError } from './parse.js'
import { PolicyCache } from './policy-cache.js'

const text = (n: number) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: `s${n}`, Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' }] })

describe('PolicyCache', () => {
  it('returns the same parsed document for the same text', () => {
    const cache = new PolicyCache(10)
    assert.equal(cache.parse(text(1), 'resource'), cache.parse(text(1), 'resource'))
    assert.equal(cache.size, 1)
  })

  it('keeps key and identity parses apart', () => {
    const cache = new PolicyCache(10)
    const identity = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] })
    assert.equal(cache.parse(identity, 'identity').kind, 'identity')
    assert.throws(() => cache.parse(identity, 'resource'), PolicyGrammarError)
  })

  it('evicts the least recently used entry when full', () => {
    const cache = new PolicyCache(2)
    const first = cache.parse(text(1), 'resource')
    cache.parse(text(2), 'resource')
    cache.parse(text(1), 'resource')
    cache.parse(text(3), 'resource')
    assert.equal(cache.size, 2)
    assert.equal(cache.parse(text(1), 'resource'), first, 'recently used survives')
  })

  it('remembers a malformed text and throws the same error again', () => {
    const cache = new PolicyCache(10)
    let firstError: unknown
    assert.throws(() => cache.parse('{nope', 'resource'), (e) => { firstError = e; return e instanceof PolicyGrammarError })
    assert.throws(() => cache.parse('{nope', 'resource'), (e) => e === firstError)
  })
})
