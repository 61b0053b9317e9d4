// The backup frame cipher: frames open only in their own backup, at their own position, with their own
// final flag, and chunks round-trip bytes, integers, text and nulls.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { BackupFormatError, decodeFrame, decodeHeader, encodeChunk, encodeHeader, FrameCipher, type BackupHeader } from './backup-format.js'

const header = (backupId: string): BackupHeader => ({ format: 1, backupId, createdAt: '2026-12-02T00:00:00.000Z', rootKeyId: 'aes:00', wrappedFileKey: 'AA==' })
const body = (frame: Uint8Array) => frame.subarray(4)

test('frames open in order, and not reordered, with another final flag, in another backup or under another key', () => {
  const key = new Uint8Array(randomBytes(32))
  const headerBytes = encodeHeader(header('a'.repeat(32)))
  const writer = new FrameCipher(key, headerBytes)
  const frames = [writer.seal(Buffer.from('one'), false), writer.seal(Buffer.from('two'), false), writer.seal(Buffer.from('end'), true)]
  const reader = new FrameCipher(key, headerBytes)
  assert.deepEqual(frames.map((f, i) => Buffer.from(reader.open(body(f), i === 2)).toString()), ['one', 'two', 'end'])
  assert.throws(() => new FrameCipher(key, headerBytes).open(body(frames[1]!), false), BackupFormatError, 'reordered')
  const skipFinal = new FrameCipher(key, headerBytes)
  skipFinal.open(body(frames[0]!), false)
  assert.throws(() => skipFinal.open(body(frames[1]!), true), BackupFormatError, 'cut after frame 1 and presented as the last')
  assert.throws(() => new FrameCipher(key, encodeHeader(header('b'.repeat(32)))).open(body(frames[0]!), false), BackupFormatError, 'another backup')
  assert.throws(() => new FrameCipher(new Uint8Array(32), headerBytes).open(body(frames[0]!), false), BackupFormatError, 'another key')
})

test('chunks round-trip every value type; headers parse and refuse damage', () => {
  const chunk = { table: 'key_versions', columns: ['a', 'b', 'c', 'd'], rows: [[null, 42, 'text', Uint8Array.of(0, 255, 7)]] }
  assert.deepEqual(decodeFrame(encodeChunk(chunk)), chunk)
  assert.deepEqual(decodeFrame(Buffer.from('{"end":true,"rows":{"keys":3}}')), { end: true, rows: { keys: 3 } })
  assert.throws(() => decodeFrame(Buffer.from('{"table":"t","columns":[],"rows":[[{"x":1}]]}')), BackupFormatError)
  const bytes = encodeHeader(header('c'.repeat(32)))
  assert.deepEqual(decodeHeader(bytes).header, header('c'.repeat(32)))
  assert.throws(() => decodeHeader(Buffer.from('NOTABACKUP..')), /not a Trent backup file/)
  assert.throws(() => decodeHeader(bytes.subarray(0, bytes.length - 1)), /truncated/)
})
