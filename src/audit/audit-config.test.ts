import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DEFAULT_DIGEST_INTERVAL_MS, loadAuditConfig } from './audit-config.js'
import { DEFAULT_SINK_MAX_BYTES } from './file-sink.js'

describe('loadAuditConfig()', () => {
  it('defaults to hourly digests, no sink, no retention limit, auditing on', () => {
    assert.deepEqual(loadAuditConfig({}), {
      digestIntervalMs: DEFAULT_DIGEST_INTERVAL_MS, fileSinkMaxBytes: DEFAULT_SINK_MAX_BYTES, auditDisabledForBenchmark: false, logLevel: 'info',
    })
    assert.equal(DEFAULT_DIGEST_INTERVAL_MS, 3_600_000)
  })

  it('reads every audit variable', () => {
    const config = loadAuditConfig({
      TRENT_AUDIT_DIGEST_INTERVAL_MS: '60000', TRENT_AUDIT_FILE_SINK: '/var/log/trent', TRENT_AUDIT_FILE_SINK_MAX_BYTES: '1024',
      TRENT_AUDIT_RETENTION_DAYS: '90', TRENT_BENCH_AUDIT: 'off', TRENT_LOG_LEVEL: 'warn',
    })
    assert.deepEqual(config, {
      digestIntervalMs: 60000, fileSinkDir: '/var/log/trent', fileSinkMaxBytes: 1024, retentionDays: 90, auditDisabledForBenchmark: true, logLevel: 'warn',
    })
  })

  it('refuses malformed values rather than auditing less than asked', () => {
    assert.throws(() => loadAuditConfig({ TRENT_AUDIT_DIGEST_INTERVAL_MS: '0' }), { name: 'ConfigError', message: 'TRENT_AUDIT_DIGEST_INTERVAL_MS must be a positive integer' })
    assert.throws(() => loadAuditConfig({ TRENT_AUDIT_RETENTION_DAYS: 'forever' }), { name: 'ConfigError', message: 'TRENT_AUDIT_RETENTION_DAYS must be a positive integer' })
    assert.throws(() => loadAuditConfig({ TRENT_BENCH_AUDIT: 'no' }), { name: 'ConfigError', message: 'TRENT_BENCH_AUDIT must be on or off' })
    assert.throws(() => loadAuditConfig({ TRENT_LOG_LEVEL: 'loud' }), { name: 'ConfigError' })
  })
})
