// The last successful cryptographic use of a key (GetKeyLastUsage): which operation, when, and the request
// and audit event that recorded it. Kept per key; the latest use wins, whichever process saw it.
import type { KeyLastUsageTrackingOperation } from '../wire/types.generated.js'

export type TrackedOperation = KeyLastUsageTrackingOperation

export interface KeyLastUse {
  keyId: string
  operation: TrackedOperation
  usedAt: Date
  /** The audit record's eventID (CloudTrail's eventId). */
  eventId: string
  requestId: string
}

/** The later of two uses of one key (`b` when neither is later, so a fresh use replaces an equal-time one). */
export function laterUse(a: KeyLastUse | undefined, b: KeyLastUse | undefined): KeyLastUse | undefined {
  if (!a) return b
  if (!b) return a
  return a.usedAt.getTime() > b.usedAt.getTime() ? a : b
}
