// Tests for the goal checks: thresholds, and that a run which did not do what it claims is flagged.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ScenarioResult } from './bench-scenario.js'
import { checkGoals } from './goals.js'
import type { RowResult } from './summary.js'

function row(label: string, target: string, mode: RowResult['mode'], f: Partial<RowResult>): RowResult {
  return { label, target, mode, rounds: [], rps: 0, p50Ms: 0, p99Ms: 0, ratio: 0, errors: 0, ...f }
}

function scenario(name: string, rows: RowResult[]): ScenarioResult {
  return { name, summary: '', connections: 16, rows, trents: [], notes: [] }
}

const encrypt = (half: Partial<RowResult>) => scenario('encrypt', [
  row('bare', 'bare', 'peak', { rps: 20_000, ratio: 1 }),
  row('trent', 'trent', 'peak', { rps: 7000, ratio: 0.35 }),
  row('trent @50%', 'trent', 'half-peak', { rps: 3500, p99Ms: 3, targetRate: 3500, ...half }),
])

const verdicts = (results: ScenarioResult[], bg?: number) => Object.fromEntries(checkGoals(results, undefined, { backgroundRate: bg }).map((g) => [g.goal, g.pass]))

describe('checkGoals()', () => {
  it('passes the baseline, ratio and half-peak goals a good run meets, and checks only what was run', () => {
    assert.deepEqual(verdicts([encrypt({})]), {
      'bare node:http ≥ 15000 req/s (the client is not the bottleneck)': true,
      'Encrypt 4 KiB ≥ 0.3× bare': true,
      'encrypt: p99 < 5 ms at half the peak rate': true,
    })
  })

  it('fails a paced run that fell short of its rate, even when its p99 looks good', () => {
    const v = verdicts([encrypt({ rps: 3000 })])
    assert.equal(v['encrypt: p99 < 5 ms at half the peak rate'], true)
    assert.equal(v['encrypt: paced run reached its rate'], false)
  })

  it('fails a baseline below 15k req/s: the client or the machine limited the run', () => {
    const slow = encrypt({})
    slow.rows[0] = row('bare', 'bare', 'peak', { rps: 14_999, ratio: 1 })
    assert.equal(verdicts([slow])['bare node:http ≥ 15000 req/s (the client is not the bottleneck)'], false)
  })

  it('compares loaded with unloaded Encrypt p99 and flags an RSA load that fell short of its rate', () => {
    const mixed = scenario('encrypt-beside-rsa-sign', [
      row('trent alone', 'trent', 'peak', { p99Ms: 2 }),
      row('trent + RSA sign', 'trent', 'beside', { p99Ms: 4.5, backgroundRps: 150 }),
    ])
    const v = verdicts([mixed], 200)
    assert.equal(v['Encrypt p99 beside RSA-2048 Sign ≤ 2× alone'], false)
    assert.equal(v['RSA-2048 Sign load reached its rate'], false)
    assert.equal(verdicts([mixed], 150)['RSA-2048 Sign load reached its rate'], undefined)
  })

  it('reports Trent against the minimal server of the same run, as information, only when it was measured', () => {
    const withCeiling = encrypt({})
    withCeiling.rows.push(row('ceiling', 'ceiling', 'peak', { rps: 5000, ratio: 0.25 }))
    const check = checkGoals([withCeiling], undefined).find((g) => g.goal.startsWith('Encrypt: Trent vs the minimal'))
    assert.deepEqual(check, { goal: 'Encrypt: Trent vs the minimal audited server (bench-tools/ceiling-server.js)', measured: '1.40× (5000 → 7000 req/s; ceiling 0.250× bare)' })
    assert.equal(checkGoals([encrypt({})], undefined).some((g) => g.goal.startsWith('Encrypt: Trent vs the minimal')), false)
  })
})
