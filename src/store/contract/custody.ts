// Contract: the custody methods. Wrapped secrets are listed in order and replaced only by compare-and-set;
// a snapshot round-trips every table into an empty store, all or nothing, and never into a store with data.
import assert from 'node:assert/strict'
import { describe } from 'node:test'
import { makeAudit, makeKey, makeVersion, keyIdOf, plainVersion, ACCOUNT, storeTest, type OpenStore } from './fixtures.js'
import { StoreNotEmptyError } from '../custody-store.js'
import type { SnapshotChunk } from '../snapshot.js'
import type { Store } from '../store.js'

const bytes = (fill: number, n = 61) => new Uint8Array(n).fill(fill)

async function seed(store: Store): Promise<void> {
  await store.getOrInitSetting('root-key-check', 'check-value')
  await store.insertAccount({ accountId: ACCOUNT, createdAt: new Date(1_700_000_000_000) })
  await store.insertAccessKey({ accessKeyId: 'AKIDCUSTODY000000002', accountId: ACCOUNT, principalArn: `arn:aws:iam::${ACCOUNT}:root`, wrappedSecret: bytes(2), status: 'Active', createdAt: new Date(1) })
  await store.insertAccessKey({ accessKeyId: 'AKIDCUSTODY000000001', accountId: ACCOUNT, principalArn: `arn:aws:iam::${ACCOUNT}:root`, wrappedSecret: bytes(1), status: 'Active', createdAt: new Date(1) })
  for (const n of [2, 1]) {
    const key = makeKey(keyIdOf(n))
    await store.insertKey(key, makeVersion(key.keyId, 1), [{ tagKey: 'team', tagValue: `t${n}` }])
  }
  for (let v = 2; v <= 10; v++) await store.addKeyVersion(makeVersion(keyIdOf(1), v))
  await store.insertAlias({ accountId: ACCOUNT, region: makeKey(keyIdOf(1)).region, aliasName: 'alias/one', keyId: keyIdOf(1), createdAt: new Date(5), updatedAt: new Date(5) }, 50)
  await store.appendAudit([makeAudit('e1', 'Encrypt', '2024-01-01T00:00:00.000Z'), makeAudit('e2', 'Decrypt', '2024-01-01T00:00:01.000Z')])
}

async function collect(chunks: AsyncIterable<SnapshotChunk>): Promise<Map<string, unknown[][]>> {
  const tables = new Map<string, unknown[][]>()
  for await (const chunk of chunks) {
    const rows = chunk.rows.map((r) => chunk.columns.map((c, i) => [c, r[i] instanceof Uint8Array ? Buffer.from(r[i]).toString('hex') : r[i]]))
    tables.set(chunk.table, [...(tables.get(chunk.table) ?? []), ...rows])
  }
  return tables
}

async function* from(chunks: SnapshotChunk[]): AsyncGenerator<SnapshotChunk> {
  yield* chunks
}

