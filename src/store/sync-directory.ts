// Makes a newly created directory entry durable: fsync of the file covers its bytes, not its name.
import { open } from 'node:fs/promises'

/** fsyncs `dir` (a no-op on Windows, which cannot open a directory for it). Rejects on I/O errors. */
export async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return
  const handle = await open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}
