// Response members as the model's documentation says they apply: DescribeKey for every served key spec × usage
// (origin AWS_KMS, the only one Trent makes) has exactly its members; crypto replies name the key by ARN and carry
// KeyMaterialId where the model says; every timestamp is epoch seconds with milliseconds.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createAuditHarness, type AuditHarness } from '../../test/support/audit-harness.js'
import { b64 } from '../../test/support/harness.js'
import { wireModel } from '../wire/model.generated.js'
import type { KeySpec } from '../wire/types.generated.js'
import { keySpecProfile } from './key-specs.js'

const ALWAYS = ['AWSAccountId', 'Arn', 'CreationDate', 'Description', 'Enabled', 'KeyId', 'KeyManager', 'KeySpec', 'KeyState', 'KeyUsage', 'MultiRegion', 'Origin']
const LEGACY_SPEC_ENUM = (() => { const s = wireModel.shapes.CustomerMasterKeySpec; return s?.type === 'string' ? s.enum ?? [] : [] })()
const ALGORITHMS = { ENCRYPT_DECRYPT: 'EncryptionAlgorithms', SIGN_VERIFY: 'SigningAlgorithms', GENERATE_VERIFY_MAC: 'MacAlgorithms', KEY_AGREEMENT: 'KeyAgreementAlgorithms' } as const

/** Every spec × usage the model lists and Trent serves. */
function servedCombinations(): [KeySpec, keyof typeof ALGORITHMS][] {
  const specs = wireModel.shapes.KeySpec
  if (specs?.type !== 'string') throw new Error('KeySpec is an enum')
  return (specs.enum as KeySpec[]).filter((s) => keySpecProfile(s).supported).flatMap((s) => keySpecProfile(s).usages.map((u) => [s, u] as [KeySpec, keyof typeof ALGORITHMS]))
}

function expectedMembers(spec: KeySpec, usage: keyof typeof ALGORITHMS, extra: string[] = []): string[] {
  const members = [...ALWAYS, ALGORITHMS[usage], ...extra]
  if (LEGACY_SPEC_ENUM.includes(spec)) members.push('CustomerMasterKeySpec')
  if (spec === 'SYMMETRIC_DEFAULT') members.push('CurrentKeyMaterialId')
  return members.sort()
}

/** The number exactly as the JSON reply wrote it, e.g. `1768471200.123`. */
function rawNumber(raw: string, member: string): string {
  const m = new RegExp(`"${member}":([0-9.]+)`).exec(raw)
  assert.ok(m, `${member} in ${raw}`)
  return m[1]!
}

