// Input and output for `trent encrypt|decrypt`: a file or `-` for stdin/stdout. A file output is written
// beside its target under a temporary name and renamed only on success, so a failed or refused decrypt
// never leaves (partial) plaintext where the caller asked for it.
import { createReadStream, createWriteStream, statSync, renameSync, rmSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { basename, dirname, join } from 'node:path'
import type { Readable, Writable } from 'node:stream'

export interface Input {
  stream: Readable
  /** Size in bytes when the input is a regular file. */
  size?: number
  name: string
}

export function openInput(path: string, stdin: Readable): Input {
  if (path === '-') return { stream: stdin, name: 'stdin' }
  const stat = statSync(path)
  if (!stat.isFile()) throw new RangeError(`--in ${path} is not a regular file`)
  return { stream: createReadStream(path, { highWaterMark: 1 << 16 }), size: stat.size, name: path }
}

export interface Output {
  stream: Writable
  /** Makes the output final (renames the temporary file into place). */
  commit(): void
  /** Removes what was written (the temporary file); stdout cannot be taken back. */
  discard(): void
}

export function openOutput(path: string, stdout: Writable): Output {
  if (path === '-') return { stream: stdout, commit() {}, discard() {} }
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.partial`)
  // 0600: the output may be plaintext; the caller can widen it afterwards.
  const stream = createWriteStream(temporary, { mode: 0o600, flags: 'wx' })
  return {
    stream,
    commit: () => renameSync(temporary, path),
    discard: () => rmSync(temporary, { force: true }),
  }
}
