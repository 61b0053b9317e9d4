// Derives the SigV4 signing key (HMAC chain kDate → kRegion → kService → kSigning) and caches it,
// because every request needs one and it only changes per secret, day, region and service.
import { createHash, createHmac } from 'node:crypto'

/** kSigning for one secret and scope; 32 bytes. */
export function deriveSigningKey(secret: string, date: string, region: string, service: string): Buffer {
  let key: Buffer | string = 'AWS4' + secret
  for (const part of [date, region, service, 'aws4_request']) {
    key = createHmac('sha256', key).update(part, 'utf8').digest()
  }
  return key as Buffer
}

/** kSigning from a secret held as UTF-8 bytes (which stay the caller's); the 'AWS4' + secret copy is zeroed. */
export function deriveSigningKeyFromBytes(secret: Uint8Array, date: string, region: string, service: string): Buffer {
  // Not from the shared allocation pool: this buffer holds the secret and is zeroed on its own.
  const first = Buffer.alloc(4 + secret.length)
  first.write('AWS4', 0, 'latin1')
  first.set(secret, 4)
  let key: Buffer = first
  try {
    for (const part of [date, region, service, 'aws4_request']) {
      const next = createHmac('sha256', key).update(part, 'utf8').digest()
      key.fill(0)
      key = next
    }
    return key
  } finally {
    first.fill(0)
  }
}

/** The scope a signing key is derived for (the credential's date, region and service). */
export interface SigningScope {
  date: string
  region: string
  service: string
}

export interface SigningKeyCache {
  /** The signing key for this secret and scope, derived on a miss. */
  get(secret: string, date: string, region: string, service: string): Buffer
  readonly size: number
}

/**
 * A least-recently-used cache of derived keys holding at most `limit` entries. Entries are keyed by a hash of
 * the secret, so the cache's keys never spell the secret out.
 */
export function createSigningKeyCache(limit = 256): SigningKeyCache {
  const entries = new Map<string, Buffer>()
  return {
    get(secret, date, region, service) {
      const id = [createHash('sha256').update(secret, 'utf8').digest('base64'), date, region, service].join('\n')
      const hit = entries.get(id)
      if (hit !== undefined) {
        entries.delete(id)
        entries.set(id, hit)
        return hit
      }
      const key = deriveSigningKey(secret, date, region, service)
      entries.set(id, key)
      if (entries.size > limit) entries.delete(entries.keys().next().value as string)
      return key
    },
    get size() {
      return entries.size
    },
  }
}
