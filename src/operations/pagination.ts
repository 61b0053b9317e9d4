// AWS-style pagination: Limit in, NextMarker + Truncated out. Markers are opaque to callers.
import type { KmsError } from '../wire/kms-error.js'
import { constraints, lookupErrors, requestErrors } from '../wire/messages.js'

const MARKER_PREFIX = 'trent1:'

export function encodeMarker(after: string): string {
  return MARKER_PREFIX + Buffer.from(after, 'utf8').toString('base64url')
}

/** Returns the sort key a marker stands for; throws InvalidMarkerException for anything we did not issue. */
export function decodeMarker(marker: string | undefined): string | undefined {
  if (marker === undefined) return undefined
  if (!marker.startsWith(MARKER_PREFIX)) throw invalidMarker()
  const body = marker.slice(MARKER_PREFIX.length)
  if (!/^[A-Za-z0-9_-]+$/.test(body)) throw invalidMarker()
  const after = Buffer.from(body, 'base64url').toString('utf8')
  if (encodeMarker(after) !== marker) throw invalidMarker()
  return after
}

function invalidMarker(): KmsError {
  return lookupErrors.invalidMarker()
}

/** The page fields of a list response. */
export function pageFields(nextAfter: string | undefined): { NextMarker?: string; Truncated: boolean } {
  return nextAfter === undefined ? { Truncated: false } : { NextMarker: encodeMarker(nextAfter), Truncated: true }
}

/**
 * The page size: the model allows Limit up to 1000 everywhere, but some list operations cap it lower
 * (ListAliases 100, ListResourceTags 50). Throws ValidationException above `max`.
 */
export function pageLimit(limit: number | undefined, defaultLimit: number, max: number): number {
  if (limit === undefined) return defaultLimit
  if (limit > max) {
    throw requestErrors.numberOutOfRange('limit', limit, constraints.maxValue(max))
  }
  return limit
}
