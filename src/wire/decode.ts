// Turns a parsed JSON request body into a typed input by walking the model: base64 blobs become bytes,
// epoch seconds become Dates, and every modelled constraint is checked with AWS's wording.
import { constraints, echo, protocolErrors, validationFailed, type Violation } from './messages.js'
import { wireModel } from './model.generated.js'
import type { ShapeDef } from './shape-types.js'

/**
 * Decodes padded standard base64 (whole quads, `=` only as the last one or two characters), or returns undefined.
 * Node's decoder skips characters outside its alphabet and stops at `=`, so any such character (or misplaced
 * padding) yields fewer bytes than the length promises; its alphabet also takes base64url's `-` and `_`, which
 * are refused explicitly. This replaces a whole-string regex that cost more than the decode on 5 KiB blobs (hot path).
 */
export function decodePaddedBase64(value: string): Buffer | undefined {
  if (value.length % 4 !== 0) return undefined
  const padding = value.endsWith('==') ? 2 : value.endsWith('=') ? 1 : 0
  const bytes = Buffer.from(value, 'base64')
  if (bytes.length !== (value.length / 4) * 3 - padding) return undefined
  if (value.includes('-') || value.includes('_')) return undefined
  return bytes
}
const patternCache = new Map<string, RegExp>()

/** AWS names members in lowerCamelCase in its messages (`KeyId` → `keyId`). */
function memberPath(parent: string, member: string): string {
  const name = member.charAt(0).toLowerCase() + member.slice(1)
  return parent ? `${parent}.${name}` : name
}

function jsonKind(v: unknown): string {
  if (v === null) return 'NULL_VALUE'
  if (Array.isArray(v)) return 'START_ARRAY'
  switch (typeof v) {
    case 'string': return 'STRING_VALUE'
    case 'number': return 'NUMBER_VALUE'
    case 'boolean': return 'BOOLEAN_VALUE'
    default: return 'START_OBJECT'
  }
}

function typeMismatch(value: unknown, expected: string): Error {
  return protocolErrors.typeMismatch(jsonKind(value), expected)
}

function compiledPattern(pattern: string): RegExp {
  let re = patternCache.get(pattern)
  if (!re) {
    // The model's patterns follow Java's String.matches, which must match the whole value.
    re = new RegExp(`^(?:${pattern})$`, 'u')
    patternCache.set(pattern, re)
  }
  return re
}

/** `shown` is what the message quotes: the caller's echoed string, or undefined for blobs, lists, maps and sensitive members. */
function checkLength(len: number, s: { min?: number; max?: number }, path: string, shown: string | undefined, out: Violation[]): void {
  if (s.min !== undefined && len < s.min) out.push({ path, shown, constraint: constraints.minLength(s.min) })
  if (s.max !== undefined && len > s.max) out.push({ path, shown, constraint: constraints.maxLength(s.max) })
}

/** AWS quotes a string member's value, except a member the model marks sensitive (`hidden`). */
function decodeString(shape: Extract<ShapeDef, { type: 'string' }>, value: unknown, path: string, hidden: boolean, out: Violation[]): string {
  if (typeof value !== 'string') throw typeMismatch(value, 'a String')
  // Echoed only once a violation will quote it: echo walks every code point, and most strings are valid.
  const before = out.length
  checkLength(value.length, shape, path, undefined, out)
  if (shape.enum && !shape.enum.includes(value)) {
    out.push({ path, constraint: constraints.enumValues(shape.enum) })
  } else if (shape.pattern && value.length > 0 && !compiledPattern(shape.pattern).test(value)) {
    out.push({ path, constraint: constraints.pattern(shape.pattern) })
  }
  if (out.length > before && !hidden && !shape.sensitive) {
    const shown = echo(value)
    for (let i = before; i < out.length; i++) out[i] = { ...out[i]!, shown }
  }
  return value
}

/** Epoch seconds. A number no Date can hold (beyond ±8.64e12 s) is as unreadable as a string, not a later RangeError. */
function decodeTimestamp(value: unknown): Date {
  const date = typeof value === 'number' ? new Date(value * 1000) : undefined
  if (!date || Number.isNaN(date.getTime())) throw typeMismatch(value, 'a Date')
  return date
}

