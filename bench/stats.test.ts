// Tests for the bench's median maths.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { median } from './stats.js'

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