describe('response members', () => {
  let h: AuditHarness
  before(async () => { h = await createAuditHarness() })
  after(() => h.close())

  describe('DescribeKey has exactly the members that apply to the key', () => {
    for (const [spec, usage] of servedCombinations()) {
      it(`${spec} ${usage}`, async () => {
        const created = await h.call('CreateKey', { KeySpec: spec, KeyUsage: usage })
        assert.equal(created.status, 200, created.raw.body)
        const keyId = String((created.body.KeyMetadata as Record<string, unknown>).KeyId)
        const meta = (await h.call('DescribeKey', { KeyId: keyId })).body.KeyMetadata as Record<string, unknown>
        assert.deepEqual(Object.keys(meta).sort(), expectedMembers(spec, usage))
        assert.deepEqual(Object.keys(created.body.KeyMetadata as object).sort(), expectedMembers(spec, usage))
        assert.deepEqual(meta[ALGORITHMS[usage]], (keySpecProfile(spec) as unknown as Record<string, unknown>)[`${ALGORITHMS[usage].charAt(0).toLowerCase()}${ALGORITHMS[usage].slice(1)}`])
      })
    }

    it('adds DeletionDate only while pending deletion, and MultiRegionConfiguration only for multi-Region keys', async () => {
      const keyId = String(((await h.call('CreateKey', { MultiRegion: true })).body.KeyMetadata as Record<string, unknown>).KeyId)
      await h.call('ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 7 })
      const pending = (await h.call('DescribeKey', { KeyId: keyId })).body.KeyMetadata as Record<string, unknown>
      assert.deepEqual(Object.keys(pending).sort(), expectedMembers('SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT', ['DeletionDate', 'MultiRegionConfiguration']))
      assert.equal(pending.Enabled, false)
      await h.call('CancelKeyDeletion', { KeyId: keyId })
      const back = (await h.call('DescribeKey', { KeyId: keyId })).body.KeyMetadata as Record<string, unknown>
      assert.deepEqual(Object.keys(back).sort(), expectedMembers('SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT', ['MultiRegionConfiguration']))
    })
  })

  it('names the key by ARN and the material by id in symmetric crypto replies, and omits the id for a key pair', async () => {
    const sym = (await h.call('CreateKey', {})).body.KeyMetadata as Record<string, unknown>
    const enc = await h.call('Encrypt', { KeyId: sym.KeyId, Plaintext: b64('x') })
    assert.deepEqual(Object.keys(enc.body).sort(), ['CiphertextBlob', 'EncryptionAlgorithm', 'KeyId'])
    assert.equal(enc.body.KeyId, sym.Arn)
    const dec = await h.call('Decrypt', { CiphertextBlob: enc.body.CiphertextBlob })
    assert.deepEqual(Object.keys(dec.body).sort(), ['EncryptionAlgorithm', 'KeyId', 'KeyMaterialId', 'Plaintext'])
    assert.equal(dec.body.KeyMaterialId, sym.CurrentKeyMaterialId)
    const gdk = await h.call('GenerateDataKey', { KeyId: sym.KeyId, KeySpec: 'AES_256' })
    assert.deepEqual(Object.keys(gdk.body).sort(), ['CiphertextBlob', 'KeyId', 'KeyMaterialId', 'Plaintext'])
    const re = await h.call('ReEncrypt', { CiphertextBlob: enc.body.CiphertextBlob, DestinationKeyId: sym.KeyId })
    assert.deepEqual(Object.keys(re.body).sort(),
      ['CiphertextBlob', 'DestinationEncryptionAlgorithm', 'DestinationKeyMaterialId', 'KeyId', 'SourceEncryptionAlgorithm', 'SourceKeyId', 'SourceKeyMaterialId'])
    const rsa = (await h.call('CreateKey', { KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' })).body.KeyMetadata as Record<string, unknown>
    const sealed = await h.call('Encrypt', { KeyId: rsa.KeyId, Plaintext: b64('x'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })
    const opened = await h.call('Decrypt', { KeyId: rsa.KeyId, CiphertextBlob: sealed.body.CiphertextBlob, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })
    assert.deepEqual(Object.keys(opened.body).sort(), ['EncryptionAlgorithm', 'KeyId', 'Plaintext'])
    assert.equal(opened.body.KeyId, rsa.Arn)
  })

  it('writes every timestamp as epoch seconds with milliseconds', async () => {
    h.clock.advance(123)
    const at = h.clock.now().getTime()
    const seconds = String(at / 1000)
    assert.match(seconds, /\.123$/)
    const created = await h.call('CreateKey', {})
    assert.equal(rawNumber(created.raw.body, 'CreationDate'), seconds)
    const keyId = String((created.body.KeyMetadata as Record<string, unknown>).KeyId)
    assert.equal(rawNumber((await h.call('DescribeKey', { KeyId: keyId })).raw.body, 'CreationDate'), seconds)
    await h.call('CreateAlias', { AliasName: 'alias/ms', TargetKeyId: keyId })
    const aliases = (await h.call('ListAliases', { KeyId: keyId })).raw.body
    assert.equal(rawNumber(aliases, 'CreationDate'), seconds)
    assert.equal(rawNumber(aliases, 'LastUpdatedDate'), seconds)
    await h.call('CreateGrant', { KeyId: keyId, GranteePrincipal: 'arn:aws:iam::111122223333:root', Operations: ['Decrypt'] })
    assert.equal(rawNumber((await h.call('ListGrants', { KeyId: keyId })).raw.body, 'CreationDate'), seconds)
    const scheduled = await h.call('ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 7 })
    assert.equal(rawNumber(scheduled.raw.body, 'DeletionDate'), String((at + 7 * 86_400_000) / 1000))
    const events = await h.lookup({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateAlias' }] })
    assert.equal(rawNumber(events.raw.body, 'EventTime'), seconds)
  })
})
