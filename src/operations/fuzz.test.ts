// A seeded, bounded fuzz of every served operation through the real pipeline: members get values of the
// wrong type, wrong size, odd Unicode, prototype-polluting keys and valid-looking key references. Whatever
// the input, the reply must be a modelled client error or a success: never a 5xx, never a crash. The same
// generators drive the real server over HTTP in test/fuzz (`npm run fuzz`), with protocol-level mutations too.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { wireModel } from '../wire/model.generated.js'
import { registry } from './registry.js'
import { createHarness, type Harness } from '../../test/support/harness.js'
import { createKey, type TestKey } from '../../test/support/kms-fixtures.js'
import { oddValues } from '../../test/fuzz/model-values.js'
import { pick, prng } from '../../test/fuzz/prng.js'

interface Corpus {
  keyRefs: string[]
  blobs: string[]
  odd: unknown[]
}

/** A value of the member's modelled type most of the time (so requests reach the operations), odd otherwise. */
function valueFor(shapeName: string, rand: () => number, corpus: Corpus, depth: number): unknown {
  if (rand() < 0.12) return pick(rand, corpus.odd)
  const shape = wireModel.shapes[shapeName]
  switch (shape?.type) {
    case 'string':
      if (shape.enum) return rand() < 0.9 ? pick(rand, shape.enum) : 'NOT_AN_ENUM'
      return rand() < 0.6 ? pick(rand, corpus.keyRefs) : pick(rand, ['x', 'alias/fuzz', 'kms:Encrypt', 'default', '{"Statement":[]}', 'a=b'])
    case 'blob': return rand() < 0.5 ? pick(rand, corpus.blobs) : Buffer.from(Array.from({ length: 1 + Math.floor(rand() * 80) }, () => Math.floor(rand() * 256))).toString('base64')
    case 'integer': case 'long': return pick(rand, [shape.min ?? 0, (shape.min ?? 0) - 1, shape.max ?? 100, (shape.max ?? 100) + 1, 1, 7, 32, 4096])
    case 'boolean': return rand() < 0.5
    case 'timestamp': return Math.floor(rand() * 2e9)
    case 'list': return depth > 3 ? [] : Array.from({ length: Math.floor(rand() * 3) }, () => valueFor(shape.member, rand, corpus, depth + 1))
    case 'map': return Object.fromEntries(Array.from({ length: Math.floor(rand() * 3) }, (_, i) => [`k${i}`, String(valueFor(shape.value, rand, corpus, depth + 1))]))
    case 'structure': return depth > 3 ? {} : bodyOf(shapeName, rand, corpus, depth + 1)
    default: return null
  }
}

function bodyOf(shapeName: string | null, rand: () => number, corpus: Corpus, depth: number): Record<string, unknown> {
  const shape = shapeName ? wireModel.shapes[shapeName] : undefined
  const body: Record<string, unknown> = {}
  if (shape?.type !== 'structure') return body
  for (const [member, memberShape] of Object.entries(shape.members)) {
    if (shape.required.includes(member) ? rand() < 0.95 : rand() < 0.5) body[member] = valueFor(memberShape, rand, corpus, depth)
  }
  return body
}

async function buildCorpus(h: Harness): Promise<Corpus> {
  const keys: TestKey[] = [await createKey(h)]
  for (const [KeySpec, KeyUsage] of [['RSA_2048', 'ENCRYPT_DECRYPT'], ['ECC_NIST_P256', 'SIGN_VERIFY'], ['ECC_NIST_P256', 'KEY_AGREEMENT'], ['HMAC_256', 'GENERATE_VERIFY_MAC']]) {
    keys.push(await createKey(h, { KeySpec, KeyUsage }))
  }
  assert.equal((await h.call('CreateAlias', { AliasName: 'alias/fuzz', TargetKeyId: keys[0]!.keyId })).status, 200)
  const enc = await h.call('Encrypt', { KeyId: keys[0]!.keyId, Plaintext: Buffer.from('fuzz').toString('base64') })
  const pub = await h.call('GetPublicKey', { KeyId: keys[2]!.keyId })
  return {
    keyRefs: keys.flatMap((k) => [k.keyId, k.arn]).concat('alias/fuzz', 'arn:aws:kms:us-east-1:111122223333:alias/fuzz'),
    blobs: [String(enc.body.CiphertextBlob), String(pub.body.PublicKey), Buffer.alloc(32, 1).toString('base64')],
    odd: oddValues(),
  }
}

describe('fuzzing every served operation', () => {
  let h: Harness
  let corpus: Corpus
  before(async () => {
    h = await createHarness()
    corpus = await buildCorpus(h)
  })
  after(() => h.close())

  it('never answers 5xx to 60 random bodies per operation (seeded)', async () => {
    const outcomes = new Map<string, number>()
    for (const op of [...registry.keys()].sort()) {
      const seed = [...op].reduce((s, c) => s * 31 + c.charCodeAt(0), 7) >>> 0
      const rand = prng(seed)
      for (let i = 0; i < 60; i++) {
        const body = bodyOf(wireModel.operations[op]?.input ?? null, rand, corpus, 0)
        const res = await h.call(op, body)
        assert.ok(res.status === 200 || res.status === 400, `${op} seed ${seed} case ${i}: ${res.status} ${JSON.stringify(res.body)} for ${JSON.stringify(body).slice(0, 300)}`)
        if (res.status === 400) assert.equal(typeof res.body.__type, 'string')
        outcomes.set(String(res.body.__type ?? 200), (outcomes.get(String(res.body.__type ?? 200)) ?? 0) + 1)
      }
    }
    // The fuzz is only worth something if bodies get past decoding: require successes and many distinct errors.
    assert.ok((outcomes.get('200') ?? 0) >= 50, JSON.stringify([...outcomes]))
    assert.ok(outcomes.size >= 12, JSON.stringify([...outcomes]))
    assert.equal(({} as Record<string, unknown>).polluted, undefined)
    assert.equal(h.logs.lines.filter((l) => l.level === 'error').length, 0, JSON.stringify(h.logs.lines.filter((l) => l.level === 'error')).slice(0, 500))
  })
})
