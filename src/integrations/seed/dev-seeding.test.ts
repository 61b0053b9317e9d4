import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DevSeedingRefused, isDevSeedingRequested, recordDevSeeding, requireDevSeeding } from './dev-seeding.js'

test('only TRENT_DEV_SEEDING=true opens seeding, and a start without it closes it again', () => {
  const dir = mkdtempSync(join(tmpdir(), 'trent-dev-seeding-'))
  try {
    for (const value of [undefined, '1', 'yes', 'TRUE', '']) assert.equal(isDevSeedingRequested({ TRENT_DEV_SEEDING: value }), false, String(value))
    assert.throws(() => requireDevSeeding(dir), DevSeedingRefused)
    assert.equal(recordDevSeeding(dir, { TRENT_DEV_SEEDING: 'true' }), true)
    requireDevSeeding(dir)
    assert.equal(statSync(join(dir, 'dev-seeding-enabled')).mode & 0o777, 0o600)
    assert.equal(recordDevSeeding(dir, {}), false)
    assert.throws(() => requireDevSeeding(dir), /seeding is refused/)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
