// The v1 ciphertext blob: a non-circular known answer, round trips, and rejection of every malformed blob.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createDecipheriv, createHmac } from 'node:crypto'
import { CiphertextError, openBlob, readBlobHeader, sealBlob } from './symmetric-blob.js'
import { randomBytes } from './data-key.js'

const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'))
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
const counting = (start: number, n: number): Uint8Array => new Uint8Array(n).map((_, i) => start + i)

const material = counting(0x00, 32)
const keyId = '1234abcd-12ab-34cd-56ef-1234567890ab'
const plaintext = new TextEncoder().encode('Hello, Trent!')
const context = { purpose: 'example' }
/** Returns the nonce (a0..af) on the first call and the IV (b0..bb) on the second. */
function fixedRandom(): (n: number) => Uint8Array {
  const queue = [counting(0xa0, 16), counting(0xb0, 12)]
  return (n) => { const next = queue.shift()!; assert.equal(next.length, n); return next }
}

const katBlob =
  '01' + '24' + toHex(new TextEncoder().encode(keyId)) + '00000001' +
  'a0a1a2a3a4a5a6a7a8a9aaabacadaeaf' + 'b0b1b2b3b4b5b6b7b8b9babb' +
  '70c959a753c95ab15840f08f24' + '345bbd731fb9efc749fdbf0c6c2a1a49'

test('sealBlob() produces the known v1 blob for fixed material, nonce and IV', () => {
  const blob = sealBlob({ material, keyId, keyVersion: 1, plaintext, encryptionContext: context, random: fixedRandom() })
  assert.equal(toHex(blob), katBlob)
})

test('the known blob decrypts by hand: SP 800-108 key via createHmac, then AES-256-GCM over header || context', () => {
  const blob = hex(katBlob)
  const headerLength = 1 + 1 + 36 + 4 + 16 + 12
  // [i]_32=1 || label || 0x00 || context=nonce || [L]_32=256
  const kdfInput = Buffer.concat([hex('00000001'), Buffer.from('trent/symmetric-blob/v1'), hex('00'), counting(0xa0, 16), hex('00000100')])
  const derived = createHmac('sha256', material).update(kdfInput).digest()
  const canonicalContext = hex('0001' + '0007' + toHex(Buffer.from('purpose')) + '0007' + toHex(Buffer.from('example')))
  const decipher = createDecipheriv('aes-256-gcm', derived, blob.subarray(headerLength - 12, headerLength))
  decipher.setAAD(Buffer.concat([blob.subarray(0, headerLength), canonicalContext]))
  decipher.setAuthTag(blob.subarray(blob.length - 16))
  const opened = Buffer.concat([decipher.update(blob.subarray(headerLength, blob.length - 16)), decipher.final()])
  assert.equal(opened.toString('utf8'), 'Hello, Trent!')
})

test('openBlob() decrypts the known blob', () => {
  assert.deepEqual(openBlob({ material, blob: hex(katBlob), encryptionContext: context }), plaintext)
})

test('sealBlob() then openBlob() round-trips, with and without a context, including empty plaintext', () => {
  for (const pt of [plaintext, new Uint8Array(0), randomBytes(4096)]) {
    for (const ec of [undefined, {}, { a: '1', b: '2' }] as Array<Record<string, string> | undefined>) {
      const blob = sealBlob({ material, keyId, keyVersion: 7, plaintext: pt, encryptionContext: ec, random: randomBytes })
      assert.deepEqual(openBlob({ material, blob, encryptionContext: ec }), pt)
    }
  }
})

test('sealBlob() gives a different blob each time', () => {
  const seal = () => sealBlob({ material, keyId, keyVersion: 1, plaintext, random: randomBytes })
  assert.notDeepEqual(seal(), seal())
})

test('openBlob() treats an undefined and an empty context alike', () => {
  const blob = sealBlob({ material, keyId, keyVersion: 1, plaintext, random: randomBytes })
  assert.deepEqual(openBlob({ material, blob, encryptionContext: {} }), plaintext)
})

test('openBlob() rejects a wrong, missing, extra or malformed context', () => {
  const blob = hex(katBlob)
  const wrong: Array<Record<string, string> | undefined> = [
    undefined, { purpose: 'other' }, { Purpose: 'example' }, { ...context, x: 'y' }, { purpose: '\uD800' },
  ]
  for (const ec of wrong) {
    assert.throws(() => openBlob({ material, blob, encryptionContext: ec }), CiphertextError)
  }
})

