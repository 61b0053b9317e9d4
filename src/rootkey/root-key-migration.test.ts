// migrateRootKey() between two in-process root keys over a real (in-memory SQLite) store: everything moves
// and verifies, a rerun is a no-op, a lost compare-and-set is retried, and a secret that opens under neither
// key is reported, never overwritten.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { loadOrCreateAuditSigner } from '../audit/signing-key.js'
import { createAccessKey, resolveCredentialSecret } from '../auth/credentials.js'
import { Keyring } from '../keys/keyring.js'
import { keyIdOf, makeKey } from '../store/contract/fixtures.js'
import { openSqliteStore } from '../store/sqlite/sqlite-store.js'
import type { Store } from '../store/store.js'
import { blobRootKeyId } from './labelled-blob.js'
import { verifyRootKey } from './root-key-check.js'
import { migrateRootKey, verifyRootKeyMigration } from './root-key-migration.js'
import { inProcessRootKey, type RootKey } from './root-key.js'

const ACCOUNT = '111122223333'

async function populated(from: RootKey): Promise<{ store: Store; materials: Map<string, Uint8Array> }> {
  const store = await openSqliteStore(':memory:')
  await verifyRootKey(store, from)
  await loadOrCreateAuditSigner(store, from)
  const keyring = new Keyring(from, store)
  const materials = new Map<string, Uint8Array>()
  for (let n = 1; n <= 450; n++) {
    const key = makeKey(keyIdOf(n))
    const material = new Uint8Array(randomBytes(32))
    materials.set(key.keyId, new Uint8Array(material))
    await store.insertKey(key, await keyring.wrapVersion(key, 1, material, new Date()), [])
  }
  for (let n = 1; n <= 3; n++) await createAccessKey(store, from, ACCOUNT, `arn:aws:iam::${ACCOUNT}:root`, `AKIDMIGRATE00000000${n}`, `secret-${n}-0123456789`, new Date())
  return { store, materials }
}

async function materialOf(store: Store, rootKey: RootKey, keyId: string): Promise<Uint8Array> {
  return new Keyring(rootKey, store).withMaterial(makeKey(keyId), 1, (u) => new Uint8Array(u.material))
}

test('moves every secret to the new key, verifies, and a rerun changes nothing', async () => {
  const from = inProcessRootKey(randomBytes(32), 'from')
  const to = inProcessRootKey(randomBytes(32), 'to')
  const { store, materials } = await populated(from)
  const events: string[] = []
  const report = await migrateRootKey(store, from, to, (e) => events.push(`${e.phase}:${e.final}`))
  assert.deepEqual(report.failures, [])
  assert.deepEqual(report.phases['key-version'], { rewrapped: 450, already: 0, raced: 0, refused: 0 })
  assert.deepEqual(report.phases['access-key'], { rewrapped: 3, already: 0, raced: 0, refused: 0 })
  assert.deepEqual(report.phases.settings, { rewrapped: 2, already: 0, raced: 0, refused: 0 })
  assert.ok(events.includes('key-version:true') && events.includes('settings:true'))
  assert.deepEqual(await verifyRootKeyMigration(store, to), { verified: { 'key-version': 450, 'access-key': 3, 'role-session': 0, settings: 2 }, failures: [] })
  // The new key alone now serves everything, and the old one nothing.
  for (const keyId of [keyIdOf(1), keyIdOf(450)]) assert.deepEqual(await materialOf(store, to, keyId), materials.get(keyId))
  assert.equal(new TextDecoder().decode((await resolveCredentialSecret(store, to, 'AKIDMIGRATE000000002'))!.secret), 'secret-2-0123456789')
  await verifyRootKey(store, to)
  await loadOrCreateAuditSigner(store, to)
  await assert.rejects(verifyRootKey(store, from), { name: 'RootKeyMismatchError' })
  const again = await migrateRootKey(store, from, to)
  assert.deepEqual(again.phases['key-version'], { rewrapped: 0, already: 450, raced: 0, refused: 0 })
  assert.deepEqual(again.phases.settings, { rewrapped: 0, already: 2, raced: 0, refused: 0 })
  await store.close()
})

test('resumes after a run that stopped part-way, and retries a row that changed under it', async () => {
  const from = inProcessRootKey(randomBytes(32), 'from')
  const to = inProcessRootKey(randomBytes(32), 'to')
  const { store, materials } = await populated(from)
  // A run that dies after 100 writes (as a kill -9 would leave it: each write is whole).
  let writes = 0
  const dying: Store = Object.create(store, {
    replaceWrappedSecret: { value: async (...args: Parameters<Store['replaceWrappedSecret']>) => {
      if (++writes > 100) throw new Error('killed')
      return store.replaceWrappedSecret(...args)
    } },
  })
  await assert.rejects(migrateRootKey(dying, from, to), /killed/)
  // One row loses its compare-and-set once (another writer got there first), then succeeds on the next pass.
  let lost = false
  const racing: Store = Object.create(store, {
    replaceWrappedSecret: { value: async (...args: Parameters<Store['replaceWrappedSecret']>) => {
      if (!lost && args[1] === `${keyIdOf(300)}/1`) {
        lost = true
        return false
      }
      return store.replaceWrappedSecret(...args)
    } },
  })
  const report = await migrateRootKey(racing, from, to)
  assert.deepEqual(report.phases['key-version'], { rewrapped: 350, already: 100, raced: 1, refused: 0 })
  assert.deepEqual((await verifyRootKeyMigration(store, to)).failures, [])
  assert.deepEqual(await materialOf(store, to, keyIdOf(300)), materials.get(keyIdOf(300)))
  await store.close()
})

test('a secret that opens under neither key is reported by id and left untouched', async () => {
  const from = inProcessRootKey(randomBytes(32), 'from')
  const to = inProcessRootKey(randomBytes(32), 'to')
  const stranger = inProcessRootKey(randomBytes(32), 'stranger')
  const { store } = await populated(from)
  const version = (await store.getKeyVersion(keyIdOf(7), 1))!
  const foreign = await stranger.wrap(new Uint8Array(32), new Uint8Array(0))
  assert.equal(await store.replaceWrappedSecret('key-version', `${keyIdOf(7)}/1`, version.wrappedMaterial, foreign), true)
  const report = await migrateRootKey(store, from, to)
  assert.deepEqual(report.failures, [`key-version ${keyIdOf(7)}/1`])
  assert.equal(report.phases['key-version'].refused, 1)
  assert.equal(blobRootKeyId((await store.getKeyVersion(keyIdOf(7), 1))!.wrappedMaterial), stranger.id)
  assert.deepEqual((await verifyRootKeyMigration(store, to)).failures, [`key-version ${keyIdOf(7)}/1`])
  await store.close()
})
