// Rule: request data under names that differ only in case (encryption-context keys, tag keys) never
// collapses into one value. Every reading is evaluated: an Allow applies only when it applies to every
// reading, a Deny applies when it applies to any. Each case is checked against that rule by evaluating
// the two readings one at a time, and against the expected outcome written out.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { failingClause } from './conditions.js'
import { evaluatePolicy } from './evaluate.js'
import { keyPolicy, request } from './policy-fixtures.test-support.js'
import { contextOf, type ContextValue } from './request.js'

type Condition = Record<string, Record<string, unknown>>
interface Case {
  name: string
  condition: Condition
  /** The two values the request gave for the key, under two spellings that differ only in case. */
  values: [string, string]
  /** The condition key read (default kms:EncryptionContext:classification). */
  key?: string
  allowApplies: boolean
  denyApplies: boolean
  extra?: Record<string, ContextValue>
}

const EC = 'kms:EncryptionContext:classification'
const TAG = 'aws:PrincipalTag/team'
const cls = (op: string, value: unknown): Condition => ({ [op]: { [EC]: value } })
// The parser refuses ForAllValues over kms:EncryptionContext:… (AWS's OverlyPermissiveCondition), so
// the ForAllValues cases read a principal tag, which the same folding applies to.
const tag = (op: string, value: unknown): Partial<Case> => ({ condition: { [op]: { [TAG]: value } }, key: TAG })
const TS: [string, string] = ['top-secret', 'x']

const cases: Case[] = [
  { name: 'StringEquals on one reading', condition: cls('StringEquals', 'top-secret'), values: TS, allowApplies: false, denyApplies: true },
  { name: 'StringEquals listing both readings', condition: cls('StringEquals', ['top-secret', 'x']), values: TS, allowApplies: true, denyApplies: true },
  { name: 'StringNotEquals on one reading', condition: cls('StringNotEquals', 'top-secret'), values: TS, allowApplies: false, denyApplies: true },
  { name: 'StringNotEquals listing both readings', condition: cls('StringNotEquals', ['top-secret', 'x']), values: TS, allowApplies: false, denyApplies: false },
  { name: 'StringNotEquals listing neither reading', condition: cls('StringNotEquals', 'public'), values: TS, allowApplies: true, denyApplies: true },
  { name: 'StringEqualsIgnoreCase', condition: cls('StringEqualsIgnoreCase', 'TOP-SECRET'), values: TS, allowApplies: false, denyApplies: true },
  { name: 'StringNotEqualsIgnoreCase', condition: cls('StringNotEqualsIgnoreCase', 'TOP-SECRET'), values: TS, allowApplies: false, denyApplies: true },
  { name: 'StringLike', condition: cls('StringLike', 'top-*'), values: TS, allowApplies: false, denyApplies: true },
  { name: 'StringNotLike', condition: cls('StringNotLike', 'top-*'), values: TS, allowApplies: false, denyApplies: true },
  { name: 'StringEqualsIfExists', condition: cls('StringEqualsIfExists', 'top-secret'), values: TS, allowApplies: false, denyApplies: true },
  { name: 'StringNotEqualsIfExists', condition: cls('StringNotEqualsIfExists', 'top-secret'), values: TS, allowApplies: false, denyApplies: true },
  { name: 'ForAnyValue:StringEquals', condition: cls('ForAnyValue:StringEquals', 'top-secret'), values: TS, allowApplies: false, denyApplies: true },
  { name: 'ForAllValues:StringEquals', ...tag('ForAllValues:StringEquals', 'top-secret'), values: TS, allowApplies: false, denyApplies: true } as Case,
  { name: 'ForAnyValue:StringNotEquals', condition: cls('ForAnyValue:StringNotEquals', 'top-secret'), values: TS, allowApplies: false, denyApplies: true },
  { name: 'ForAllValues:StringNotEquals', ...tag('ForAllValues:StringNotEquals', 'top-secret'), values: TS, allowApplies: false, denyApplies: true } as Case,
  { name: 'ForAllValues:StringNotLike', ...tag('ForAllValues:StringNotLike', 'x*'), values: TS, allowApplies: false, denyApplies: true } as Case,
  { name: 'Null true (present in every reading)', condition: cls('Null', 'true'), values: TS, allowApplies: false, denyApplies: false },
  { name: 'Null false (present in every reading)', condition: cls('Null', 'false'), values: TS, allowApplies: true, denyApplies: true },
  { name: 'NumericLessThan', condition: cls('NumericLessThan', 10), values: ['5', '50'], allowApplies: false, denyApplies: true },
  { name: 'NumericNotEquals', condition: cls('NumericNotEquals', 5), values: ['5', '50'], allowApplies: false, denyApplies: true },
  { name: 'NumericGreaterThanEqualsIfExists', condition: cls('NumericGreaterThanEqualsIfExists', 10), values: ['5', '50'], allowApplies: false, denyApplies: true },
  { name: 'DateLessThan', condition: cls('DateLessThan', '2026-01-01T00:00:00Z'), values: ['2025-01-01T00:00:00Z', '2027-01-01T00:00:00Z'], allowApplies: false, denyApplies: true },
  { name: 'DateNotEquals', condition: cls('DateNotEquals', '2025-01-01T00:00:00Z'), values: ['2025-01-01T00:00:00Z', '2027-01-01T00:00:00Z'], allowApplies: false, denyApplies: true },
  { name: 'Bool', condition: cls('Bool', 'true'), values: ['true', 'false'], allowApplies: false, denyApplies: true },
  { name: 'BinaryEquals', condition: cls('BinaryEquals', 'QUJD'), values: ['QUJD', 'REVG'], allowApplies: false, denyApplies: true },
  { name: 'IpAddress', condition: cls('IpAddress', '10.0.0.0/8'), values: ['10.1.1.1', '192.168.0.1'], allowApplies: false, denyApplies: true },
  { name: 'NotIpAddress', condition: cls('NotIpAddress', '10.0.0.0/8'), values: ['10.1.1.1', '192.168.0.1'], allowApplies: false, denyApplies: true },
  { name: 'ArnLike', condition: cls('ArnLike', 'arn:aws:iam::*:role/a'), values: ['arn:aws:iam::1:role/a', 'arn:aws:iam::1:role/b'], allowApplies: false, denyApplies: true },
  { name: 'ArnNotEquals', condition: cls('ArnNotEquals', 'arn:aws:iam::1:role/a'), values: ['arn:aws:iam::1:role/a', 'arn:aws:iam::1:role/b'], allowApplies: false, denyApplies: true },
  {
    name: 'a variable naming the ambiguous key (no default)', condition: { StringEquals: { 'aws:username': '${kms:EncryptionContext:classification}' } },
    values: ['bob', 'alice'], extra: { 'aws:username': 'bob' }, allowApplies: false, denyApplies: true,
  },
  {
    name: 'a variable naming the ambiguous key ignores its default', condition: { StringNotEquals: { 'aws:username': "${kms:EncryptionContext:classification, 'bob'}" } },
    values: ['bob', 'alice'], extra: { 'aws:username': 'bob' }, allowApplies: false, denyApplies: true,
  },
]

