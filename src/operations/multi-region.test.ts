// Multi-Region keys inside one deployment: ReplicateKey, shared material and rotations, UpdatePrimaryRegion,
// the deletion choreography and Region isolation, through the real pipeline signed for two Regions.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createHarness, b64, TEST_ACCOUNT, type Harness } from '../../test/support/harness.js'
import { deleteExpiredKeys } from '../jobs/delete-expired-keys.js'
import { finishRegionalKeys } from '../jobs/finish-regional-keys.js'
import { randomBytes } from 'node:crypto'
import { importMaterial, wrapForImport } from '../../test/support/import-fixtures.js'
import { unb64 } from '../../test/support/harness.js'

const US = 'us-east-1'
const EU = 'eu-west-1'
const DAY = 86_400_000

async function ok(h: Harness, region: string, op: string, body: unknown): Promise<Record<string, unknown>> {
  const r = await h.callIn(region, op, body)
  assert.equal(r.status, 200, `${op} in ${region}: ${JSON.stringify(r.body)}`)
  return r.body
}

async function mrKey(h: Harness): Promise<string> {
  const created = await ok(h, US, 'CreateKey', { MultiRegion: true })
  return (created.KeyMetadata as { KeyId: string }).KeyId
}

type Meta = { KeyId: string; Arn: string; KeyState: string; DeletionDate?: number; PendingDeletionWindowInDays?: number; MultiRegionConfiguration: { MultiRegionKeyType: string; PrimaryKey: { Arn: string; Region: string }; ReplicaKeys: Array<{ Arn: string; Region: string }> } }
async function describe_(h: Harness, region: string, keyId: string): Promise<Meta> {
  return (await ok(h, region, 'DescribeKey', { KeyId: keyId })).KeyMetadata as Meta
}

async function decryptIn(h: Harness, region: string, blob: unknown): Promise<string> {
  const out = await ok(h, region, 'Decrypt', { CiphertextBlob: blob })
  return Buffer.from(out.Plaintext as string, 'base64').toString()
}

