// Contract: first-run settings, accounts and access keys.
import assert from 'node:assert/strict'
import { describe } from 'node:test'
import type { AccessKeyRecord } from '../../auth/principal.js'
import { StoreConflictError } from '../store.js'
import { ACCOUNT, at, storeTest, type OpenStore } from './fixtures.js'

export function describeSettingsAndAccounts(open: OpenStore): void {
  const test = storeTest(open)

  describe('settings', () => {
    test('getSetting() returns undefined for a setting never stored', async (store) => {
      assert.equal(await store.getSetting('root-key-id'), undefined)
    })

    test('getOrInitSetting() stores the first value and keeps returning it', async (store) => {
      assert.equal(await store.getOrInitSetting('instance-id', 'first'), 'first')
      assert.equal(await store.getOrInitSetting('instance-id', 'second'), 'first')
      assert.equal(await store.getSetting('instance-id'), 'first')
    })

    test('getOrInitSetting() called concurrently settles on a single value', async (store) => {
      const values = await Promise.all(['a', 'b', 'c'].map((v) => store.getOrInitSetting('race', v)))
      assert.equal(new Set(values).size, 1)
      assert.equal(await store.getSetting('race'), values[0])
    })
  })

  describe('accounts and access keys', () => {
    test('insertAccount() round-trips and getAccount() misses unknown ids', async (store) => {
      const account = { accountId: ACCOUNT, createdAt: at('2024-01-01T00:00:00.001Z') }
      await store.insertAccount(account)
      assert.deepEqual(await store.getAccount(ACCOUNT), account)
      assert.equal(await store.getAccount('999999999999'), undefined)
    })

    test('insertAccount() rejects a duplicate account id with StoreConflictError', async (store) => {
      await store.insertAccount({ accountId: ACCOUNT, createdAt: at('2024-01-01T00:00:00Z') })
      await assert.rejects(store.insertAccount({ accountId: ACCOUNT, createdAt: at('2025-01-01T00:00:00Z') }), StoreConflictError)
      assert.deepEqual(await store.getAccount(ACCOUNT), { accountId: ACCOUNT, createdAt: at('2024-01-01T00:00:00Z') })
    })

    const accessKey: AccessKeyRecord = {
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      accountId: ACCOUNT,
      principalArn: `arn:aws:iam::${ACCOUNT}:user/ops/alice`,
      principalId: 'AIDAAAAAAAAAAAAAAAAAA',
      wrappedSecret: new Uint8Array([0, 1, 2, 250, 255, 7]),
      status: 'Inactive',
      createdAt: at('2024-05-06T07:08:09.010Z'),
    }

    test('insertAccessKey() round-trips every field, secret bytes included', async (store) => {
      await store.insertAccount({ accountId: ACCOUNT, createdAt: at('2024-01-01T00:00:00Z') })
      await store.insertAccessKey(accessKey)
      const got = await store.getAccessKey(accessKey.accessKeyId)
      assert.ok(got?.wrappedSecret instanceof Uint8Array)
      assert.deepEqual({ ...got, wrappedSecret: new Uint8Array(got.wrappedSecret) }, accessKey)
      assert.equal(await store.getAccessKey('AKIAUNKNOWN'), undefined)
    })

    test('insertAccessKey() rejects a duplicate access key id with StoreConflictError', async (store) => {
      await store.insertAccount({ accountId: ACCOUNT, createdAt: at('2024-01-01T00:00:00Z') })
      await store.insertAccessKey(accessKey)
      await assert.rejects(store.insertAccessKey({ ...accessKey, status: 'Active' }), StoreConflictError)
      assert.equal((await store.getAccessKey(accessKey.accessKeyId))?.status, 'Inactive')
    })
  })
}