function statement(effect: 'Allow' | 'Deny', condition: Condition) {
  return { Effect: effect, Principal: { AWS: '*' }, Action: 'kms:*', Resource: '*', Condition: condition }
}

/** Whether the statement applies to the request with both case-variant keys. */
function applies(effect: 'Allow' | 'Deny', c: Case): boolean {
  const key = c.key ?? EC
  const context = { ...c.extra, [key.toUpperCase()]: c.values[0], [key]: c.values[1] }
  const outcome = evaluatePolicy(keyPolicy(statement(effect, c.condition)), request({ context }), { kind: 'key-policy' })
  return effect === 'Deny' ? outcome.deny !== undefined : outcome.allow !== undefined
}

/** Whether the condition holds for one reading: the request as if it had only that value. */
function holdsForReading(c: Case, value: string): boolean {
  const conditions = keyPolicy(statement('Allow', c.condition)).statements[0]!.conditions
  return failingClause(conditions, contextOf({ ...c.extra, [c.key ?? EC]: value }), true) === undefined
}

describe('two context keys that differ only in case', () => {
  for (const c of cases) {
    it(`${c.name}: an Allow applies only if every reading allows, a Deny if any reading denies`, () => {
      const [a, b] = c.values.map((v) => holdsForReading(c, v)) as [boolean, boolean]
      assert.equal(c.allowApplies, a && b, 'the written expectation follows the rule')
      assert.equal(c.denyApplies, a || b, 'the written expectation follows the rule')
      assert.equal(applies('Allow', c), c.allowApplies, 'Allow')
      assert.equal(applies('Deny', c), c.denyApplies, 'Deny')
    })
  }

  it('a condition key matches a context key written in another case', () => {
    const doc = keyPolicy(statement('Deny', { StringEquals: { 'KMS:EncryptionContext:CLASSIFICATION': 'top-secret' } }))
    const outcome = evaluatePolicy(doc, request({ context: { 'kms:EncryptionContext:Classification': 'top-secret' } }), { kind: 'key-policy' })
    assert.ok(outcome.deny)
  })

  it('a Resource pattern naming an ambiguous key lets a Deny apply and an Allow not', () => {
    const tagged = { 'aws:ResourceTag/Project': 'alpha', 'aws:ResourceTag/project': 'beta' }
    const resource = 'arn:aws:kms:*:*:key/${aws:ResourceTag/project}'
    const st = (effect: string) => ({ Effect: effect, Principal: { AWS: '*' }, Action: 'kms:*', Resource: resource })
    assert.ok(evaluatePolicy(keyPolicy(st('Deny')), request({ context: tagged }), { kind: 'key-policy' }).deny)
    assert.equal(evaluatePolicy(keyPolicy(st('Allow')), request({ context: tagged }), { kind: 'key-policy' }).allow, undefined)
  })
})
