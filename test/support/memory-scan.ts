// Searches another process's memory for a byte string: every readable mapping in /proc/<pid>/maps, read
// through /proc/<pid>/mem (root, or the same user with ptrace allowed). Used to prove a secret is, or is not,
// held by a running Trent.
import { closeSync, openSync, readFileSync, readSync } from 'node:fs'

export interface ScanResult {
  found: boolean
  /** Bytes read, to show the scan covered the process (a scan that read nothing proves nothing). */
  bytesScanned: number
}

const chunkBytes = 8 * 1024 * 1024

/** Throws when the process's memory cannot be read at all. */
export function scanProcessMemory(pid: number, needle: Uint8Array): ScanResult {
  const maps = readFileSync(`/proc/${pid}/maps`, 'utf8').trim().split('\n')
  const fd = openSync(`/proc/${pid}/mem`, 'r')
  const target = Buffer.from(needle)
  let bytesScanned = 0
  try {
    for (const line of maps) {
      const [range, perms] = line.split(' ')
      if (!perms?.startsWith('r') || line.endsWith('[vvar]') || line.endsWith('[vsyscall]')) continue
      const [start, end] = range!.split('-').map((h) => parseInt(h, 16)) as [number, number]
      // Chunks overlap by needle.length - 1 bytes, so a match across a chunk boundary is not missed.
      for (let at = start; at < end; at += chunkBytes - (target.length - 1)) {
        const length = Math.min(chunkBytes, end - at)
        const buf = Buffer.alloc(length)
        let n: number
        try {
          n = readSync(fd, buf, 0, length, at)
        } catch {
          break
        }
        bytesScanned += n
        if (buf.subarray(0, n).indexOf(target) !== -1) return { found: true, bytesScanned }
        if (at + length >= end) break
      }
    }
  } finally {
    closeSync(fd)
  }
  if (bytesScanned === 0) throw new Error(`read none of process ${pid}'s memory`)
  return { found: false, bytesScanned }
}