test('openBlob() rejects wrong material', () => {
  assert.throws(() => openBlob({ material: counting(0x01, 32), blob: hex(katBlob), encryptionContext: context }), CiphertextError)
})

test('openBlob() rejects every single-bit flip of a blob', () => {
  const blob = sealBlob({ material, keyId, keyVersion: 1, plaintext: hex('00'), random: randomBytes })
  for (let bit = 0; bit < blob.length * 8; bit++) {
    const bad = new Uint8Array(blob)
    bad[bit >> 3]! ^= 1 << (bit & 7)
    assert.throws(() => openBlob({ material, blob: bad }), CiphertextError, `bit ${bit}`)
  }
})

test('openBlob() and readBlobHeader() reject every truncation; openBlob() rejects an appended byte', () => {
  const blob = sealBlob({ material, keyId, keyVersion: 1, plaintext: hex('00'), random: randomBytes })
  for (let n = 0; n < blob.length; n++) {
    assert.throws(() => openBlob({ material, blob: blob.subarray(0, n) }), CiphertextError, `length ${n}`)
    // One byte short of a 1-byte plaintext is still a well-formed blob with an empty ciphertext.
    if (n < blob.length - 1) assert.throws(() => readBlobHeader(blob.subarray(0, n)), CiphertextError, `length ${n}`)
  }
  const longer = new Uint8Array(blob.length + 1)
  longer.set(blob)
  assert.throws(() => openBlob({ material, blob: longer }), CiphertextError)
})

test('readBlobHeader() returns the format version, key id and key version', () => {
  assert.deepEqual(readBlobHeader(hex(katBlob)), { formatVersion: 1, keyId, keyVersion: 1 })
  const mrk = 'mrk-1234abcd12ab34cd56ef1234567890ab'
  const blob = sealBlob({ material, keyId: mrk, keyVersion: 0xffffffff, plaintext, random: randomBytes })
  assert.deepEqual(readBlobHeader(blob), { formatVersion: 1, keyId: mrk, keyVersion: 0xffffffff })
})

test('readBlobHeader() rejects an unknown format version, a bad key id length or bytes, and key version 0', () => {
  const blob = hex(katBlob)
  const edit = (offset: number, value: number): Uint8Array => { const b = new Uint8Array(blob); b[offset] = value; return b }
  for (const bad of [edit(0, 0x00), edit(0, 0x02), edit(1, 0), edit(1, 65), edit(1, 0xff), edit(2, 0x20), edit(2, 0x7f), edit(2, 0xc3)]) {
    assert.throws(() => readBlobHeader(bad), CiphertextError)
  }
  const zeroVersion = new Uint8Array(blob)
  zeroVersion.set([0, 0, 0, 0], 2 + 36)
  assert.throws(() => readBlobHeader(zeroVersion), CiphertextError)
})

test('sealBlob() refuses bad key ids, key versions and material sizes', () => {
  const base = { material, keyId, keyVersion: 1, plaintext, random: randomBytes }
  for (const id of ['', 'x'.repeat(65), 'has space', 'caf\u00e9', 'tab\t']) {
    assert.throws(() => sealBlob({ ...base, keyId: id }), RangeError)
  }
  assert.ok(sealBlob({ ...base, keyId: 'x'.repeat(64) }))
  for (const v of [0, -1, 1.5, 2 ** 32]) assert.throws(() => sealBlob({ ...base, keyVersion: v }), RangeError)
  assert.throws(() => sealBlob({ ...base, material: new Uint8Array(16) }), RangeError)
  assert.throws(() => openBlob({ material: new Uint8Array(16), blob: hex(katBlob) }), RangeError)
})

test('CiphertextError has its name and never echoes plaintext or material', () => {
  try {
    openBlob({ material, blob: hex(katBlob), encryptionContext: { purpose: 'other' } })
    assert.fail('expected CiphertextError')
  } catch (err) {
    assert.ok(err instanceof CiphertextError)
    assert.equal(err.name, 'CiphertextError')
    assert.ok(!err.message.includes('Hello') && !err.message.includes(toHex(material)))
  }
})
