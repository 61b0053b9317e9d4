// One deployment, many regions: the SigV4 scope of each request picks the region, and each region is its own
// namespace of keys, aliases and audit records. A region outside TRENT_REGIONS is refused as AWS refuses one.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { CloudTrail } from '@aws-sdk/client-cloudtrail'
import type { KMS } from '@aws-sdk/client-kms'
import { assertSdkError, kmsClient } from './support/clients.js'
import { E2E_ACCOUNT_ID, E2E_CREDENTIALS, cleanupTrent, startTrent, type TrentProcess } from './support/server.js'

const T = { timeout: 60_000 }
const clients: Array<{ destroy(): void }> = []

function kms(server: TrentProcess, region: string): KMS {
  const client = kmsClient(server.url, { region })
  clients.push(client)
  return client
}

after(async () => {
  for (const c of clients) c.destroy()
  await cleanupTrent()
}, T)

describe('a deployment with the default TRENT_REGIONS (every aws partition region)', () => {
  let server: TrentProcess
  before(async () => { server = await startTrent() }, T)

  it('serves a client left at any aws region, each region holding only its own keys and aliases', T, async () => {
    const frankfurt = kms(server, 'eu-central-1')
    const virginia = kms(server, 'us-east-1')
    const created = await frankfurt.createKey({ Description: 'lives in Frankfurt' })
    const keyId = created.KeyMetadata!.KeyId!
    assert.equal(created.KeyMetadata!.Arn, `arn:aws:kms:eu-central-1:${E2E_ACCOUNT_ID}:key/${keyId}`)
    await frankfurt.createAlias({ AliasName: 'alias/regional', TargetKeyId: keyId })
    const sealed = await frankfurt.encrypt({ KeyId: 'alias/regional', Plaintext: Buffer.from('guten tag') })
    assert.equal(Buffer.from((await frankfurt.decrypt({ CiphertextBlob: sealed.CiphertextBlob })).Plaintext!).toString(), 'guten tag')

    assert.deepEqual((await frankfurt.listKeys({})).Keys!.map((k) => k.KeyId), [keyId])
    assert.deepEqual((await virginia.listKeys({})).Keys, [])
    assert.deepEqual((await virginia.listAliases({})).Aliases!.filter((a) => a.AliasName === 'alias/regional'), [])
    await assertSdkError(virginia.describeKey({ KeyId: keyId }), 'NotFoundException', `Key 'arn:aws:kms:us-east-1:${E2E_ACCOUNT_ID}:key/${keyId}' does not exist`)
    await assertSdkError(virginia.describeKey({ KeyId: created.KeyMetadata!.Arn! }), 'NotFoundException', 'Invalid arn eu-central-1')
    // The same alias name is free in another region: aliases are regional.
    const local = await virginia.createKey({})
    await virginia.createAlias({ AliasName: 'alias/regional', TargetKeyId: local.KeyMetadata!.KeyId! })
    assert.equal((await virginia.describeKey({ KeyId: 'alias/regional' })).KeyMetadata!.KeyId, local.KeyMetadata!.KeyId)
    // A ciphertext made in one region names a key of that region; another region does not have it.
    await assertSdkError(virginia.decrypt({ CiphertextBlob: sealed.CiphertextBlob }), 'InvalidCiphertextException', null)
  })

  it('records each call in the region it was made in, and LookupEvents in a region shows only that region', T, async () => {
    const tokyo = kms(server, 'ap-northeast-1')
    const key = await tokyo.createKey({ Description: 'lives in Tokyo' })
    const trail = (region: string) => {
      const c = new CloudTrail({ endpoint: server.url, region, credentials: E2E_CREDENTIALS, maxAttempts: 1 })
      clients.push(c)
      return c
    }
    const inTokyo = await trail('ap-northeast-1').lookupEvents({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateKey' }] })
    assert.equal(inTokyo.Events!.length, 1)
    const record = JSON.parse(inTokyo.Events![0]!.CloudTrailEvent!) as { awsRegion: string }
    assert.equal(record.awsRegion, 'ap-northeast-1')
    assert.ok(inTokyo.Events![0]!.CloudTrailEvent!.includes(key.KeyMetadata!.KeyId!))
    const inVirginia = await trail('us-east-1').lookupEvents({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateKey' }] })
    assert.ok(inVirginia.Events!.every((e) => (JSON.parse(e.CloudTrailEvent!) as { awsRegion: string }).awsRegion === 'us-east-1'))
    assert.ok(!inVirginia.Events!.some((e) => e.CloudTrailEvent!.includes(key.KeyMetadata!.KeyId!)))
  })

  it('still refuses a region name that is not a region of the partition', T, async () => {
    await assertSdkError(kms(server, 'xx-nowhere-1').listKeys({}), 'InvalidSignatureException', 'Credential should be scoped to a valid region. ')
  })
})

describe('a deployment limited by TRENT_REGIONS', () => {
  let server: TrentProcess
  before(async () => { server = await startTrent({ env: { TRENT_REGIONS: 'us-east-1,eu-west-1' } }) }, T)

  it('serves exactly the listed regions', T, async () => {
    assert.deepEqual((await kms(server, 'eu-west-1').listKeys({})).Keys, [])
    assert.deepEqual((await kms(server, 'us-east-1').listKeys({})).Keys, [])
    await assertSdkError(kms(server, 'eu-central-1').listKeys({}), 'InvalidSignatureException', 'Credential should be scoped to a valid region. ')
  })
})
