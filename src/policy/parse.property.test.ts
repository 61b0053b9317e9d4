// Property tests (fast-check) of the policy parser: any text or JSON value is parsed or refused with a grammar
// error (never another exception); generated well-formed policies parse with every statement kept.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { PolicyGrammarError, parsePolicy } from './parse.js'
import { PrincipalGrammarError } from './principals.js'

const RUNS = 300
const SEED = 20261202

function onlyGrammarErrors(text: string, kind: 'resource' | 'identity'): void {
  try {
    parsePolicy(text, kind)
  } catch (e) {
    assert.ok(e instanceof PolicyGrammarError || e instanceof PrincipalGrammarError, `threw ${String(e)}`)
  }
}

const action = fc.constantFrom('kms:Encrypt', 'kms:Decrypt', 'kms:*', 'kms:Describe*', '*', 'kms:GenerateDataKey?')
const statement = fc.record({
  Sid: fc.stringMatching(/^[A-Za-z0-9]{0,12}$/),
  Effect: fc.constantFrom('Allow', 'Deny'),
  Principal: fc.constantFrom<unknown>('*', { AWS: 'arn:aws:iam::111122223333:root' }, { AWS: ['111122223333', '*'] }),
  Action: fc.oneof(action, fc.array(action, { minLength: 1, maxLength: 3 })),
  Resource: fc.constant('*'),
}, { requiredKeys: ['Effect', 'Principal', 'Action', 'Resource'] })

describe('parsePolicy() properties', () => {
  it('parses any text or refuses it with a grammar error', () => {
    fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.json()), fc.constantFrom('resource' as const, 'identity' as const), onlyGrammarErrors), { numRuns: RUNS, seed: SEED })
  })

  it('parses any policy-shaped JSON with odd members or refuses it with a grammar error', () => {
    const odd = fc.record({ Version: fc.oneof(fc.constant('2012-10-17'), fc.jsonValue()), Statement: fc.oneof(fc.jsonValue(), fc.array(fc.dictionary(fc.constantFrom('Sid', 'Effect', 'Principal', 'Action', 'NotAction', 'Resource', 'Condition'), fc.jsonValue()), { maxLength: 3 })) })
    fc.assert(fc.property(odd, (doc) => onlyGrammarErrors(JSON.stringify(doc), 'resource')), { numRuns: RUNS, seed: SEED })
  })

  it('parses every generated well-formed key policy, keeping each statement and its effect', () => {
    fc.assert(fc.property(fc.array(statement, { minLength: 1, maxLength: 5 }), (statements) => {
      const doc = parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: statements }), 'resource')
      assert.deepEqual(doc.statements.map((s) => s.effect), statements.map((s) => s.Effect))
    }), { numRuns: RUNS, seed: SEED })
  })
})
