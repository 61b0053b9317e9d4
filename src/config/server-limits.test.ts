// loadServerLimits(): body cap, timeouts, connection cap and the unauthenticated-flood guard.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ConfigError } from './config.js'
import { DEFAULT_SERVER_LIMITS, loadServerLimits } from './server-limits.js'

describe('loadServerLimits()', () => {
  it('has safe defaults', () => {
    assert.deepEqual(loadServerLimits({}), DEFAULT_SERVER_LIMITS)
    assert.equal(DEFAULT_SERVER_LIMITS.maxBodyBytes, 1024 * 1024)
  })

  it('reads each limit from the environment', () => {
    const limits = loadServerLimits({
      TRENT_MAX_BODY_BYTES: '2097152', TRENT_HEADERS_TIMEOUT_MS: '2000', TRENT_REQUEST_TIMEOUT_MS: '4000', TRENT_KEEP_ALIVE_TIMEOUT_MS: '1000',
      TRENT_MAX_CONNECTIONS: '64', TRENT_UNAUTHENTICATED_RATE: '0', TRENT_UNAUTHENTICATED_BURST: '7', TRENT_THROTTLE_SUMMARY_MS: '500',
    })
    assert.deepEqual(limits, {
      maxBodyBytes: 2097152, headersTimeoutMs: 2000, requestTimeoutMs: 4000, keepAliveTimeoutMs: 1000, maxConnections: 64,
      sourceGuard: { ratePerSecond: 0, burst: 7, summaryIntervalMs: 500 },
    })
  })

  it('refuses values out of range, not whole, and a header timeout above the request timeout', () => {
    assert.throws(() => loadServerLimits({ TRENT_MAX_BODY_BYTES: '1000' }), ConfigError, 'too small for a full key policy')
    assert.throws(() => loadServerLimits({ TRENT_MAX_CONNECTIONS: '0' }), ConfigError)
    assert.throws(() => loadServerLimits({ TRENT_KEEP_ALIVE_TIMEOUT_MS: '1.5' }), ConfigError)
    assert.throws(() => loadServerLimits({ TRENT_HEADERS_TIMEOUT_MS: '20000', TRENT_REQUEST_TIMEOUT_MS: '10000' }), ConfigError)
  })
})
