// Cached rows are shared by every request that reads them, so they are frozen: a caller that tried to
// modify one (instead of copying it, as updates do) fails loudly instead of corrupting the cache.

/** Freezes `value` and everything it holds, except byte arrays (which cannot be frozen). Returns it. */
export function freezeDeep<T>(value: T): T {
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value) || Object.isFrozen(value)) return value
  Object.freeze(value)
  for (const inner of Object.values(value as object)) freezeDeep(inner)
  return value
}
