// Request quotas through the real server and the AWS SDK: past a quota the SDK sees ThrottlingException
// (400, AWS's message), retries it by itself, and the throttles show in /metrics.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { CloudTrail } from '@aws-sdk/client-cloudtrail'
import type { KMS } from '@aws-sdk/client-kms'
import { assertSdkError, kmsClient } from './support/clients.js'
import { E2E_CREDENTIALS, E2E_REGION, cleanupTrent, startTrent, type TrentProcess } from './support/server.js'

const T = { timeout: 120_000 }
const THROTTLED = 'You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls.'

let server: TrentProcess
let once: KMS
before(async () => {
  server = await startTrent({ env: { TRENT_QUOTA_CREATE_KEY: '2', TRENT_QUOTA_DESCRIBE_KEY: '1', TRENT_QUOTA_BURST_SECONDS: '1' } })
  once = kmsClient(server.url)
}, T)
after(async () => {
  once.destroy()
  await cleanupTrent()
}, T)

test('a burst past the CreateKey quota is refused with ThrottlingException, and counted in /metrics', T, async () => {
  const outcomes = await Promise.all(Array.from({ length: 6 }, () => once.createKey({}).then(() => 'ok', (e: { name: string }) => e.name)))
  assert.ok(outcomes.filter((o) => o === 'ok').length <= 3, outcomes.join(','))
  assert.ok(outcomes.filter((o) => o === 'ThrottlingException').length >= 3, outcomes.join(','))
  await assertSdkError(once.createKey({}), 'ThrottlingException', THROTTLED)
  const metrics = await (await fetch(`${server.url}/metrics`)).text()
  assert.match(metrics, /^trent_quota_throttled_total\{quota="CreateKey"\} [4-9]$/m)
})

test('the SDK retries a throttled call by itself and succeeds once the bucket refills', T, async () => {
  const keyId = (await new Promise<string>((resolve, reject) => setTimeout(() => once.createKey({}).then((k) => resolve(k.KeyMetadata!.KeyId!), reject), 1100)))
  await once.describeKey({ KeyId: keyId }) // the DescribeKey bucket (1/s) is now empty
  const retrying = kmsClient(server.url, { maxAttempts: 6 })
  try {
    const started = Date.now()
    const { KeyMetadata } = await retrying.describeKey({ KeyId: keyId })
    assert.equal(KeyMetadata?.KeyId, keyId)
    assert.ok(Date.now() - started >= 50, 'it waited for a retry')
    const metrics = await (await fetch(`${server.url}/metrics`)).text()
    assert.match(metrics, /^trent_quota_throttled_total\{quota="DescribeKey"\} [1-9]\d*$/m, 'the first attempt was throttled')
  } finally {
    retrying.destroy()
  }
})

test('CloudTrail LookupEvents has AWS\'s quota of 2 per second per account', T, async () => {
  const cloudtrail = new CloudTrail({ endpoint: server.url, region: E2E_REGION, credentials: E2E_CREDENTIALS, maxAttempts: 1 })
  try {
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => cloudtrail.lookupEvents({ MaxResults: 1 }).then(() => 'ok', (e: { name: string; message: string }) => `${e.name}: ${e.message}`)))
    assert.equal(outcomes.filter((o) => o === 'ok').length, 2, outcomes.join(','))
    assert.deepEqual(outcomes.filter((o) => o !== 'ok'), Array(3).fill('ThrottlingException: Rate exceeded'))
  } finally {
    cloudtrail.destroy()
  }
})
