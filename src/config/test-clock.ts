// The test-only switch TRENT_TEST_CLOCK_FILE=<path>: the server's clock runs ahead of the system clock by the
// whole number of milliseconds written in that file, re-read on every reading, so an end-to-end test can move
// a running server days or years forward (rotation dates, deletion windows). Off unless the variable is set;
// never set it for a real server: it moves every date the server keeps, audit times included.
import { readFileSync } from 'node:fs'
import type { Logger } from '../logging/logger.js'
import { ConfigError } from './config.js'
import { systemClock, type Clock } from './clock.js'

/** Parses the file's text: a non-negative whole number of milliseconds. Returns undefined for anything else. */
export function parseClockOffset(text: string): number | undefined {
  const trimmed = text.trim()
  if (!/^\d{1,15}$/.test(trimmed)) return undefined
  return Number(trimmed)
}

function readOffset(path: string): number | undefined {
  try {
    return parseClockOffset(readFileSync(path, 'utf8'))
  } catch {
    return undefined
  }
}

/**
 * A clock `base.now()` plus the offset in `path`. It never runs backwards: an offset lower than one already
 * used, or a file that cannot be read or parsed, leaves the last good offset in force.
 */
export function fileOffsetClock(path: string, base: Clock = systemClock): Clock {
  let offset = 0
  let last = 0
  return {
    now() {
      const read = readOffset(path)
      if (read !== undefined && read > offset) offset = read
      const t = Math.max(base.now().getTime() + offset, last)
      last = t
      return new Date(t)
    },
  }
}

/**
 * undefined (the system clock) unless TRENT_TEST_CLOCK_FILE is set. Throws ConfigError when the file does not
 * hold a valid offset at start, or with more than one server process (the workers would keep the system clock).
 */
export function testClockFromEnv(env: NodeJS.ProcessEnv, workers: number, logger: Logger): Clock | undefined {
  const path = env.TRENT_TEST_CLOCK_FILE
  if (path === undefined || path === '') return undefined
  if (workers !== 1) throw new ConfigError('TRENT_TEST_CLOCK_FILE works only with one server process (--workers 1)')
  if (readOffset(path) === undefined) {
    throw new ConfigError(`TRENT_TEST_CLOCK_FILE must name a readable file holding a whole number of milliseconds: ${path}`)
  }
  const message = 'THE CLOCK IS A TEST CLOCK (TRENT_TEST_CLOCK_FILE): the server\'s time is moved by a file. This switch exists only for end-to-end tests; never run a real server with it.'
  logger.warn({ testSwitch: 'TRENT_TEST_CLOCK_FILE' }, message)
  process.stderr.write(`\n*** WARNING: ${message} ***\n\n`)
  return fileOffsetClock(path)
}
