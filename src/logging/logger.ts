// Structured JSON logs on stderr through pino. Callers pass ids and names only: never plaintext, key bytes
// or secrets; a redaction list catches the usual secret field names should one slip through anyway.
import { pino } from 'pino'

export interface Logger {
  info(fields: Record<string, unknown>, message: string): void
  warn(fields: Record<string, unknown>, message: string): void
  error(fields: Record<string, unknown>, message: string): void
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent'

const SECRET_FIELDS = ['secretAccessKey', 'SecretAccessKey', 'plaintext', 'Plaintext', 'CiphertextBlob', 'password', 'authorization', 'material']

/** A pino logger writing one JSON object per line to `fd` (stderr by default), synchronously, so no line is lost at exit. */
export function createPinoLogger(options: { level?: LogLevel; fd?: number } = {}): Logger {
  const log = pino(
    {
      level: options.level ?? 'info',
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: [...SECRET_FIELDS, ...SECRET_FIELDS.map((f) => `*.${f}`)], censor: '[REDACTED]' },
    },
    pino.destination({ dest: options.fd ?? 2, sync: true }),
  )
  return {
    info: (fields, message) => log.info(fields, message),
    warn: (fields, message) => log.warn(fields, message),
    error: (fields, message) => log.error(fields, message),
  }
}

export const jsonLogger: Logger = createPinoLogger()

/** Collects log lines in memory; tests use it to assert what was (and was not) logged. */
export function memoryLogger(): Logger & { lines: { level: string; fields: Record<string, unknown>; message: string }[] } {
  const lines: { level: string; fields: Record<string, unknown>; message: string }[] = []
  return {
    lines,
    info: (fields, message) => lines.push({ level: 'info', fields, message }),
    warn: (fields, message) => lines.push({ level: 'warn', fields, message }),
    error: (fields, message) => lines.push({ level: 'error', fields, message }),
  }
}
