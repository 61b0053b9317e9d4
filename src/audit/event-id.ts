// Audit event ids: UUID version 7 (RFC 9562), whose first 48 bits are the event's Unix time in milliseconds.
// Ids that grow with time go to the end of the event-id indexes (audit, audit_shared) instead of a random
// page of them, so appending a batch dirties one index page rather than one per record (writer CPU and WAL
// bytes per record, measured in docs/audit-chain.md). The time is no secret: the record carries it anyway.
import { randomPublic } from '../crypto/random-pool.js'

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))
const MAX_UNIX_MS = 2 ** 48 - 1

/**
 * A fresh UUIDv7 for an event at `at`: 48-bit timestamp, version 7, RFC 9562 variant, 74 random bits.
 * A time outside 1970..year 10889 is clamped to that range (ids stay well-formed; only their order suffers).
 */
export function newEventId(at: Date, random: (n: number) => Uint8Array = randomPublic): string {
  const bytes = random(16)
  if (bytes.length !== 16) throw new Error('random source returned the wrong number of bytes')
  let ms = Math.min(Math.max(Math.floor(at.getTime()), 0), MAX_UNIX_MS)
  if (!Number.isFinite(ms)) ms = 0
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ms % 256
    ms = Math.floor(ms / 256)
  }
  bytes[6] = 0x70 | (bytes[6]! & 0x0f)
  bytes[8] = 0x80 | (bytes[8]! & 0x3f)
  const h = (i: number) => HEX[bytes[i]!]!
  return `${h(0)}${h(1)}${h(2)}${h(3)}-${h(4)}${h(5)}-${h(6)}${h(7)}-${h(8)}${h(9)}-${h(10)}${h(11)}${h(12)}${h(13)}${h(14)}${h(15)}`
}
