// Contract: grants — idempotent creation by name and parameters, the per-key limit, filters, retirable
// listing, deletion, and grants disappearing with their key.
import assert from 'node:assert/strict'
import { describe } from 'node:test'
import type { GrantRecord } from '../../policy/grant.js'
import { StoreConflictError, StoreLimitError } from '../store.js'
import { ACCOUNT, at, keyIdOf, makeKey, storeTest, type OpenStore } from './fixtures.js'

const BOB = `arn:aws:iam::${ACCOUNT}:user/bob`
const CAROL = `arn:aws:iam::${ACCOUNT}:user/carol`

function grantOf(n: number, overrides: Partial<GrantRecord> = {}): GrantRecord {
  return {
    grantId: n.toString(16).padStart(64, '0'), keyId: keyIdOf(1), issuingAccount: ACCOUNT, granteePrincipal: BOB,
    operations: ['Decrypt', 'Encrypt'], createdAt: at('2024-05-01T00:00:00.005Z'), fingerprint: 'fp-1', ...overrides,
  }
}

export function describeGrants(open: OpenStore): void {
  const test = storeTest(open)

  describe('grants', () => {
    test('createGrant() round-trips every field, optional ones absent when unset', async (store) => {
      const full = grantOf(1, { name: 'n', retiringPrincipal: CAROL, constraints: { encryptionContextSubset: { Department: 'IT' } } })
      assert.deepEqual(await store.createGrant(full, 10), full)
      assert.deepEqual(await store.getGrant(full.grantId), full)
      await store.createGrant(grantOf(2), 10)
      assert.deepEqual(await store.getGrant(grantOf(2).grantId), grantOf(2))
      assert.equal(await store.getGrant('f'.repeat(64)), undefined)
    })

    test('createGrant() with a known name and fingerprint returns the existing grant', async (store) => {
      const first = await store.createGrant(grantOf(1, { name: 'backup' }), 10)
      assert.deepEqual(await store.createGrant(grantOf(2, { name: 'backup' }), 10), first)
      const changed = await store.createGrant(grantOf(3, { name: 'backup', fingerprint: 'fp-2' }), 10)
      assert.equal(changed.grantId, grantOf(3).grantId)
      const onOtherKey = await store.createGrant(grantOf(4, { name: 'backup', keyId: keyIdOf(2) }), 10)
      assert.equal(onOtherKey.grantId, grantOf(4).grantId)
      assert.equal((await store.listGrants(keyIdOf(1), {}, undefined, 10)).items.length, 2)
    })

    test('createGrant() refuses past the per-key limit and on a duplicate id', async (store) => {
      await store.createGrant(grantOf(1), 2)
      await store.createGrant(grantOf(2), 2)
      await assert.rejects(store.createGrant(grantOf(3), 2), StoreLimitError)
      await store.createGrant(grantOf(4, { keyId: keyIdOf(2) }), 2)
      await assert.rejects(store.createGrant(grantOf(1, { keyId: keyIdOf(3) }), 2), StoreConflictError)
    })

    test('listGrants() pages by grant id and filters by grant id and grantee', async (store) => {
      for (let n = 1; n <= 5; n++) await store.createGrant(grantOf(n, n % 2 === 0 ? { granteePrincipal: CAROL } : {}), 10)
      const first = await store.listGrants(keyIdOf(1), {}, undefined, 2)
      assert.deepEqual(first.items.map((g) => g.grantId), [grantOf(1).grantId, grantOf(2).grantId])
      const rest = await store.listGrants(keyIdOf(1), {}, first.nextAfter, 10)
      assert.deepEqual([rest.items.length, rest.nextAfter], [3, undefined])
      assert.deepEqual((await store.listGrants(keyIdOf(1), { granteePrincipal: CAROL }, undefined, 10)).items.map((g) => g.grantId), [grantOf(2).grantId, grantOf(4).grantId])
      assert.deepEqual((await store.listGrants(keyIdOf(1), { grantId: grantOf(3).grantId }, undefined, 10)).items, [grantOf(3)])
    })

    test('listGrantsForGrantees() finds a key\'s grants for up to three grantees', async (store) => {
      await store.createGrant(grantOf(1), 10)
      await store.createGrant(grantOf(2, { granteePrincipal: CAROL }), 10)
      await store.createGrant(grantOf(3, { keyId: keyIdOf(2) }), 10)
      assert.deepEqual((await store.listGrantsForGrantees(keyIdOf(1), [BOB])).map((g) => g.grantId), [grantOf(1).grantId])
      assert.equal((await store.listGrantsForGrantees(keyIdOf(1), [BOB, CAROL, `arn:aws:iam::${ACCOUNT}:root`])).length, 2)
    })

    test('listRetirableGrants() spans the keys of one region and pages by grant id', async (store) => {
      for (const n of [1, 2]) await store.insertKey(makeKey(keyIdOf(n)), null, [])
      await store.insertKey(makeKey(keyIdOf(4), { region: 'eu-west-3' }), null, [])
      await store.createGrant(grantOf(1, { retiringPrincipal: CAROL }), 10)
      await store.createGrant(grantOf(2, { retiringPrincipal: CAROL, keyId: keyIdOf(2) }), 10)
      await store.createGrant(grantOf(3, { retiringPrincipal: BOB }), 10)
      await store.createGrant(grantOf(4, { retiringPrincipal: CAROL, keyId: keyIdOf(4) }), 10)
      const region = makeKey(keyIdOf(1)).region
      const page = await store.listRetirableGrants(CAROL, region, undefined, 1)
      assert.deepEqual(page.items.map((g) => g.grantId), [grantOf(1).grantId])
      assert.deepEqual((await store.listRetirableGrants(CAROL, region, page.nextAfter, 10)).items.map((g) => g.keyId), [keyIdOf(2)])
      assert.deepEqual((await store.listRetirableGrants(CAROL, 'eu-west-3', undefined, 10)).items.map((g) => g.keyId), [keyIdOf(4)])
    })

    test('deleteGrant() reports whether the grant existed', async (store) => {
      await store.createGrant(grantOf(1), 10)
      assert.equal(await store.deleteGrant(grantOf(1).grantId), true)
      assert.equal(await store.deleteGrant(grantOf(1).grantId), false)
      assert.equal(await store.getGrant(grantOf(1).grantId), undefined)
    })

    test('destroyKey() takes the key\'s grants with it', async (store) => {
      await store.insertKey(makeKey(keyIdOf(1)), null, [])
      await store.createGrant(grantOf(1), 10)
      await store.createGrant(grantOf(2, { keyId: keyIdOf(2) }), 10)
      await store.destroyKey(keyIdOf(1))
      assert.equal(await store.getGrant(grantOf(1).grantId), undefined)
      assert.ok(await store.getGrant(grantOf(2).grantId))
    })
  })
}