describe('multi-Region keys in one deployment', () => {
  let h: Harness
  before(async () => { h = await createHarness() })
  after(async () => { await h.close() })

  it('replicates: same key id, Enabled replica, full configuration on both, ciphertexts cross Regions', async () => {
    const keyId = await mrKey(h)
    const blobUs = (await ok(h, US, 'Encrypt', { KeyId: keyId, Plaintext: b64('from us') })).CiphertextBlob
    const rep = await ok(h, US, 'ReplicateKey', { KeyId: keyId, ReplicaRegion: EU, Description: 'eu copy', Tags: [{ TagKey: 'r', TagValue: 'eu' }] })
    const repMeta = rep.ReplicaKeyMetadata as Meta
    assert.equal(repMeta.KeyId, keyId)
    assert.equal(repMeta.Arn, `arn:aws:kms:${EU}:${TEST_ACCOUNT}:key/${keyId}`)
    assert.equal(repMeta.KeyState, 'Creating')
    const eu = await describe_(h, EU, keyId)
    assert.equal(eu.KeyState, 'Enabled')
    assert.equal(eu.MultiRegionConfiguration.MultiRegionKeyType, 'REPLICA')
    assert.deepEqual(eu.MultiRegionConfiguration.PrimaryKey, { Arn: `arn:aws:kms:${US}:${TEST_ACCOUNT}:key/${keyId}`, Region: US })
    const us = await describe_(h, US, keyId)
    assert.equal(us.MultiRegionConfiguration.MultiRegionKeyType, 'PRIMARY')
    assert.deepEqual(us.MultiRegionConfiguration.ReplicaKeys, [{ Arn: eu.Arn, Region: EU }])
    assert.equal(await decryptIn(h, EU, blobUs), 'from us')
    const blobEu = (await ok(h, EU, 'Encrypt', { KeyId: keyId, Plaintext: b64('from eu') })).CiphertextBlob
    assert.equal(await decryptIn(h, US, blobEu), 'from eu')
    // Per-Region properties stay apart.
    assert.equal(eu.KeyId, keyId)
    assert.equal((await describe_(h, US, keyId) as unknown as { Description: string }).Description, '')
    const usTags = await ok(h, US, 'ListResourceTags', { KeyId: keyId })
    assert.deepEqual(usTags.Tags, [])
    const euTags = await ok(h, EU, 'ListResourceTags', { KeyId: keyId })
    assert.deepEqual(euTags.Tags, [{ TagKey: 'r', TagValue: 'eu' }])
    const listEu = await ok(h, EU, 'ListKeys', {})
    assert.ok((listEu.Keys as Array<{ KeyId: string; KeyArn: string }>).some((k) => k.KeyId === keyId && k.KeyArn === eu.Arn))
    // Aliases and grants of the replica are its own, and show the public id.
    await ok(h, EU, 'CreateAlias', { AliasName: 'alias/irish', TargetKeyId: keyId })
    assert.equal(await decryptIn(h, EU, (await ok(h, EU, 'Encrypt', { KeyId: 'alias/irish', Plaintext: b64('by alias') })).CiphertextBlob), 'by alias')
    const aliases = (await ok(h, EU, 'ListAliases', { KeyId: keyId })).Aliases as Array<{ AliasName: string; TargetKeyId: string }>
    assert.deepEqual(aliases.map((a) => [a.AliasName, a.TargetKeyId]), [['alias/irish', keyId]])
    assert.equal((await h.callIn(US, 'DescribeKey', { KeyId: 'alias/irish' })).body.__type, 'NotFoundException')
    await ok(h, EU, 'CreateGrant', { KeyId: keyId, GranteePrincipal: `arn:aws:iam::${TEST_ACCOUNT}:root`, Operations: ['Decrypt'] })
    const grantsEu = (await ok(h, EU, 'ListGrants', { KeyId: keyId })).Grants as Array<{ KeyId: string }>
    assert.deepEqual(grantsEu.map((g) => g.KeyId), [eu.Arn])
    assert.deepEqual((await ok(h, US, 'ListGrants', { KeyId: keyId })).Grants, [])
    const lastUse = await ok(h, EU, 'GetKeyLastUsage', { KeyId: keyId })
    assert.equal(lastUse.KeyId, keyId)
  })

  it('refuses a second replica in a Region, a non-MR key, replicating a replica, and unserved Regions', async () => {
    const keyId = await mrKey(h)
    await ok(h, US, 'ReplicateKey', { KeyId: keyId, ReplicaRegion: EU })
    const again = await h.callIn(US, 'ReplicateKey', { KeyId: keyId, ReplicaRegion: EU })
    assert.equal(again.body.__type, 'AlreadyExistsException')
    const plain = (await ok(h, US, 'CreateKey', {})).KeyMetadata as Meta
    const notMr = await h.callIn(US, 'ReplicateKey', { KeyId: plain.KeyId, ReplicaRegion: EU })
    assert.deepEqual([notMr.body.__type, notMr.body.message], ['UnsupportedOperationException', `${plain.Arn} is not a multi-region primary key.`])
    const fromReplica = await h.callIn(EU, 'ReplicateKey', { KeyId: keyId, ReplicaRegion: 'ap-southeast-2' })
    assert.equal(fromReplica.body.__type, 'UnsupportedOperationException')
    const rotateReplica = await h.callIn(EU, 'RotateKeyOnDemand', { KeyId: keyId })
    assert.equal(rotateReplica.body.__type, 'UnsupportedOperationException')
  })

  it('isolates Regions: a Disabled replica leaves the primary usable, an unreplicated Region sees no key', async () => {
    const keyId = await mrKey(h)
    await ok(h, US, 'ReplicateKey', { KeyId: keyId, ReplicaRegion: EU })
    await ok(h, EU, 'DisableKey', { KeyId: keyId })
    assert.equal((await describe_(h, US, keyId)).KeyState, 'Enabled')
    const blob = (await ok(h, US, 'Encrypt', { KeyId: keyId, Plaintext: b64('x') })).CiphertextBlob
    assert.equal((await h.callIn(EU, 'Decrypt', { CiphertextBlob: blob })).body.__type, 'DisabledException')
    const other = await h.callIn('ap-southeast-2', 'DescribeKey', { KeyId: keyId })
    assert.equal(other.body.__type, 'NotFoundException')
    assert.equal((await h.callIn('ap-southeast-2', 'Decrypt', { CiphertextBlob: blob })).body.__type, 'InvalidCiphertextException')
    const storageId = await h.callIn(EU, 'DescribeKey', { KeyId: `${keyId}/${EU}` })
    assert.equal(storageId.body.__type, 'NotFoundException')
  })

  it('rotations of the primary reach the replica, also after UpdatePrimaryRegion', async () => {
    const keyId = await mrKey(h)
    await ok(h, US, 'ReplicateKey', { KeyId: keyId, ReplicaRegion: EU })
    await ok(h, US, 'RotateKeyOnDemand', { KeyId: keyId })
    const usMat = (await describe_(h, US, keyId) as unknown as { CurrentKeyMaterialId: string }).CurrentKeyMaterialId
    const euMat = (await describe_(h, EU, keyId) as unknown as { CurrentKeyMaterialId: string }).CurrentKeyMaterialId
    assert.equal(euMat, usMat)
    const blob = (await ok(h, US, 'Encrypt', { KeyId: keyId, Plaintext: b64('rotated') })).CiphertextBlob
    assert.equal(await decryptIn(h, EU, blob), 'rotated')
    await ok(h, US, 'UpdatePrimaryRegion', { KeyId: keyId, PrimaryRegion: EU })
    assert.equal((await describe_(h, EU, keyId)).MultiRegionConfiguration.MultiRegionKeyType, 'PRIMARY')
    assert.equal((await describe_(h, US, keyId)).MultiRegionConfiguration.MultiRegionKeyType, 'REPLICA')
    assert.equal((await describe_(h, US, keyId)).KeyState, 'Enabled')
    assert.equal((await h.callIn(US, 'RotateKeyOnDemand', { KeyId: keyId })).body.__type, 'UnsupportedOperationException')
    await ok(h, EU, 'RotateKeyOnDemand', { KeyId: keyId })
    const rotations = await ok(h, US, 'ListKeyRotations', { KeyId: keyId })
    assert.equal((rotations.Rotations as unknown[]).length, 2)
    const blobEu = (await ok(h, EU, 'Encrypt', { KeyId: keyId, Plaintext: b64('new primary') })).CiphertextBlob
    assert.equal(await decryptIn(h, US, blobEu), 'new primary')
  })

  it('a primary with replicas waits in PendingReplicaDeletion; its window starts when the last replica is gone', async () => {
    const keyId = await mrKey(h)
    await ok(h, US, 'ReplicateKey', { KeyId: keyId, ReplicaRegion: EU })
    const sched = await ok(h, US, 'ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 7 })
    assert.equal(sched.KeyState, 'PendingReplicaDeletion')
    assert.equal(sched.DeletionDate, undefined)
    const us = await describe_(h, US, keyId)
    assert.deepEqual([us.KeyState, us.DeletionDate, us.PendingDeletionWindowInDays], ['PendingReplicaDeletion', undefined, 7])
    await ok(h, EU, 'ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 10 })
    h.clock.advance(10 * DAY)
    await deleteExpiredKeys(h.services)
    assert.equal((await h.callIn(EU, 'DescribeKey', { KeyId: keyId })).body.__type, 'NotFoundException')
    const waiting = await describe_(h, US, keyId)
    assert.equal(waiting.KeyState, 'PendingDeletion')
    assert.equal(waiting.DeletionDate, (h.clock.now().getTime() + 7 * DAY) / 1000)
    h.clock.advance(7 * DAY)
    await deleteExpiredKeys(h.services)
    assert.equal((await h.callIn(US, 'DescribeKey', { KeyId: keyId })).body.__type, 'NotFoundException')
  })

  it('the jobs finish a replica left Creating and keys left Updating by a crash', async () => {
    const keyId = await mrKey(h)
    await ok(h, US, 'ReplicateKey', { KeyId: keyId, ReplicaRegion: EU })
    // As if UpdatePrimaryRegion crashed after its transaction.
    assert.equal(await h.services.store.updatePrimaryRegion(keyId, US, EU), true)
    assert.equal((await describe_(h, US, keyId)).KeyState, 'Updating')
    // Crypto still works while Updating.
    const blob = (await ok(h, US, 'Encrypt', { KeyId: keyId, Plaintext: b64('u') })).CiphertextBlob
    assert.equal(await decryptIn(h, EU, blob), 'u')
    await finishRegionalKeys(h.services)
    assert.equal((await describe_(h, US, keyId)).KeyState, 'Enabled')
    assert.equal((await describe_(h, EU, keyId)).KeyState, 'Enabled')
  })

  it('an EXTERNAL replica waits in PendingImport until the same material is imported into it', async () => {
    const keyId = (await ok(h, US, 'CreateKey', { MultiRegion: true, Origin: 'EXTERNAL' }) as { KeyMetadata: { KeyId: string } }).KeyMetadata.KeyId
    const material = randomBytes(32)
    const materialId = await importMaterial(h, keyId, material)
    const blob = (await ok(h, US, 'Encrypt', { KeyId: keyId, Plaintext: b64('imported') })).CiphertextBlob
    await ok(h, US, 'ReplicateKey', { KeyId: keyId, ReplicaRegion: EU })
    const waiting = await describe_(h, EU, keyId)
    assert.equal(waiting.KeyState, 'PendingImport')
    assert.equal((await h.callIn(EU, 'Decrypt', { CiphertextBlob: blob })).body.__type, 'KMSInvalidStateException')
    const importInEu = async (bytes: Uint8Array) => {
      const params = await ok(h, EU, 'GetParametersForImport', { KeyId: keyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' })
      return h.callIn(EU, 'ImportKeyMaterial', {
        KeyId: keyId, ImportToken: params.ImportToken, ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
        EncryptedKeyMaterial: b64(wrapForImport(unb64(params.PublicKey), 'RSAES_OAEP_SHA_256', bytes)),
      })
    }
    // Other material is not this key's: the replica must receive exactly its primary's.
    assert.equal((await importInEu(randomBytes(32))).status, 400)
    assert.equal((await describe_(h, EU, keyId)).KeyState, 'PendingImport')
    const imported = await importInEu(material)
    assert.equal(imported.status, 200, JSON.stringify(imported.body))
    assert.equal(imported.body.KeyMaterialId, materialId)
    assert.equal((await describe_(h, EU, keyId)).KeyState, 'Enabled')
    assert.equal(await decryptIn(h, EU, blob), 'imported')
  })

  it('kms:MultiRegionKeyType is REPLICA for a replica', async () => {
    const keyId = await mrKey(h)
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [
      { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${TEST_ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
      { Effect: 'Deny', Principal: '*', Action: 'kms:Encrypt', Resource: '*', Condition: { StringEquals: { 'kms:MultiRegionKeyType': 'REPLICA' } } },
    ] })
    await ok(h, US, 'ReplicateKey', { KeyId: keyId, ReplicaRegion: EU, Policy: policy })
    assert.equal((await h.callIn(EU, 'Encrypt', { KeyId: keyId, Plaintext: b64('x') })).body.__type, 'AccessDeniedException')
    await ok(h, US, 'PutKeyPolicy', { KeyId: keyId, PolicyName: 'default', Policy: policy })
    await ok(h, US, 'Encrypt', { KeyId: keyId, Plaintext: b64('x') })
  })
})
