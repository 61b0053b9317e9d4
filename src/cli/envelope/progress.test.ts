import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { progressMeter, render, wantsProgress } from './progress.js'

test('render() shows the share done when the size is known, and the count when it is not', () => {
  assert.equal(render('encrypting', 52_428_800, 104_857_600), `encrypting [${'#'.repeat(15)}${'.'.repeat(15)}]  50% 50.0 MiB / 100.0 MiB`)
  assert.equal(render('decrypting', 1_048_576, undefined), 'decrypting 1.0 MiB')
})

test('the bar is drawn only on a terminal, and passes the bytes through unchanged', async () => {
  assert.equal(wantsProgress({ isTTY: false } as NodeJS.WriteStream, false), false)
  assert.equal(wantsProgress({ isTTY: true } as NodeJS.WriteStream, false), true)
  assert.equal(wantsProgress({ isTTY: true } as NodeJS.WriteStream, true), false)
  let drawn = ''
  const terminal = { write: (s: string) => { drawn += s; return true } } as unknown as NodeJS.WriteStream
  const out: Buffer[] = []
  await pipeline(Readable.from([Buffer.alloc(10), Buffer.alloc(10)]), progressMeter(terminal, 20, 'x'), new Writable({ write(c: Buffer, _e, done) { out.push(c); done() } }))
  assert.equal(Buffer.concat(out).length, 20)
  assert.match(drawn, /\rx \[#+\] 100% 0\.0 MiB \/ 0\.0 MiB\n$/)
})
