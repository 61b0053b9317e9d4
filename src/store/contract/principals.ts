// Contract: accounts, IAM users and roles, access-key limits, inline identity policies, principal tags
// and role sessions, with the cascades that deleting an identity or an account performs.
import assert from 'node:assert/strict'
import { describe } from 'node:test'
import type { IdentityPolicyRecord, RoleRecord, RoleSessionRecord, UserRecord } from '../../auth/identities.js'
import type { AccessKeyRecord } from '../../auth/principal.js'
import { StoreConflictError, StoreLimitError } from '../store.js'
import { ACCOUNT, at, makeKey, keyIdOf, storeTest, type OpenStore } from './fixtures.js'

const OTHER = '444455556666'
const alice: UserRecord = { accountId: ACCOUNT, userName: 'alice', path: '/ops/', userId: 'AIDAAAAAAAAAAAAAAAAAA', arn: `arn:aws:iam::${ACCOUNT}:user/ops/alice`, createdAt: at('2024-01-01T00:00:00.001Z') }
const admin: RoleRecord = { accountId: ACCOUNT, roleName: 'Admin', path: '/', roleId: 'AROAAAAAAAAAAAAAAAAAA', arn: `arn:aws:iam::${ACCOUNT}:role/Admin`, createdAt: at('2024-01-02T00:00:00.002Z') }

function accessKey(id: string, principalArn: string, accountId = ACCOUNT): AccessKeyRecord {
  return { accessKeyId: id, accountId, principalArn, wrappedSecret: new Uint8Array([1, 2, 3]), status: 'Active', createdAt: at(`2024-02-0${id.length % 9 + 1}T00:00:00.000Z`) }
}

const policy = (principalArn: string, policyName: string, document = '{"Version":"2012-10-17","Statement":[]}'): IdentityPolicyRecord =>
  ({ principalArn, policyName, document, updatedAt: at('2024-03-01T00:00:00.003Z') })

const sessionOf = (id: string): RoleSessionRecord => ({
  accessKeyId: id, accountId: ACCOUNT, roleArn: admin.arn, roleId: admin.roleId, sessionName: 'night-job', wrappedSecret: new Uint8Array([9, 8, 7]),
  tokenHash: 'ab'.repeat(32), createdAt: at('2024-04-01T00:00:00.000Z'), expiresAt: at('2024-04-01T01:00:00.000Z'),
})

const plain = <T extends { wrappedSecret: Uint8Array }>(r: T | undefined): T | undefined => r && { ...r, wrappedSecret: new Uint8Array(r.wrappedSecret) }

