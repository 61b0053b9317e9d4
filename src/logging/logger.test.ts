// createPinoLogger(): the JSON line format, redaction of secret-named fields, and the level threshold.
import assert from 'node:assert/strict'
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { createPinoLogger } from './logger.js'

describe('createPinoLogger()', () => {
  it('writes one JSON object per line with a string level, ISO time, the fields, and secret-named fields redacted', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trent-log-'))
    const fd = openSync(join(dir, 'log'), 'w')
    const log = createPinoLogger({ fd, level: 'info' })
    log.info({ requestId: 'req-1', secretAccessKey: 'hunter2', nested: { Plaintext: 'c2VjcmV0' } }, 'hello')
    log.warn({ requestId: 'req-2' }, 'careful')
    closeSync(fd)
    const lines = readFileSync(join(dir, 'log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
    rmSync(dir, { recursive: true, force: true })
    assert.equal(lines.length, 2)
    assert.deepEqual({ ...lines[0], time: undefined, pid: undefined }, {
      level: 'info', time: undefined, pid: undefined, requestId: 'req-1', secretAccessKey: '[REDACTED]', nested: { Plaintext: '[REDACTED]' }, msg: 'hello',
    })
    assert.match(String(lines[0]!.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    assert.deepEqual([lines[1]!.level, lines[1]!.msg, lines[1]!.requestId], ['warn', 'careful', 'req-2'])
  })

  it('drops lines below its level', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trent-log-'))
    const fd = openSync(join(dir, 'log'), 'w')
    createPinoLogger({ fd, level: 'error' }).info({}, 'quiet')
    closeSync(fd)
    assert.equal(readFileSync(join(dir, 'log'), 'utf8'), '')
    rmSync(dir, { recursive: true, force: true })
  })
})