export function describeCustody(open: OpenStore): void {
  const test = storeTest(open)

  describe('custody: wrapped secrets', () => {
    test('listWrappedSecrets() pages key versions by key id then version number, and access keys by id', async (store) => {
      await seed(store)
      const first = await store.listWrappedSecrets('key-version', undefined, 4)
      assert.deepEqual(first.map((r) => r.id), [`${keyIdOf(1)}/1`, `${keyIdOf(1)}/2`, `${keyIdOf(1)}/3`, `${keyIdOf(1)}/4`])
      const rest = await store.listWrappedSecrets('key-version', first.at(-1)!.id, 100)
      assert.deepEqual(rest.map((r) => r.id), [...[5, 6, 7, 8, 9, 10].map((v) => `${keyIdOf(1)}/${v}`), `${keyIdOf(2)}/1`])
      assert.deepEqual(rest[0]!.wrapped, new Uint8Array((await store.getKeyVersion(keyIdOf(1), 5))!.wrappedMaterial))
      const keys = await store.listWrappedSecrets('access-key', undefined, 10)
      assert.deepEqual(keys.map((r) => [r.id, r.wrapped[0]]), [['AKIDCUSTODY000000001', 1], ['AKIDCUSTODY000000002', 2]])
      assert.deepEqual(await store.listWrappedSecrets('access-key', 'AKIDCUSTODY000000001', 10).then((r) => r.map((x) => x.id)), ['AKIDCUSTODY000000002'])
      assert.deepEqual(await store.listWrappedSecrets('role-session', undefined, 10), [])
    })

    test('listWrappedSecrets() leaves out material whose bytes were deleted (an imported key awaiting re-import)', async (store) => {
      const key = { ...makeKey(keyIdOf(3)), origin: 'EXTERNAL' as const }
      await store.insertKey(key, null, [])
      const imported = { importState: 'IMPORTED' as const, expirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' as const, pendingRotation: false }
      await store.saveImportedVersion({ ...makeVersion(key.keyId, 1), imported })
      assert.deepEqual((await store.listWrappedSecrets('key-version', undefined, 10)).map((r) => r.id), [`${key.keyId}/1`])
      assert.equal(await store.deleteImportedVersion(key.keyId, 1), true)
      assert.deepEqual(await store.listWrappedSecrets('key-version', undefined, 10), [])
    })

    test('replaceWrappedSecret() swaps only a row still holding the previous blob, and nothing else in it', async (store) => {
      await seed(store)
      const id = `${keyIdOf(1)}/3`
      const before = (await store.getKeyVersion(keyIdOf(1), 3))!
      assert.equal(await store.replaceWrappedSecret('key-version', id, before.wrappedMaterial, bytes(0xee)), true)
      const after = (await store.getKeyVersion(keyIdOf(1), 3))!
      assert.deepEqual(plainVersion(after), plainVersion({ ...before, wrappedMaterial: bytes(0xee) }))
      assert.equal(await store.replaceWrappedSecret('key-version', id, before.wrappedMaterial, bytes(0xdd)), false, 'stale previous')
      assert.deepEqual(new Uint8Array((await store.getKeyVersion(keyIdOf(1), 3))!.wrappedMaterial), bytes(0xee))
      assert.equal(await store.replaceWrappedSecret('key-version', `${keyIdOf(9)}/1`, bytes(1), bytes(2)), false, 'no such row')
      assert.equal(await store.replaceWrappedSecret('access-key', 'AKIDCUSTODY000000001', bytes(1), bytes(0xaa)), true)
      assert.deepEqual(new Uint8Array((await store.getAccessKey('AKIDCUSTODY000000001'))!.wrappedSecret), bytes(0xaa))
      assert.equal(await store.replaceWrappedSecret('access-key', 'AKIDCUSTODY000000001', bytes(1), bytes(0xbb)), false)
    })

    test('replaceSetting() is compare-and-set', async (store) => {
      await seed(store)
      assert.equal(await store.replaceSetting('root-key-check', 'stale', 'x'), false)
      assert.equal(await store.replaceSetting('root-key-check', 'check-value', 'new-value'), true)
      assert.equal(await store.getSetting('root-key-check'), 'new-value')
      assert.equal(await store.replaceSetting('absent', 'a', 'b'), false)
      assert.equal(await store.getSetting('absent'), undefined)
    })
  })

  describe('custody: snapshots', () => {
    test('exportSnapshot() then importSnapshot() into an empty store reproduces every table', async (store) => {
      await seed(store)
      const target = await open()
      try {
        const { rows } = await target.importSnapshot(store.exportSnapshot())
        const source = await collect(store.exportSnapshot())
        assert.deepEqual(await collect(target.exportSnapshot()), source)
        assert.equal(rows, [...source.values()].reduce((n, t) => n + t.length, 0))
        assert.ok(source.get('key_versions')!.length === 11 && source.get('audit')!.length === 2 && source.get('aliases')!.length === 1)
        // Through the Store methods too: the restored store serves the same records and continues the chain.
        assert.deepEqual(await target.getKey(keyIdOf(1)), await store.getKey(keyIdOf(1)))
        assert.deepEqual(await target.auditChainHead(), await store.auditChainHead())
        await target.appendAudit([makeAudit('e3', 'Encrypt', '2024-01-01T00:00:02.000Z')])
        assert.equal((await target.auditChainHead()).sequence, (await store.auditChainHead()).sequence + 1)
      } finally {
        await target.close()
      }
    })

    test('importSnapshot() refuses a store that already holds data, writing nothing', async (store) => {
      await seed(store)
      const target = await open()
      try {
        await target.getOrInitSetting('something', 'here')
        await assert.rejects(target.importSnapshot(store.exportSnapshot()), StoreNotEmptyError)
        assert.equal(await target.getKey(keyIdOf(1)), undefined)
      } finally {
        await target.close()
      }
    })

    test('importSnapshot() is all or nothing: an unknown table part-way leaves the store empty and importable', async (store) => {
      await seed(store)
      const chunks: SnapshotChunk[] = []
      for await (const c of store.exportSnapshot()) chunks.push(c)
      const target = await open()
      try {
        await assert.rejects(target.importSnapshot(from([...chunks, { table: 'no_such_table', columns: ['x'], rows: [[1]] }])), /no_such_table/)
        await assert.rejects(target.importSnapshot(from([{ table: 'keys', columns: ['no_such_column'], rows: [[1]] }])), /no_such_column/)
        assert.equal(await target.getKey(keyIdOf(1)), undefined)
        assert.equal(await target.getSetting('root-key-check'), undefined)
        await target.importSnapshot(from(chunks))
        assert.deepEqual(await target.getKey(keyIdOf(2)), await store.getKey(keyIdOf(2)))
      } finally {
        await target.close()
      }
    })
  })
}
