// `trent audit export --data-dir D [--start ISO] [--end ISO]`: the audit log as JSON Lines on stdout.
import { once } from 'node:events'
import { parseArgs } from 'node:util'
import { exportAuditLog } from '../../audit/log-export.js'
import { openAuditStore, timeOption } from './audit-data-dir.js'

/** Writes a line to `stream`, waiting for it to drain when its buffer is full. */
export async function writeLine(stream: NodeJS.WritableStream, line: string): Promise<void> {
  if (!stream.write(line)) await once(stream, 'drain')
}

export async function runAuditExport(args: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  const { values } = parseArgs({ args, options: { 'data-dir': { type: 'string' }, start: { type: 'string' }, end: { type: 'string' } }, strict: true })
  const range = { start: timeOption('start', values.start), end: timeOption('end', values.end) }
  const store = await openAuditStore(values['data-dir'], process.env)
  try {
    const counts = await exportAuditLog(store, (line) => writeLine(out, line), range)
    err.write(`exported ${counts.records} records and ${counts.digests} digests\n`)
    return 0
  } finally {
    await store.close()
  }
}
