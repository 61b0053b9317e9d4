// Property tests (fast-check) of the SigV4 Authorization header parser: the three parts round-trip in any
// order and spacing; an unknown or repeated part is always refused; any text gives parts or a KmsError.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { KmsError } from '../../wire/kms-error.js'
import { parseAuthorization } from './parse-authorization.js'

const RUNS = 300
const SEED = 20261202

const credential = fc.tuple(fc.stringMatching(/^[A-Z0-9]{16,20}$/), fc.constantFrom('20260115', '20251231')).map(([id, day]) => `${id}/${day}/us-east-1/kms/aws4_request`)
const headerNames = fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/), { minLength: 1, maxLength: 6 })
const signature = fc.stringMatching(/^[0-9a-f]{64}$/)
const spacing = fc.constantFrom('', ' ', '  ', '\t')

function header(parts: [string, string][], gaps: string[]): string {
  return `AWS4-HMAC-SHA256 ${parts.map(([k, v], i) => `${k}=${v}`.concat(i < parts.length - 1 ? `,${gaps[i] ?? ''}` : '')).join('')}`
}

describe('parseAuthorization() properties', () => {
  it('reads back the three parts whatever their order and the spacing after the commas', () => {
    fc.assert(fc.property(credential, headerNames, signature, fc.array(spacing, { minLength: 2, maxLength: 2 }), fc.nat(5), (cred, names, sig, gaps, turn) => {
      const parts: [string, string][] = [['Credential', cred], ['SignedHeaders', names.join(';')], ['Signature', sig]]
      const ordered = [...parts.slice(turn % 3), ...parts.slice(0, turn % 3)]
      assert.deepEqual(parseAuthorization(header(ordered, gaps)), { credential: cred, signedHeaders: names, signature: sig })
    }), { numRuns: RUNS, seed: SEED })
  })

  it('always refuses an extra unknown part or a repeated one, wherever it sits', () => {
    const unknown = fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,11}$/).filter((n) => !['Credential', 'SignedHeaders', 'Signature'].includes(n))
    fc.assert(fc.property(credential, signature, unknown, fc.string({ maxLength: 50 }).filter((v) => !v.includes(',')), fc.nat(3), fc.boolean(), (cred, sig, name, value, at, repeat) => {
      const parts: [string, string][] = [['Credential', cred], ['SignedHeaders', 'host'], ['Signature', sig]]
      const extra: [string, string] = repeat ? parts[at % 3]! : [name, value]
      parts.splice(at, 0, extra)
      assert.throws(() => parseAuthorization(header(parts, [' ', ' ', ' '])), (e: unknown) => e instanceof KmsError && e.name === 'IncompleteSignatureException')
    }), { numRuns: RUNS, seed: SEED })
  })

  it('gives parts or IncompleteSignatureException for any text, and never echoes it', () => {
    fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.string({ maxLength: 200 }).map((s) => `AWS4-HMAC-SHA256 ${s}`)), (text) => {
      try {
        parseAuthorization(text)
      } catch (e) {
        assert.ok(e instanceof KmsError && e.name === 'IncompleteSignatureException', String(e))
        if (text.length > 40) assert.equal(e.message.includes(text.slice(17)), false)
      }
    }), { numRuns: RUNS, seed: SEED })
  })
})
