// The hot-path promise: once warm, Encrypt, Decrypt, GenerateDataKey and Sign read nothing from the store;
// the audit write is the only store call a request makes. Counted on the driver, below every cache.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { b64, createHarness, type Harness } from '../../test/support/harness.js'
import { addUser } from '../../test/support/identities.js'
import { createKey, ok } from '../../test/support/kms-fixtures.js'
import type { Store } from '../store/store.js'

/** Counts every driver call by method name. */
function counting(calls: Map<string, number>) {
  return (store: Store): Store => new Proxy(store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown
      if (typeof value !== 'function' || typeof name !== 'string') return value
      return (...args: unknown[]) => {
        calls.set(name, (calls.get(name) ?? 0) + 1)
        return (value as (...a: unknown[]) => unknown).apply(target, args)
      }
    },
  })
}

describe('the steady-state request path', () => {
  const calls = new Map<string, number>()
  let h: Harness
  before(async () => {
    // No background poll during the test: it reads the feed by time, never per request.
    h = await createHarness({ wrapStore: counting(calls), cachePollMs: 600_000 })
  })
  after(() => h.close())

  async function storeCallsOf(run: () => Promise<void>): Promise<Record<string, number>> {
    await run() // warm
    calls.clear()
    for (let i = 0; i < 5; i++) await run()
    return Object.fromEntries(calls)
  }

  const onlyAudit = (counted: Record<string, number>) => {
    const { appendAudit, ...rest } = counted
    assert.deepEqual(rest, {}, 'no store read besides the audit write')
    assert.equal(appendAudit, 5)
  }

  it('Encrypt, Decrypt and GenerateDataKey by the account root read nothing but write the audit record', async () => {
    const key = await createKey(h)
    const blob = (await ok(h, 'Encrypt', { KeyId: key.keyId, Plaintext: b64('x'.repeat(4096)) })).CiphertextBlob
    onlyAudit(await storeCallsOf(async () => { await ok(h, 'Encrypt', { KeyId: key.keyId, Plaintext: b64('x'.repeat(4096)) }) }))
    onlyAudit(await storeCallsOf(async () => { await ok(h, 'Decrypt', { CiphertextBlob: blob }) }))
    onlyAudit(await storeCallsOf(async () => { await ok(h, 'GenerateDataKey', { KeyId: key.keyId, KeySpec: 'AES_256' }) }))
  })

  it('an IAM user with an identity policy, a key tag condition and an alias reads nothing either', async () => {
    const key = await createKey(h, { Tags: [{ TagKey: 'team', TagValue: 'blue' }] })
    await ok(h, 'CreateAlias', { AliasName: 'alias/hot', TargetKeyId: key.keyId })
    const user = await addUser(h, 'hot', { use: [{
      Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: '*',
      Condition: { StringEquals: { 'aws:ResourceTag/team': 'blue' }, 'ForAnyValue:StringLike': { 'kms:ResourceAliases': 'alias/*' } },
    }] })
    const encrypt = async () => {
      const res = await h.call('Encrypt', { KeyId: 'alias/hot', Plaintext: b64('y') }, user.credentials)
      assert.equal(res.status, 200, JSON.stringify(res.body))
    }
    onlyAudit(await storeCallsOf(encrypt))
  })

  it('reports the hits and misses of each cache on /metrics', async () => {
    const text = await h.services.metrics.registry.metrics()
    assert.match(text, /trent_cache_hits_total\{cache="keys"\} [1-9]/)
    assert.match(text, /trent_cache_hits_total\{cache="credentials"\} [1-9]/)
    assert.match(text, /trent_cache_misses_total\{cache="keys"\} [1-9]/)
  })

  it('Sign with an ECC_NIST_P256 key reads nothing', async () => {
    const key = await createKey(h, { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' })
    onlyAudit(await storeCallsOf(async () => {
      await ok(h, 'Sign', { KeyId: key.keyId, Message: b64('m'), SigningAlgorithm: 'ECDSA_SHA_256' })
    }))
  })
})
