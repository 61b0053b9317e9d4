// Parsing a private key costs as much as using it (RSA import checks, ML-DSA expansion from its seed), so
// each thread keeps a small LRU of parsed keys, named by the SHA-256 of their DER: a one-way name.
import { createHash } from 'node:crypto'

const maxEntries = 256
const entries = new Map<string, unknown>()

/**
 * Returns the parsed form of `der` under `purpose`, building it with `parse` on a miss.
 * `purpose` separates the different parsed shapes one DER can have (KeyObject, raw scalars…).
 */
export function parsedKey<T>(purpose: string, der: Uint8Array, parse: () => T): T {
  const name = `${purpose}:${createHash('sha256').update(der).digest('hex')}`
  if (entries.has(name)) {
    const hit = entries.get(name) as T
    entries.delete(name)
    entries.set(name, hit)
    return hit
  }
  const parsed = parse()
  entries.set(name, parsed)
  if (entries.size > maxEntries) {
    const oldest = entries.keys().next().value
    if (oldest !== undefined) entries.delete(oldest)
  }
  return parsed
}
