// Wildcard matching: the glob semantics policies use, and a bound on its cost for hostile patterns.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { arnMatches, wildcardMatches } from './wildcard.js'

const cases: [string, string, boolean, boolean][] = [
  ['kms:*', 'kms:Encrypt', false, true],
  ['kms:*', 'iam:Encrypt', false, false],
  ['kms:Re*crypt*', 'kms:ReEncryptFrom', false, true],
  ['kms:Re*crypt*', 'kms:ReEncrypFrom', false, false],
  ['a?c', 'abc', false, true],
  ['a?c', 'ac', false, false],
  ['a*', 'a', false, true],
  ['*', '', false, true],
  ['', '', false, true],
  ['', 'x', false, false],
  ['**b', 'aab', false, true],
  ['a.b', 'aXb', false, false],
  ['KMS:ENCRYPT', 'kms:Encrypt', true, true],
  ['KMS:ENCRYPT', 'kms:Encrypt', false, false],
  ['*a*b', 'xaxbxb', false, true],
  ['*a*b', 'xaxbxbx', false, false],
]

for (const [pattern, text, ignoreCase, expected] of cases) {
  test(`wildcard ${JSON.stringify(pattern)} ${expected ? 'matches' : 'does not match'} ${JSON.stringify(text)}${ignoreCase ? ' (ignoring case)' : ''}`, () => {
    assert.equal(wildcardMatches(pattern, text, ignoreCase), expected)
  })
}

// A hang guard, not a speed check: the linear scan needs about a million character steps here (milliseconds),
// while the backtracking regex it replaced needed longer than the universe has existed. The bound is only
// there so a regression fails instead of hanging the suite.
test('a pattern of many stars against a long non-matching text terminates (no exponential backtracking)', () => {
  const started = process.hrtime.bigint()
  assert.equal(wildcardMatches(`${'*a'.repeat(200)}b`, 'a'.repeat(4096), false), false)
  const ms = Number(process.hrtime.bigint() - started) / 1e6
  assert.ok(ms < 10_000, `took ${ms} ms`)
})

test('a * in an ARN pattern does not span a colon; the last part keeps its colons', () => {
  assert.equal(arnMatches('arn:aws:iam::*:role/*', 'arn:aws:iam::111122223333:role/a:b'), true)
  assert.equal(arnMatches('arn:aws:*:role/x', 'arn:aws:iam::111122223333:role/x'), false)
})
