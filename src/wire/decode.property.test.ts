// Property tests (fast-check) of the JSON decoding edge: any body bytes and any JSON value give a decoded
// input or a KmsError (never another exception); modelled values round-trip (blobs from base64, maps intact).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { parseJsonBody } from '../http/protocol.js'
import { decodeInput } from './decode.js'
import { KmsError } from './kms-error.js'
import { wireModel } from './model.generated.js'

const RUNS = 300
const SEED = 20261202
const INPUT_SHAPES = Object.values(wireModel.operations).map((op) => op.input).filter((s): s is string => typeof s === 'string')

function onlyKmsErrors(run: () => unknown): void {
  try {
    run()
  } catch (e) {
    assert.ok(e instanceof KmsError, `threw ${String(e)}`)
  }
}

describe('JSON body decoding properties', () => {
  it('parses any bytes into an object or refuses them with a KmsError', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (body) => onlyKmsErrors(() => parseJsonBody(body))), { numRuns: RUNS, seed: SEED })
  })

  it('parses any JSON text, deep or odd, into an object or a KmsError', () => {
    const deep = fc.integer({ min: 1, max: 5000 }).map((n) => '['.repeat(n) + ']'.repeat(n))
    fc.assert(fc.property(fc.oneof(fc.json(), deep, fc.string()), (text) => onlyKmsErrors(() => parseJsonBody(new TextEncoder().encode(text)))), { numRuns: RUNS, seed: SEED })
  })

  it('decodes any JSON value against any operation\'s input shape or refuses it with a KmsError', () => {
    fc.assert(fc.property(fc.constantFrom(...INPUT_SHAPES), fc.jsonValue(), (shape, value) => onlyKmsErrors(() => decodeInput(shape, value))), { numRuns: RUNS, seed: SEED })
  })

  it('decodes any object of modelled member names with arbitrary values without another exception', () => {
    const body = fc.constantFrom(...INPUT_SHAPES).chain((shape) => {
      const s = wireModel.shapes[shape]
      const members = s?.type === 'structure' ? Object.keys(s.members) : []
      return fc.tuple(fc.constant(shape), members.length === 0 ? fc.constant({}) : fc.dictionary(fc.constantFrom(...members), fc.jsonValue(), { maxKeys: members.length }))
    })
    fc.assert(fc.property(body, ([shape, value]) => onlyKmsErrors(() => decodeInput(shape, value))), { numRuns: RUNS, seed: SEED })
  })

  it('round-trips Encrypt\'s blob and map members: base64 in, the same bytes and pairs out', () => {
    const context = fc.dictionary(fc.string({ minLength: 1, maxLength: 20 }), fc.string({ maxLength: 40 }), { maxKeys: 4 })
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 4096 }), context, (plaintext, ec) => {
      const json = JSON.parse(JSON.stringify({ KeyId: 'alias/a', Plaintext: Buffer.from(plaintext).toString('base64'), EncryptionContext: ec })) as unknown
      const decoded = decodeInput(wireModel.operations.Encrypt!.input, parseJsonBody(new TextEncoder().encode(JSON.stringify(json))))
      assert.ok(decoded.Plaintext instanceof Uint8Array)
      assert.deepEqual(Buffer.from(decoded.Plaintext), Buffer.from(plaintext))
      assert.deepEqual(Object.entries(decoded.EncryptionContext ?? {}).sort(), Object.entries(ec).sort())
    }), { numRuns: RUNS, seed: SEED })
  })
})
