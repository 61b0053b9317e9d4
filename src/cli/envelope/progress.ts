// A progress bar on stderr for `trent encrypt|decrypt`, drawn only when stderr is a terminal, so pipes and
// logs never receive control characters.
import { Transform } from 'node:stream'

const REDRAW_MS = 100
const WIDTH = 30

/** A pass-through stream that counts bytes and redraws the bar at most every 100 ms; `total` when known. */
export function progressMeter(out: NodeJS.WriteStream, total: number | undefined, label: string): Transform {
  let seen = 0
  let drawnAt = 0
  const draw = (final: boolean) => {
    out.write(`\r${render(label, seen, total)}${final ? '\n' : ''}`)
  }
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length
      const now = Date.now()
      if (now - drawnAt >= REDRAW_MS) {
        drawnAt = now
        draw(false)
      }
      done(null, chunk)
    },
    flush(done) {
      draw(true)
      done()
    },
  })
}

/** One line of the bar: `label [#####.....]  45% 45.0 MiB / 100.0 MiB`, or just the count when the size is unknown. */
export function render(label: string, seen: number, total: number | undefined): string {
  if (total === undefined || total <= 0) return `${label} ${mib(seen)}`
  const fraction = Math.min(1, seen / total)
  const filled = Math.round(fraction * WIDTH)
  const percent = String(Math.floor(fraction * 100)).padStart(3)
  return `${label} [${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${percent}% ${mib(seen)} / ${mib(total)}`
}

function mib(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MiB`
}

/** Whether to draw: stderr is a terminal and the caller did not pass --no-progress. */
export function wantsProgress(stream: NodeJS.WriteStream, disabled: boolean): boolean {
  return !disabled && stream.isTTY === true
}
