// Order statistics for the bench: medians across repeated rounds (wrk computes the percentiles within a run).

/** The median: the middle value, or the mean of the two middle values. Throws RangeError on an empty sample. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of an empty sample')
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  if (sorted.length % 2 === 1) return sorted[mid] as number
  return ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}
