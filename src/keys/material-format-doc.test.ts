// docs/ciphertext-format.md must describe the bytes the code writes: its worked examples are recomputed
// here from the code, so the page fails this test as soon as the two drift apart.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { canonicalEncryptionContext } from '../crypto/encryption-context.js'
import { deriveKey } from '../crypto/kdf.js'
import { wrapKeyMaterial } from '../crypto/key-wrap.js'
import { sealBlob } from '../crypto/symmetric-blob.js'
import { boundMaterialAad, deriveMaterialId } from './material-binding.js'

// dist/src/keys → the repository root.
const doc = readFileSync(fileURLToPath(new URL('../../../docs/ciphertext-format.md', import.meta.url)), 'utf8')
const counting = (start: number, n: number): Uint8Array => new Uint8Array(n).map((_, i) => start + i)
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
const keyId = '1234abcd-12ab-34cd-56ef-1234567890ab'

/** The text of the section that starts with `heading`, up to the next heading of the same or a higher level. */
function section(heading: string): string {
  const start = doc.indexOf(`${heading}\n`)
  assert.ok(start >= 0, `docs/ciphertext-format.md has no "${heading}"`)
  const level = heading.split(' ')[0]!
  const rest = doc.slice(start + heading.length)
  const next = rest.search(new RegExp(`\\n#{1,${level.length}} `))
  return next < 0 ? rest : rest.slice(0, next)
}

function firstCodeBlock(text: string): string[] {
  const match = /```\n([\s\S]*?)```/.exec(text)
  assert.ok(match, 'the section has a code block')
  return match[1]!.trim().split('\n')
}

/** The backticked hex groups after a bullet's label, joined. */
function bulletHex(text: string, label: string): string {
  const line = text.split('\n').find((l) => l.startsWith(`- ${label}`))
  assert.ok(line, `no "- ${label}" line`)
  return [...line.matchAll(/`([0-9a-f]+)`/g)].map((m) => m[1]).join('')
}

test('the symmetric blob worked example in the doc is what sealBlob() writes, with its KDF input, key and context', () => {
  const text = section('### Worked example')
  const documented = firstCodeBlock(text).map((l) => l.split(/\s+/)[0]).join('')
  const queue = [counting(0xa0, 16), counting(0xb0, 12)]
  const blob = sealBlob({
    material: counting(0, 32), keyId, keyVersion: 1, plaintext: new TextEncoder().encode('Hello, Trent!'),
    encryptionContext: { purpose: 'example' }, random: () => queue.shift()!,
  })
  assert.equal(documented, hex(blob))
  assert.equal(bulletHex(text, 'derived key K'), hex(deriveKey(counting(0, 32), 'trent/symmetric-blob/v1', counting(0xa0, 16), 32)))
  assert.equal(bulletHex(text, 'canonical context'), hex(canonicalEncryptionContext({ purpose: 'example' })))
  const kdfInput = bulletHex(text, 'KDF input for block 1')
  assert.equal(kdfInput, '00000001' + hex(new TextEncoder().encode('trent/symmetric-blob/v1')) + '00' + hex(counting(0xa0, 16)) + '00000100')
})

test('the wrapped-material worked example in the doc is the AAD, wrapped blob and ids the code produces', () => {
  const lines = firstCodeBlock(section('### Worked example (checked against the code by `src/keys/material-format-doc.test.ts`)'))
  const value = (name: string) => lines.find((l) => l.startsWith(`${name} `))?.split(/\s+/)[1]
  const binding = { keyId, version: 1, keySpec: 'SYMMETRIC_DEFAULT', keyUsage: 'ENCRYPT_DECRYPT' } as const
  const aad = boundMaterialAad(binding)
  assert.equal(value('aad'), hex(aad))
  assert.equal(value('wrapped'), hex(wrapKeyMaterial(counting(0x40, 32), counting(0, 32), aad, () => counting(0xc0, 12))))
  assert.equal(value('material-id'), deriveMaterialId(2, keyId, counting(0, 32)))
  assert.equal(value('legacy-id'), deriveMaterialId(1, keyId, counting(0, 32)))
})