export function describePrincipals(open: OpenStore): void {
  const test = storeTest(open)
  const withAccounts = async (store: Parameters<Parameters<typeof test>[1]>[0]) => {
    await store.insertAccount({ accountId: ACCOUNT, createdAt: at('2024-01-01T00:00:00Z') })
    await store.insertAccount({ accountId: OTHER, createdAt: at('2024-01-01T00:00:00Z') })
  }

  describe('users and roles', () => {
    test('insertUser() and insertRole() round-trip and list by account', async (store) => {
      await withAccounts(store)
      await store.insertUser(alice)
      await store.insertRole(admin)
      assert.deepEqual(await store.getUser(ACCOUNT, 'alice'), alice)
      assert.deepEqual(await store.getRole(ACCOUNT, 'Admin'), admin)
      assert.deepEqual(await store.listUsers(ACCOUNT), [alice])
      assert.deepEqual(await store.listRoles(OTHER), [])
      assert.equal(await store.getUser(OTHER, 'alice'), undefined)
    })

    test('names are unique per account ignoring case, as in IAM', async (store) => {
      await withAccounts(store)
      await store.insertUser(alice)
      await assert.rejects(store.insertUser({ ...alice, userName: 'ALICE', userId: 'AIDABBBBBBBBBBBBBBBBB', arn: `arn:aws:iam::${ACCOUNT}:user/ALICE` }), StoreConflictError)
      await store.insertUser({ ...alice, accountId: OTHER, userId: 'AIDACCCCCCCCCCCCCCCCC', arn: `arn:aws:iam::${OTHER}:user/ops/alice` })
      assert.equal((await store.getUser(ACCOUNT, 'Alice'))?.arn, alice.arn)
    })

    test('deleteUser() removes the user with its access keys, policies and tags', async (store) => {
      await withAccounts(store)
      await store.insertUser(alice)
      await store.addAccessKey(accessKey('AKIAALICE1', alice.arn), 2)
      await store.putIdentityPolicy(policy(alice.arn, 'p'))
      await store.putPrincipalTags(alice.arn, [{ tagKey: 'team', tagValue: 'blue' }])
      assert.equal(await store.deleteUser(ACCOUNT, 'alice'), true)
      assert.equal(await store.getUser(ACCOUNT, 'alice'), undefined)
      assert.equal(await store.getAccessKey('AKIAALICE1'), undefined)
      assert.deepEqual(await store.listIdentityPolicies(alice.arn), [])
      assert.deepEqual(await store.listPrincipalTags(alice.arn), [])
      assert.equal(await store.deleteUser(ACCOUNT, 'alice'), false)
    })

    test('deleteRole() removes the role with its sessions and policies', async (store) => {
      await withAccounts(store)
      await store.insertRole(admin)
      await store.insertRoleSession(sessionOf('ASIAADMIN1'))
      await store.putIdentityPolicy(policy(admin.arn, 'p'))
      assert.equal(await store.deleteRole(ACCOUNT, 'Admin'), true)
      assert.equal(await store.getRoleSession('ASIAADMIN1'), undefined)
      assert.deepEqual(await store.listIdentityPolicies(admin.arn), [])
    })
  })

  describe('access keys', () => {
    test('addAccessKey() allows at most the given number per principal', async (store) => {
      await withAccounts(store)
      await store.addAccessKey(accessKey('AKIA1', alice.arn), 2)
      await store.addAccessKey(accessKey('AKIA22', alice.arn), 2)
      await assert.rejects(store.addAccessKey(accessKey('AKIA333', alice.arn), 2), StoreLimitError)
      await store.addAccessKey(accessKey('AKIA4444', `arn:aws:iam::${ACCOUNT}:root`), 2)
      assert.deepEqual((await store.listAccessKeys(ACCOUNT, alice.arn)).map((k) => k.accessKeyId), ['AKIA1', 'AKIA22'])
      assert.equal((await store.listAccessKeys(ACCOUNT)).length, 3)
      await assert.rejects(store.addAccessKey(accessKey('AKIA1', admin.arn), 2), StoreConflictError)
    })

    test('setAccessKeyStatus() and deleteAccessKey() report whether the key existed', async (store) => {
      await withAccounts(store)
      await store.addAccessKey(accessKey('AKIA1', alice.arn), 2)
      assert.equal(await store.setAccessKeyStatus('AKIA1', 'Inactive'), true)
      assert.equal((await store.getAccessKey('AKIA1'))?.status, 'Inactive')
      assert.equal(await store.setAccessKeyStatus('AKIANONE', 'Inactive'), false)
      assert.equal(await store.deleteAccessKey('AKIA1'), true)
      assert.equal(await store.deleteAccessKey('AKIA1'), false)
    })
  })

  describe('identity policies, tags and sessions', () => {
    test('putIdentityPolicy() attaches, replaces by name and lists by name', async (store) => {
      await withAccounts(store)
      await store.insertUser(alice)
      await store.putIdentityPolicy(policy(alice.arn, 'b'))
      await store.putIdentityPolicy(policy(alice.arn, 'a'))
      await store.putIdentityPolicy(policy(alice.arn, 'b', '{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}'))
      const listed = await store.listIdentityPolicies(alice.arn)
      assert.deepEqual(listed.map((p) => p.policyName), ['a', 'b'])
      assert.match(listed[1]!.document, /Deny/)
      assert.deepEqual(listed[0], policy(alice.arn, 'a'))
      assert.equal(await store.deleteIdentityPolicy(alice.arn, 'a'), true)
      assert.equal(await store.deleteIdentityPolicy(alice.arn, 'a'), false)
    })

    test('principal tags are added, overwritten, removed and listed by key', async (store) => {
      await withAccounts(store)
      await store.insertRole(admin)
      await store.putPrincipalTags(admin.arn, [{ tagKey: 'team', tagValue: 'blue' }, { tagKey: 'cost', tagValue: '1' }])
      await store.putPrincipalTags(admin.arn, [{ tagKey: 'team', tagValue: 'red' }])
      assert.deepEqual(await store.listPrincipalTags(admin.arn), [{ tagKey: 'cost', tagValue: '1' }, { tagKey: 'team', tagValue: 'red' }])
      await store.deletePrincipalTags(admin.arn, ['cost', 'absent'])
      assert.deepEqual(await store.listPrincipalTags(admin.arn), [{ tagKey: 'team', tagValue: 'red' }])
    })

    test('identity policies and tags are refused for a deleted identity, so a re-created name inherits none', async (store) => {
      await withAccounts(store)
      await store.insertUser(alice)
      await store.deleteUser(ACCOUNT, 'alice')
      await assert.rejects(store.putIdentityPolicy(policy(alice.arn, 'late')), StoreConflictError)
      await assert.rejects(store.putPrincipalTags(alice.arn, [{ tagKey: 'team', tagValue: 'late' }]), StoreConflictError)
      await store.insertUser({ ...alice, userId: 'AIDABBBBBBBBBBBBBBBBB' })
      assert.deepEqual([await store.listIdentityPolicies(alice.arn), await store.listPrincipalTags(alice.arn)], [[], []])
    })

    test('getIdentityByUniqueId() finds a user or role by its id until it is deleted', async (store) => {
      await withAccounts(store)
      await store.insertUser(alice)
      await store.insertRole(admin)
      assert.deepEqual(await store.getIdentityByUniqueId(alice.userId), alice)
      assert.deepEqual(await store.getIdentityByUniqueId(admin.roleId), admin)
      await store.deleteUser(ACCOUNT, 'alice')
      assert.equal(await store.getIdentityByUniqueId(alice.userId), undefined)
    })

    test('insertRoleSession() round-trips every field and refuses a duplicate id', async (store) => {
      await store.insertRoleSession(sessionOf('ASIA1'))
      assert.deepEqual(plain(await store.getRoleSession('ASIA1')), sessionOf('ASIA1'))
      await assert.rejects(store.insertRoleSession(sessionOf('ASIA1')), StoreConflictError)
      assert.equal(await store.getRoleSession('ASIANONE'), undefined)
    })
  })

  describe('account deletion', () => {
    test('deleteAccount() removes the account and everything of its principals', async (store) => {
      await withAccounts(store)
      await store.insertUser(alice)
      await store.insertRole(admin)
      await store.addAccessKey(accessKey('AKIA1', alice.arn), 2)
      await store.putIdentityPolicy(policy(alice.arn, 'p'))
      await store.insertRoleSession(sessionOf('ASIA1'))
      assert.equal(await store.deleteAccount(ACCOUNT), true)
      assert.equal(await store.getAccount(ACCOUNT), undefined)
      assert.deepEqual([await store.listUsers(ACCOUNT), await store.listRoles(ACCOUNT), await store.listAccessKeys(ACCOUNT)], [[], [], []])
      assert.deepEqual(await store.listIdentityPolicies(alice.arn), [])
      assert.equal(await store.getRoleSession('ASIA1'), undefined)
      assert.deepEqual((await store.listAccounts()).map((a) => a.accountId), [OTHER])
      assert.equal(await store.deleteAccount(ACCOUNT), false)
    })

    test('deleteAccount() refuses while the account owns keys', async (store) => {
      await withAccounts(store)
      await store.insertKey(makeKey(keyIdOf(1)), null, [])
      await assert.rejects(store.deleteAccount(ACCOUNT), StoreConflictError)
      assert.ok(await store.getAccount(ACCOUNT))
    })
  })
}
