// Audit and monitoring settings from the environment, validated at startup (a bad value stops the server
// rather than silently running with less auditing than the operator asked for).
import { resolve } from 'node:path'
import { ConfigError } from '../config/config.js'
import type { LogLevel } from '../logging/logger.js'
import { DEFAULT_SINK_MAX_BYTES } from './file-sink.js'

export const DEFAULT_DIGEST_INTERVAL_MS = 60 * 60 * 1000

export interface AuditConfig {
  /** TRENT_AUDIT_DIGEST_INTERVAL_MS: how often a signed digest is written (also written at clean shutdown). */
  digestIntervalMs: number
  /** TRENT_AUDIT_FILE_SINK: directory that mirrors records to rotating JSONL files. */
  fileSinkDir?: string
  /** TRENT_AUDIT_FILE_SINK_MAX_BYTES: size at which a sink file is rotated. */
  fileSinkMaxBytes: number
  /** TRENT_AUDIT_RETENTION_DAYS: whole digest periods older than this are pruned; keep everything when absent. */
  retentionDays?: number
  /** TRENT_BENCH_AUDIT=off: benchmark switch that disables auditing. Never for real use. */
  auditDisabledForBenchmark: boolean
  /** TRENT_LOG_LEVEL */
  logLevel: LogLevel
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name]
  if (text === undefined) return fallback
  const n = Number(text)
  if (!Number.isSafeInteger(n) || n <= 0) throw new ConfigError(`${name} must be a positive integer`)
  return n
}

/** Throws ConfigError for malformed values. */
export function loadAuditConfig(env: NodeJS.ProcessEnv): AuditConfig {
  const bench = env.TRENT_BENCH_AUDIT
  if (bench !== undefined && bench !== 'off' && bench !== 'on') throw new ConfigError('TRENT_BENCH_AUDIT must be on or off')
  const level = env.TRENT_LOG_LEVEL ?? 'info'
  if (!['debug', 'info', 'warn', 'error', 'silent'].includes(level)) throw new ConfigError('TRENT_LOG_LEVEL must be debug, info, warn, error or silent')
  const config: AuditConfig = {
    digestIntervalMs: positiveInteger(env, 'TRENT_AUDIT_DIGEST_INTERVAL_MS', DEFAULT_DIGEST_INTERVAL_MS),
    fileSinkMaxBytes: positiveInteger(env, 'TRENT_AUDIT_FILE_SINK_MAX_BYTES', DEFAULT_SINK_MAX_BYTES),
    auditDisabledForBenchmark: bench === 'off',
    logLevel: level as LogLevel,
  }
  if (env.TRENT_AUDIT_FILE_SINK) config.fileSinkDir = resolve(env.TRENT_AUDIT_FILE_SINK)
  if (env.TRENT_AUDIT_RETENTION_DAYS !== undefined) config.retentionDays = positiveInteger(env, 'TRENT_AUDIT_RETENTION_DAYS', 1)
  return config
}
