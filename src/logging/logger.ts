// Structured JSON logs on stderr. Callers pass ids and names only: never plaintext, key bytes or secrets.

export interface Logger {
  info(fields: Record<string, unknown>, message: string): void
  error(fields: Record<string, unknown>, message: string): void
}

function write(level: string, fields: Record<string, unknown>, message: string): void {
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...fields })}\n`)
}

export const jsonLogger: Logger = {
  info: (fields, message) => write('info', fields, message),
  error: (fields, message) => write('error', fields, message),
}

/** Collects log lines in memory; tests use it to assert what was (and was not) logged. */
export function memoryLogger(): Logger & { lines: { level: string; fields: Record<string, unknown>; message: string }[] } {
  const lines: { level: string; fields: Record<string, unknown>; message: string }[] = []
  return {
    lines,
    info: (fields, message) => lines.push({ level: 'info', fields, message }),
    error: (fields, message) => lines.push({ level: 'error', fields, message }),
  }
}
