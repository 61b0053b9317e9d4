// Keyset pagination shared by every driver: fetch one row more than asked to learn whether more remain.

import type { Page } from './store.js'

/**
 * The number of rows a driver should fetch for a page of `limit` items.
 * Throws RangeError when `limit` is not a positive integer (callers validate the wire Limit first).
 */
export function fetchSize(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError('page limit must be a positive integer')
  return limit + 1
}

/** Cuts the `limit + 1` fetched items to a page; `nextAfter` is set only when a further item exists. */
export function toPage<T>(fetched: T[], limit: number, sortKey: (item: T) => string): Page<T> {
  if (fetched.length <= limit) return { items: fetched }
  const items = fetched.slice(0, limit)
  return { items, nextAfter: sortKey(items[limit - 1]!) }
}
