// Tests for reading wrk's result line.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseWrkOutput } from './wrk-run.js'

const LINE = 'BENCH-WRK requests=30010 duration_us=3001000 status_errors=10 connect=1 read=2 write=3 timeout=4 p50_us=512 p99_us=4804 max_us=46055'

describe('parseWrkOutput()', () => {
  it('counts only non-error replies in req/s and converts microseconds to milliseconds', () => {
    const r = parseWrkOutput(`Running 3s test @ http://127.0.0.1:1/\n${LINE}\n`)
    assert.equal(r.ok, 30000)
    assert.ok(Math.abs(r.rps - 30000 / 3.001) < 1e-6)
    assert.deepEqual([r.p50Ms, r.p99Ms, r.maxMs, r.statusErrors, r.socketErrors, r.durationS], [0.512, 4.804, 46.055, 10, 10, 3.001])
  })

  it('throws, quoting the output, when wrk printed no result line', () => {
    assert.throws(() => parseWrkOutput('unable to connect to 127.0.0.1:1 Connection refused\n'), /printed no result line:\nunable to connect/)
  })
})
