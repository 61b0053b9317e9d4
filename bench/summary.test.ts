// Tests for the per-row summary: medians over rounds and the same-round ratio to the baseline.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { summarizeRow, type RunFigures } from './summary.js'

const run = (rps: number, extra: Partial<RunFigures> = {}): RunFigures => ({ rps, p50Ms: rps / 100, p99Ms: rps / 10, maxMs: rps, statusErrors: 0, socketErrors: 0, ...extra })
const spec = { label: 'trent', target: 'trent', mode: 'peak' as const }

describe('summarizeRow()', () => {
  it('takes the median of each round\'s ratio to the baseline of the same round, not the ratio of medians', () => {
    // Per-round ratios 0.1, 0.2, 0.1 → 0.1; the ratio of medians would be 3 / 20 = 0.15.
    const row = summarizeRow(spec, [run(1), run(4), run(3)], [run(10), run(20), run(30)])
    assert.equal(row.ratio, 0.1)
    assert.equal(row.rps, 3)
  })

  it('reports medians of p50 and p99 and sums every error, background load included', () => {
    const rounds = [run(100, { statusErrors: 1 }), run(300, { socketErrors: 2 }), run(200, { background: { rps: 50, p99Ms: 9, errors: 3 } })]
    const row = summarizeRow(spec, rounds, [run(1000), run(1000), run(1000)])
    assert.deepEqual([row.p50Ms, row.p99Ms, row.errors], [2, 20, 6])
    assert.equal(row.backgroundRps, 50)
  })

  it('carries the median pacing rate of half-peak rounds', () => {
    const row = summarizeRow({ ...spec, mode: 'half-peak' }, [run(50, { targetRate: 50 }), run(60, { targetRate: 70 })], [run(1), run(1)])
    assert.equal(row.targetRate, 60)
  })

  it('refuses a row with no rounds', () => {
    assert.throws(() => summarizeRow(spec, [], []), RangeError)
  })
})
