// The canonical JSON form that audit hashes and signatures cover (docs/audit-chain.md): object keys sorted
// by UTF-16 code units, no whitespace, undefined members dropped, everything else as JSON.stringify writes it.
import { createHash } from 'node:crypto'

/** Serialises `value` canonically. Throws TypeError for values JSON cannot carry (non-finite numbers, bigint). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('canonical JSON cannot carry a non-finite number')
    return JSON.stringify(value)
  }
  if (Array.isArray(value)) {
    let out = '['
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + canonicalJson(value[i] === undefined ? null : value[i])
    return `${out}]`
  }
  if (typeof value === 'object') return canonicalObject(value as Record<string, unknown>)
  throw new TypeError(`canonical JSON cannot carry a ${typeof value}`)
}

/**
 * The canonical form of `object` with the members of `extra` added (replacing any of the same name), as if
 * serialising `{ ...object, ...extra }` but without copying the object. The audit store uses it to place a
 * record in the chain: the record's own members plus its sequence and previous hash, serialised once.
 */
export function canonicalJsonWith(object: object, extra: Readonly<Record<string, unknown>>): string {
  return canonicalObject(object as Record<string, unknown>, extra)
}

// Hot path (every audit record is serialised once in the store's write transaction): plain loops, no
// intermediate arrays beyond the key list, and no sort when the keys are already in order.
function canonicalObject(object: Record<string, unknown>, extra?: Readonly<Record<string, unknown>>): string {
  const keys = Object.keys(object)
  if (extra) {
    for (const key of Object.keys(extra)) if (!Object.prototype.hasOwnProperty.call(object, key)) keys.push(key)
  }
  // The default sort compares UTF-16 code units, which is the order the canonical form specifies.
  if (!isSorted(keys)) keys.sort()
  let out = '{'
  for (const key of keys) {
    const v = extra && Object.prototype.hasOwnProperty.call(extra, key) ? extra[key] : object[key]
    if (v === undefined) continue
    if (out.length > 1) out += ','
    out += JSON.stringify(key)
    out += ':'
    out += canonicalJson(v)
  }
  return out + '}'
}

function isSorted(keys: string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (keys[i - 1]! > keys[i]!) return false
  return true
}

/** Lowercase hex SHA-256 of the UTF-8 bytes of `text`. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex')
}

/** The hash that links the next record (or a digest) to `value`: SHA-256 of its canonical form. */
export function canonicalHash(value: unknown): string {
  return sha256Hex(canonicalJson(value))
}

/** The `previous hash` of the first record in a chain and of the first digest. */
export const GENESIS_HASH = '0'.repeat(64)
