// The test clock: off unless TRENT_TEST_CLOCK_FILE is set, refused with a bad file or a cluster, ahead of the
// system clock by what the file says, and never running backwards.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { memoryLogger } from '../logging/logger.js'
import { ManualClock } from './clock.js'
import { fileOffsetClock, parseClockOffset, testClockFromEnv } from './test-clock.js'

describe('TRENT_TEST_CLOCK_FILE', () => {
  let dir: string
  let file: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'trent-test-clock-'))
    file = join(dir, 'clock')
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('is off unless set, and refused with an unreadable or malformed file, or more than one process', () => {
    const logger = memoryLogger()
    assert.equal(testClockFromEnv({}, 1, logger), undefined)
    assert.equal(testClockFromEnv({ TRENT_TEST_CLOCK_FILE: '' }, 1, logger), undefined)
    assert.throws(() => testClockFromEnv({ TRENT_TEST_CLOCK_FILE: file }, 1, logger), { name: 'ConfigError' })
    writeFileSync(file, '-5')
    assert.throws(() => testClockFromEnv({ TRENT_TEST_CLOCK_FILE: file }, 1, logger), { name: 'ConfigError' })
    writeFileSync(file, '0')
    assert.throws(() => testClockFromEnv({ TRENT_TEST_CLOCK_FILE: file }, 2, logger), /--workers 1/)
    assert.ok(testClockFromEnv({ TRENT_TEST_CLOCK_FILE: file }, 1, logger))
  })

  it('runs ahead of its base by the file\'s offset, re-read on every reading, and never backwards', () => {
    const base = new ManualClock(new Date('2026-01-01T00:00:00Z'))
    writeFileSync(file, '0')
    const clock = fileOffsetClock(file, base)
    assert.deepEqual(clock.now(), new Date('2026-01-01T00:00:00Z'))
    writeFileSync(file, String(365 * 86_400_000))
    assert.deepEqual(clock.now(), new Date('2027-01-01T00:00:00Z'))
    writeFileSync(file, '1000')
    base.advance(5)
    assert.deepEqual(clock.now(), new Date('2027-01-01T00:00:00.005Z'), 'a lower offset is ignored')
    writeFileSync(file, 'garbage')
    assert.deepEqual(clock.now(), new Date('2027-01-01T00:00:00.005Z'))
    base.set(new Date('2025-01-01T00:00:00Z'))
    assert.deepEqual(clock.now(), new Date('2027-01-01T00:00:00.005Z'), 'a base that steps back does not take the clock with it')
  })

  it('parses only whole non-negative numbers', () => {
    assert.equal(parseClockOffset(' 42\n'), 42)
    for (const bad of ['', '1.5', '1e3', '-1', 'x', '1'.repeat(16)]) assert.equal(parseClockOffset(bad), undefined, bad)
  })
})
