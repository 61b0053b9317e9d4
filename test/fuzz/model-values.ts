// Request bodies from the AWS model: valid values (within each member's length, range, enum and required
// constraints; key references and blobs from a corpus of real ones) and mutations of them (wrong types,
// boundary and huge sizes, odd Unicode, prototype keys, missing required members, deep nesting).
import { wireModel } from '../../src/wire/model.generated.js'
import { between, pick, type Rand } from './prng.js'

export interface Corpus {
  /** Key ids, key ARNs, alias names and alias ARNs that exist (plus a few that do not). */
  keyRefs: string[]
  /** Base64 blobs: real ciphertexts, a public key, random bytes. */
  blobs: string[]
  /** Other strings worth trying in string members (policies, grant tokens, principals). */
  strings: string[]
}

export function oddValues(): unknown[] {
  return [
    null, true, 0, -1, 1.5, 2 ** 53, 1e308, -0, '', 'x', '\uD800', '\uFEFF', '\u202E', 'é'.repeat(300), 'A'.repeat(9000), 'not base64!',
    [], [1], {}, JSON.parse('{"__proto__":{"polluted":true}}'), { constructor: 'y' }, 'arn:aws:kms:::key/', '%00', '../../etc',
  ]
}

function text(rand: Rand, min: number, max: number): string {
  const n = between(rand, min, Math.min(max, min + 40))
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_/'
  return Array.from({ length: n }, () => pick(rand, [...alphabet])).join('')
}

function randomBase64(rand: Rand, min: number, max: number): string {
  const n = between(rand, Math.max(min, 1), Math.min(max, 256))
  return Buffer.from(Array.from({ length: n }, () => between(rand, 0, 255))).toString('base64')
}

/** A value for `shapeName` that meets the model's constraints (the operation may still refuse it on meaning). */
export function validValue(shapeName: string, rand: Rand, corpus: Corpus, depth = 0): unknown {
  const shape = wireModel.shapes[shapeName]
  switch (shape?.type) {
    case 'string': {
      if (shape.enum) return pick(rand, shape.enum)
      const min = shape.min ?? 0
      const max = shape.max ?? 256
      const fits = (v: string) => v.length >= min && v.length <= max && (shape.pattern === undefined || new RegExp(shape.pattern, 'u').test(v))
      const pool = shapeName.includes('KeyId') || shapeName.includes('Arn') ? corpus.keyRefs : [...corpus.strings, ...corpus.keyRefs]
      const candidates = pool.filter(fits)
      if (candidates.length > 0 && rand() < 0.85) return pick(rand, candidates)
      return text(rand, Math.max(min, 1), max)
    }
    case 'blob': return rand() < 0.6 ? pick(rand, corpus.blobs) : randomBase64(rand, shape.min ?? 1, shape.max ?? 4096)
    case 'integer': case 'long': return between(rand, shape.min ?? 0, Math.min(shape.max ?? 1000, (shape.min ?? 0) + 1000))
    case 'boolean': return rand() < 0.5
    case 'timestamp': return Math.floor(1.7e9 + rand() * 1e8)
    case 'list': {
      const n = depth > 3 ? 0 : between(rand, shape.min ?? 0, Math.min(shape.max ?? 3, 3))
      return Array.from({ length: n }, () => validValue(shape.member, rand, corpus, depth + 1))
    }
    case 'map': {
      const n = depth > 3 ? 0 : between(rand, shape.min ?? 0, Math.min(shape.max ?? 3, 3))
      return Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}${text(rand, 0, 4)}`, String(validValue(shape.value, rand, corpus, depth + 1))]))
    }
    case 'structure': return depth > 3 ? {} : validBody(shapeName, rand, corpus, depth + 1)
    default: return null
  }
}

/** Every required member, and each optional one half of the time, with a valid value. */
export function validBody(shapeName: string | null, rand: Rand, corpus: Corpus, depth = 0): Record<string, unknown> {
  const shape = shapeName ? wireModel.shapes[shapeName] : undefined
  const body: Record<string, unknown> = {}
  if (shape?.type !== 'structure') return body
  for (const [member, memberShape] of Object.entries(shape.members)) {
    if (shape.required.includes(member) || rand() < 0.5) body[member] = validValue(memberShape, rand, corpus, depth)
  }
  return body
}

/** A value just outside, or far outside, what the member's shape allows. */
function boundaryValue(shapeName: string, rand: Rand): unknown {
  const shape = wireModel.shapes[shapeName]
  switch (shape?.type) {
    case 'string': return rand() < 0.5 ? 'x'.repeat((shape.max ?? 2048) + 1) : (shape.enum ? `${pick(rand, shape.enum)}_` : '')
    case 'blob': return rand() < 0.5 ? Buffer.alloc((shape.max ?? 4096) + 1, 1).toString('base64') : ''
    case 'integer': case 'long': return pick(rand, [(shape.min ?? 0) - 1, (shape.max ?? 2 ** 31) + 1, 2 ** 63, -(2 ** 63), 0.5, Number.MAX_VALUE])
    case 'list': return Array.from({ length: (shape.max ?? 100) + 1 }, () => 'x')
    case 'map': return Object.fromEntries(Array.from({ length: (shape.max ?? 64) + 1 }, (_, i) => [`k${i}`, 'v']))
    default: return 'x'
  }
}

function nested(depth: number): unknown {
  let v: unknown = 'leaf'
  for (let i = 0; i < depth; i++) v = { a: v }
  return v
}

export type BodyMutation = 'none' | 'odd-member' | 'boundary' | 'drop-required' | 'extra-member' | 'deep' | 'huge-string'

/** One mutation of a valid body, named so a failure says what was tried. */
export function mutateBody(shapeName: string | null, body: Record<string, unknown>, rand: Rand): BodyMutation {
  const shape = shapeName ? wireModel.shapes[shapeName] : undefined
  const members = shape?.type === 'structure' ? Object.entries(shape.members) : []
  const kind = pick<BodyMutation>(rand, ['none', 'none', 'none', 'none', 'none', 'odd-member', 'odd-member', 'boundary', 'boundary', 'drop-required', 'extra-member', 'deep', 'huge-string'])
  if (members.length === 0 && kind !== 'extra-member' && kind !== 'deep') return 'none'
  const [member, memberShape] = members.length > 0 ? pick(rand, members) : ['X', 'String']
  switch (kind) {
    case 'odd-member': body[member] = pick(rand, oddValues()); break
    case 'boundary': body[member] = boundaryValue(memberShape, rand); break
    case 'drop-required': if (shape?.type === 'structure' && shape.required.length > 0) delete body[pick(rand, shape.required)]; break
    case 'extra-member':
      // An own property even for '__proto__', so the JSON text carries it.
      Object.defineProperty(body, pick(rand, ['__proto__', 'constructor', 'Unknown', 'keyid', '']), { value: pick(rand, oddValues()), enumerable: true, writable: true, configurable: true })
      break
    case 'deep': body[member] = nested(between(rand, 50, 3000)); break
    case 'huge-string': body[member] = 'Z'.repeat(between(rand, 100_000, 900_000)); break
    default: break
  }
  return kind
}
