// createMetrics(): what one observed request adds to the exposition, throttles included.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createMetrics } from './metrics.js'

describe('createMetrics()', () => {
  it('counts a request by operation and outcome, and a ThrottlingException also as a throttle', async () => {
    const metrics = createMetrics()
    metrics.observeRequest('Sign', 'success', 0.002)
    metrics.observeRequest('Sign', 'ThrottlingException', 0.001)
    metrics.observeRequest('Encrypt', 'ValidationException', 0.001)
    const text = await metrics.registry.metrics()
    const lines = text.split('\n').filter((l) => /^trent_(requests_total|throttled_requests_total)/.test(l))
    assert.deepEqual(lines, [
      'trent_requests_total{operation="Sign",outcome="success"} 1',
      'trent_requests_total{operation="Sign",outcome="ThrottlingException"} 1',
      'trent_requests_total{operation="Encrypt",outcome="ValidationException"} 1',
      'trent_throttled_requests_total 1',
    ])
  })
})