/** `hidden`: the member is sensitive in the model, so no message may quote it (nor anything inside it). */
function decodeValue(shapeName: string, value: unknown, path: string, out: Violation[], hidden = false): unknown {
  const shape: ShapeDef | undefined = wireModel.shapes[shapeName]
  if (!shape) throw new Error(`model has no shape ${shapeName}`)
  switch (shape.type) {
    case 'structure': return decodeStructure(shapeName, value, path, out, hidden)
    case 'string': return decodeString(shape, value, path, hidden, out)
    case 'blob': {
      // Blobs are never quoted: they are ciphertexts, keys, messages and plaintexts.
      if (typeof value !== 'string') throw typeMismatch(value, 'a ByteBuffer')
      const decoded = decodePaddedBase64(value)
      if (!decoded) throw protocolErrors.badBase64(path)
      // A copy, as before: the decoded Buffer may sit in Node's shared pool beside other requests' bytes.
      const bytes = new Uint8Array(decoded)
      checkLength(bytes.length, shape, path, undefined, out)
      return bytes
    }
    case 'integer': case 'long': {
      if (typeof value !== 'number' || !Number.isInteger(value)) throw typeMismatch(value, 'an Integer')
      const shown = hidden ? undefined : String(value)
      if (shape.min !== undefined && value < shape.min) out.push({ path, shown, constraint: constraints.minValue(shape.min) })
      if (shape.max !== undefined && value > shape.max) out.push({ path, shown, constraint: constraints.maxValue(shape.max) })
      return value
    }
    case 'boolean':
      if (typeof value !== 'boolean') throw typeMismatch(value, 'a Boolean')
      return value
    case 'timestamp': return decodeTimestamp(value)
    case 'list': {
      if (!Array.isArray(value)) throw typeMismatch(value, 'a List')
      checkLength(value.length, shape, path, undefined, out)
      return value.map((item, i) => decodeValue(shape.member, item, `${path}.${i + 1}.member`, out, hidden))
    }
    case 'map': return decodeMap(shape, value, path, out, hidden)
  }
}

function decodeMap(shape: Extract<ShapeDef, { type: 'map' }>, value: unknown, path: string, out: Violation[], hidden: boolean): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw typeMismatch(value, 'a Map')
  const entries = Object.entries(value)
  checkLength(entries.length, shape, path, undefined, out)
  // Built without a prototype, so a `__proto__` key is stored as data; the spread keeps it an own property.
  const result: Record<string, unknown> = Object.create(null)
  for (const [k, v] of entries) {
    decodeValue(shape.key, k, path, out, hidden)
    result[k] = decodeValue(shape.value, v, path, out, hidden)
  }
  return { ...result }
}

function decodeStructure(shapeName: string, value: unknown, path: string, out: Violation[], hidden = false): Record<string, unknown> {
  const shape = wireModel.shapes[shapeName]
  if (shape?.type !== 'structure') throw new Error(`${shapeName} is not a structure`)
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw typeMismatch(value, 'a Structure')
  const input = value as Record<string, unknown>
  const result: Record<string, unknown> = {}
  for (const [member, memberShape] of Object.entries(shape.members)) {
    const v = Object.prototype.hasOwnProperty.call(input, member) ? input[member] : undefined
    const mpath = memberPath(path, member)
    if (v === undefined || v === null) {
      if (shape.required.includes(member)) out.push({ path: mpath, shown: null, constraint: constraints.notNull })
      continue
    }
    result[member] = decodeValue(memberShape, v, mpath, out, hidden || (shape.sensitive?.includes(member) ?? false))
  }
  return result
}

/**
 * Decodes and validates `body` against the input shape of an operation.
 * Throws SerializationException for wrong JSON types or bad base64, ValidationException for constraint violations.
 */
export function decodeInput(shapeName: string | null, body: unknown): Record<string, unknown> {
  if (shapeName === null) return {}
  const violations: Violation[] = []
  const result = decodeStructure(shapeName, body, '', violations)
  if (violations.length > 0) throw validationFailed(violations)
  return result
}
