import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { frameAligner } from './frame-aligner.js'

async function chunksThrough(input: Buffer[], frameLength: number, declared?: number): Promise<Buffer[]> {
  // A Writable sees each chunk as it was pushed (async iteration would merge what is buffered).
  const out: Buffer[] = []
  await pipeline(Readable.from(input), frameAligner(frameLength, declared), new Writable({ write(chunk: Buffer, _e, done) { out.push(chunk); done() } }))
  return out
}

test('frameAligner() re-cuts any chunking into whole frames, the last one shorter, bytes unchanged', async () => {
  const data = Buffer.from(Array.from({ length: 23 }, (_, i) => i))
  const out = await chunksThrough([data.subarray(0, 3), data.subarray(3, 4), data.subarray(4, 19), data.subarray(19)], 5, 23)
  assert.deepEqual(out.map((c) => c.length), [5, 5, 5, 5, 3])
  assert.deepEqual(Buffer.concat(out), data)
})

test('frameAligner() refuses more or fewer bytes than declared, and accepts any length when none is', async () => {
  await assert.rejects(chunksThrough([Buffer.alloc(6)], 4, 5), /longer than its declared 5 bytes/)
  await assert.rejects(chunksThrough([Buffer.alloc(4)], 4, 5), /shorter than its declared 5 bytes/)
  assert.equal(Buffer.concat(await chunksThrough([Buffer.alloc(9)], 4)).length, 9)
  assert.deepEqual(await chunksThrough([], 4, 0), [])
})
