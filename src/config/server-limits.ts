// The HTTP server's limits from the environment: body cap, header / slow-body / keep-alive timeouts,
// concurrent connections, and the flood guard for unauthenticated requests (README, "Server limits").
import type { SourceGuardSettings } from '../http/source-guard.js'
import { ConfigError } from './config.js'

export interface ServerLimits {
  /** Request bodies past this many bytes are refused (ValidationException) and not kept. */
  maxBodyBytes: number
  /** The request line and headers must arrive within this (node: headersTimeout). */
  headersTimeoutMs: number
  /** The whole request, body included, must arrive within this: the slow-body timeout (node: requestTimeout). */
  requestTimeoutMs: number
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number
  /** Connections past this many at once are closed as they arrive. */
  maxConnections: number
  sourceGuard: SourceGuardSettings
}

/** Large enough for the biggest modelled request (a 131072-character policy, JSON-escaped); far below harm. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024
/** Below this a legitimate PutKeyPolicy or CreateKey with a full policy could be refused. */
const MIN_BODY_BYTES = 512 * 1024

export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  maxBodyBytes: DEFAULT_MAX_BODY_BYTES, headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5_000, maxConnections: 1024,
  sourceGuard: { ratePerSecond: 20, burst: 200, summaryIntervalMs: 60_000 },
}

function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const text = env[name]
  if (text === undefined) return fallback
  const n = Number(text)
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}: ${text}`)
  }
  return n
}

/** Reads TRENT_MAX_BODY_BYTES, TRENT_*_TIMEOUT_MS, TRENT_MAX_CONNECTIONS and TRENT_UNAUTHENTICATED_*. Throws ConfigError. */
export function loadServerLimits(env: NodeJS.ProcessEnv): ServerLimits {
  const d = DEFAULT_SERVER_LIMITS
  const hour = 3_600_000
  const limits: ServerLimits = {
    maxBodyBytes: wholeNumber(env, 'TRENT_MAX_BODY_BYTES', d.maxBodyBytes, MIN_BODY_BYTES, 64 * 1024 * 1024),
    headersTimeoutMs: wholeNumber(env, 'TRENT_HEADERS_TIMEOUT_MS', d.headersTimeoutMs, 100, hour),
    requestTimeoutMs: wholeNumber(env, 'TRENT_REQUEST_TIMEOUT_MS', d.requestTimeoutMs, 100, hour),
    keepAliveTimeoutMs: wholeNumber(env, 'TRENT_KEEP_ALIVE_TIMEOUT_MS', d.keepAliveTimeoutMs, 100, hour),
    maxConnections: wholeNumber(env, 'TRENT_MAX_CONNECTIONS', d.maxConnections, 1, 1_000_000),
    sourceGuard: {
      ratePerSecond: wholeNumber(env, 'TRENT_UNAUTHENTICATED_RATE', d.sourceGuard.ratePerSecond, 0, 1_000_000),
      burst: wholeNumber(env, 'TRENT_UNAUTHENTICATED_BURST', d.sourceGuard.burst, 1, 1_000_000),
      summaryIntervalMs: wholeNumber(env, 'TRENT_THROTTLE_SUMMARY_MS', d.sourceGuard.summaryIntervalMs, 100, hour),
    },
  }
  // node refuses a header timeout longer than the whole-request timeout it is part of.
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) {
    throw new ConfigError(`TRENT_HEADERS_TIMEOUT_MS (${limits.headersTimeoutMs}) must not exceed TRENT_REQUEST_TIMEOUT_MS (${limits.requestTimeoutMs})`)
  }
  return limits
}
