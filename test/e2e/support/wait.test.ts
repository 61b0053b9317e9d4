// The e2e tests' polling helper: it returns the first value, names what timed out, and swallows a failing check
// only when asked to.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { eventually, waitUntil } from './wait.js'

describe('eventually() and waitUntil()', () => {
  it('resolve with the first value the probe returns, after as many checks as it takes', async () => {
    let calls = 0
    assert.equal(await eventually('the third call', () => (++calls === 3 ? 'third' : undefined), { everyMs: 1 }), 'third')
    assert.equal(calls, 3)
    let checks = 0
    // One pause of 30 ms between the two checks: the time waitUntil reports includes it.
    const waited = await waitUntil('two checks', async () => ++checks >= 2, { everyMs: 30 })
    assert.equal(checks, 2)
    assert.ok(waited >= 25, `waitUntil reported ${waited} ms`)
  })

  it('time out with what was awaited and the detail', async () => {
    await assert.rejects(eventually('nothing', () => undefined, { withinMs: 20, everyMs: 5, detail: () => 'server said: no' }), {
      message: 'timed out waiting for nothing\nserver said: no',
    })
  })

  it('fail at once on a check that throws, unless told to tolerate it', async () => {
    let calls = 0
    const flaky = () => {
      if (++calls < 3) throw new Error('connection refused')
      return true
    }
    await assert.rejects(eventually('a strict probe', flaky, { everyMs: 1 }), { message: 'connection refused' })
    calls = 0
    assert.equal(await eventually('a tolerant probe', flaky, { everyMs: 1, tolerateErrors: true }), true)
    assert.equal(calls, 3)
  })
})
