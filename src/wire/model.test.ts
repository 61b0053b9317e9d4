// The drift test: the committed generated files must equal what generate.ts makes from the AWS model today,
// and the compact model must be usable as the codec expects (all operations, compilable patterns).
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { allowsCrossAccountUse, generateWire } from './generate.js'
import { wireModel } from './model.generated.js'
import { referenceFile } from './reference-files.js'

/** Tests run from dist/, so walk up to the directory holding package.json rather than trusting a fixed depth. */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir)
    if (parent === dir) throw new Error('package.json not found above the test file')
    dir = parent
  }
  return dir
}

const root = repoRoot()
const { path: referencePath, found: hasReference } = referenceFile('kms-service-2.json')
const inCi = process.env.CI === 'true'

describe('generated wire model', () => {
  it('has the AWS model to compare against (required in CI)', () => {
    if (inCi) assert.ok(hasReference, `reference model missing at ${referencePath}`)
  })

  const skip = hasReference ? false : `reference model not found at ${referencePath}`

  it('model.generated.ts equals a fresh generation from kms-service-2.json', { skip }, () => {
    const fresh = generateWire(readFileSync(referencePath, 'utf8'))
    assert.equal(readFileSync(join(root, 'src', 'wire', 'model.generated.ts'), 'utf8'), fresh.model)
  })

  it('types.generated.ts equals a fresh generation from kms-service-2.json', { skip }, () => {
    const fresh = generateWire(readFileSync(referencePath, 'utf8'))
    assert.equal(readFileSync(join(root, 'src', 'wire', 'types.generated.ts'), 'utf8'), fresh.types)
  })

  it('lists every one of the 54 KMS operations', { skip }, () => {
    const reference = JSON.parse(readFileSync(referencePath, 'utf8')) as { operations: Record<string, unknown> }
    assert.equal(Object.keys(reference.operations).length, 54)
    assert.deepEqual(Object.keys(wireModel.operations).sort(), Object.keys(reference.operations).sort())
  })

  it('has 54 operations including the ones Trent serves', () => {
    const names = Object.keys(wireModel.operations)
    assert.equal(names.length, 54)
    for (const n of ['CreateKey', 'Encrypt', 'Decrypt', 'ReEncrypt', 'GenerateDataKey', 'ListResourceTags', 'GetKeyLastUsage']) {
      assert.ok(names.includes(n), n)
    }
  })

  it('compiles every modelled pattern as a whole-value JavaScript RegExp with the u flag', () => {
    const patterns = Object.entries(wireModel.shapes).flatMap(([name, s]) => (s.type === 'string' && s.pattern ? [[name, s.pattern] as const] : []))
    assert.ok(patterns.length >= 20, `only ${patterns.length} patterns found`)
    for (const [name, pattern] of patterns) {
      assert.doesNotThrow(() => new RegExp(`^(?:${pattern})$`, 'u'), `${name}: ${pattern}`)
    }
  })

  it('resolves every shape reference and names only exception shapes as errors', () => {
    const exists = (n: string | null) => n === null || wireModel.shapes[n] !== undefined
    for (const [op, def] of Object.entries(wireModel.operations)) {
      assert.ok(exists(def.input) && exists(def.output), op)
      for (const e of def.errors) {
        const s = wireModel.shapes[e]
        assert.ok(s?.type === 'structure' && s.exception === true, `${op} error ${e}`)
      }
    }
    for (const [name, s] of Object.entries(wireModel.shapes)) {
      const refs = s.type === 'structure' ? Object.values(s.members) : s.type === 'list' ? [s.member] : s.type === 'map' ? [s.key, s.value] : []
      for (const r of refs) assert.ok(exists(r), `${name} → ${r}`)
    }
  })

  it('marks exactly the three AWS server faults', () => {
    const faults = Object.entries(wireModel.shapes).filter(([, s]) => s.type === 'structure' && s.fault === true).map(([n]) => n).sort()
    assert.deepEqual(faults, ['DependencyTimeoutException', 'KMSInternalException', 'KeyUnavailableException'])
  })

  it('marks as cross-account exactly the operations whose AWS documentation says "Cross-account use: Yes"', () => {
    // The list aws-kms-error-messages.md gives, as an independent check on the derivation.
    const expected = ['CreateGrant', 'Decrypt', 'DeriveSharedSecret', 'DescribeKey', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyPair',
      'GenerateDataKeyPairWithoutPlaintext', 'GenerateDataKeyWithoutPlaintext', 'GenerateMac', 'GetKeyRotationStatus', 'GetPublicKey',
      'ListGrants', 'ReEncrypt', 'RetireGrant', 'RevokeGrant', 'Sign', 'Verify', 'VerifyMac']
    const marked = Object.entries(wireModel.operations).filter(([, d]) => d.crossAccount).map(([n]) => n).sort()
    assert.deepEqual(marked, expected)
  })

  it('reads "Cross-account use" through markup and allows only "Yes"', () => {
    assert.equal(allowsCrossAccountUse('<p> <b>Cross-account use</b>: Yes. To perform this operation…</p>'), true)
    assert.equal(allowsCrossAccountUse('<p> <b>Cross-account use</b>: No. You cannot perform this operation…</p>'), false)
    assert.equal(allowsCrossAccountUse('<p> <b>Cross-account use</b>: Not applicable. <code>GenerateRandom</code> does not…</p>'), false)
    assert.equal(allowsCrossAccountUse('<p> <b>Cross-account use</b>: You must specify a principal in your account.</p>'), false)
    assert.equal(allowsCrossAccountUse(undefined), false)
  })
})
