// Regions are isolated namespaces (docs/architecture-notes.md): a request signed for us-east-1 neither lists nor
// retires grants on an eu-central-1 key (ListRetirableGrants and RetireGrant's GrantToken path once did both),
// and request quotas are per account and Region, as AWS's are (facts §13).
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { KMS } from '@aws-sdk/client-kms'
import { kmsClient } from './support/clients.js'
import { E2E_ACCOUNT_ID, cleanupTrent, startTrent, type TrentProcess } from './support/server.js'

const T = { timeout: 60_000 }
const clients: Array<{ destroy(): void }> = []
const ROOT = `arn:aws:iam::${E2E_ACCOUNT_ID}:root`

function kms(server: TrentProcess, region: string): KMS {
  const client = kmsClient(server.url, { region })
  clients.push(client)
  return client
}

after(async () => {
  for (const c of clients) c.destroy()
  await cleanupTrent()
}, T)

describe('grants of one region seen from another', () => {
  let server: TrentProcess
  before(async () => { server = await startTrent() }, T)

  const setUp = async () => {
    const frankfurt = kms(server, 'eu-central-1')
    const virginia = kms(server, 'us-east-1')
    const keyId = (await frankfurt.createKey({})).KeyMetadata!.KeyId!
    const grant = await frankfurt.createGrant({ KeyId: keyId, GranteePrincipal: ROOT, RetiringPrincipal: ROOT, Operations: ['Encrypt'] })
    return { frankfurt, virginia, keyId, grant }
  }

  it('ListRetirableGrants in us-east-1 does not show an eu-central-1 grant', T, async () => {
    const { virginia, keyId } = await setUp()
    const listed = (await virginia.listRetirableGrants({ RetiringPrincipal: ROOT })).Grants ?? []
    assert.ok(!listed.some((g) => g.KeyId?.includes(keyId)), `us-east-1 lists a grant on an eu-central-1 key: ${JSON.stringify(listed.map((g) => g.KeyId))}`)
  })

  it('RetireGrant in us-east-1 does not end an eu-central-1 grant', T, async () => {
    const { frankfurt, virginia, keyId, grant } = await setUp()
    await virginia.retireGrant({ GrantToken: grant.GrantToken! }).catch(() => undefined)
    const remaining = (await frankfurt.listGrants({ KeyId: keyId })).Grants ?? []
    assert.deepEqual(remaining.map((g) => g.GrantId), [grant.GrantId], 'a us-east-1 request retired an eu-central-1 grant')
  })
})

describe('request quotas of one region seen from another', () => {
  let server: TrentProcess
  before(async () => { server = await startTrent({ env: { TRENT_QUOTA_DESCRIBE_KEY: '1', TRENT_QUOTA_BURST_SECONDS: '1' } }) }, T)

  it('a call in us-east-1 does not spend eu-central-1\'s DescribeKey quota', T, async () => {
    const frankfurt = kms(server, 'eu-central-1')
    const virginia = kms(server, 'us-east-1')
    const local = (await frankfurt.createKey({})).KeyMetadata!.KeyId!
    const there = (await virginia.createKey({})).KeyMetadata!.KeyId!
    await new Promise((r) => setTimeout(r, 1_100)) // both buckets full
    await virginia.describeKey({ KeyId: there })
    const outcome = await frankfurt.describeKey({ KeyId: local }).then(() => 'ok', (e: Error) => e.name)
    assert.equal(outcome, 'ok', `eu-central-1 answered ${outcome} after one us-east-1 call`)
  })
})
