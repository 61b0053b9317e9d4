// Order statistics for the bench: latency percentiles within one run, medians across repeated runs.

/**
 * The nearest-rank percentile (the smallest value with at least p% of the sample at or below it).
 * Chosen over interpolation so a reported latency is one that was actually observed.
 * Throws RangeError on an empty sample or p outside [0, 100].
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError('percentile of an empty sample')
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within [0, 100], got ${p}`)
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length))
  return sorted[rank - 1] as number
}

/** The median: the middle value, or the mean of the two middle values. Throws RangeError on an empty sample. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of an empty sample')
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  if (sorted.length % 2 === 1) return sorted[mid] as number
  return ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

export interface LatencySummary {
  count: number
  p50Ms: number
  p99Ms: number
}

/** Summarises latencies in milliseconds (any order); an empty sample gives NaN percentiles rather than throwing. */
export function summarizeLatencies(latenciesMs: readonly number[]): LatencySummary {
  if (latenciesMs.length === 0) return { count: 0, p50Ms: Number.NaN, p99Ms: Number.NaN }
  const sorted = Float64Array.from(latenciesMs).sort()
  const asArray = Array.from(sorted)
  return { count: asArray.length, p50Ms: percentile(asArray, 50), p99Ms: percentile(asArray, 99) }
}
