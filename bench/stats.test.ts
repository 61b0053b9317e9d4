// Tests for the bench's percentile and median maths.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { median, percentile, summarizeLatencies } from './stats.js'

const oneToHundred = Array.from({ length: 100 }, (_, i) => i + 1)

test('percentile() uses the nearest rank: p50 and p99 of 1..100 are 50 and 99', () => {
  assert.equal(percentile(oneToHundred, 50), 50)
  assert.equal(percentile(oneToHundred, 99), 99)
  assert.equal(percentile(oneToHundred, 100), 100)
})

test('percentile() rounds the rank up, so p99 of ten values is the largest', () => {
  const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
  assert.equal(percentile(ten, 99), 10)
  assert.equal(percentile(ten, 50), 5)
  assert.equal(percentile(ten, 51), 6)
})

test('percentile() of p0 is the smallest value', () => {
  assert.equal(percentile([3, 7, 9], 0), 3)
})

test('percentile() rejects an empty sample and a p outside [0, 100]', () => {
  assert.throws(() => percentile([], 50), { name: 'RangeError', message: 'percentile of an empty sample' })
  assert.throws(() => percentile([1], 101), { name: 'RangeError', message: 'percentile must be within [0, 100], got 101' })
  assert.throws(() => percentile([1], Number.NaN), { name: 'RangeError', message: 'percentile must be within [0, 100], got NaN' })
})

test('median() takes the middle of an odd sample regardless of order', () => {
  assert.equal(median([30, 10, 20]), 20)
  assert.equal(median([5]), 5)
})

test('median() averages the two middle values of an even sample', () => {
  assert.equal(median([4, 1, 3, 2]), 2.5)
})

test('median() does not reorder its input', () => {
  const runs = [3, 1, 2]
  median(runs)
  assert.deepEqual(runs, [3, 1, 2])
})

test('median() rejects an empty sample', () => {
  assert.throws(() => median([]), { name: 'RangeError', message: 'median of an empty sample' })
})

test('summarizeLatencies() sorts numerically, not as strings', () => {
  const shuffled = [100, 9, 2, 1000, 30, 5, 7, 8, 6, 4]
  assert.deepEqual(summarizeLatencies(shuffled), { count: 10, p50Ms: 7, p99Ms: 1000 })
})

test('summarizeLatencies() of no requests reports NaN percentiles', () => {
  const summary = summarizeLatencies([])
  assert.equal(summary.count, 0)
  assert.ok(Number.isNaN(summary.p50Ms))
  assert.ok(Number.isNaN(summary.p99Ms))
})
