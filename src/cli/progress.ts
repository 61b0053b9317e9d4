// Progress lines on stderr for the long-running custody verbs (backup, restore): a count and a rate at
// most once a second, and once at the end, so an operator sees a large run moving; stdout keeps the result.
export interface Progress {
  tick(count: number): void
  done(count: number): void
}

export function progressLine(label: string, err: NodeJS.WritableStream, started = Date.now()): Progress {
  let last = started
  const line = (count: number, suffix: string) => {
    last = Date.now()
    const rate = count / Math.max(0.001, (last - started) / 1000)
    err.write(`${label}: ${count} rows${suffix} (${rate.toFixed(0)} rows/s)\n`)
  }
  return {
    tick: (count) => {
      if (Date.now() - last >= 1_000) line(count, '')
    },
    done: (count) => line(count, ', done'),
  }
}
