// bootstrapDefaultAccount(): once only, even when several nodes start together on one new database.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, describe, it } from 'node:test'
import { inProcessRootKey } from '../rootkey/root-key.js'
import { openPostgresStore } from '../store/postgres/postgres-store.js'
import { dropSchema, freshSchemaName, postgresUnavailable, TEST_DATABASE_URL } from '../store/postgres/test-database.js'
import { openSqliteStore } from '../store/sqlite/sqlite-store.js'
import { bootstrapDefaultAccount } from './bootstrap.js'

const rootKey = inProcessRootKey(randomBytes(32), 'test')
const unavailable = await postgresUnavailable()
const schemas: string[] = []
after(async () => { for (const s of schemas) await dropSchema(s) })

describe('bootstrapDefaultAccount()', () => {
  it('creates the account and its credentials on the first start and reuses them later', async () => {
    const store = await openSqliteStore(':memory:')
    try {
      const first = await bootstrapDefaultAccount(store, rootKey, new Date(), {})
      assert.ok(first.created?.generatedSecret)
      assert.deepEqual(await bootstrapDefaultAccount(store, rootKey, new Date(), {}), { accountId: first.accountId })
      assert.deepEqual((await store.listAccounts()).map((a) => a.accountId), [first.accountId])
    } finally {
      await store.close()
    }
  })

  for (const [what, options] of [
    ['random account ids and credentials', {}],
    ['one fixed account id and access key', { accountId: '111122223333', credentials: { accessKeyId: 'AKIDBOOTSTRAPRACE001', secretAccessKey: 'bootstrap-race-secret-0001' } }],
  ] as const) {
    it(`nodes starting at once on one PostgreSQL database make one default account (${what})`, { skip: unavailable }, async () => {
      const schema = freshSchemaName()
      schemas.push(schema)
      const nodes = await Promise.all(Array.from({ length: 4 }, () => openPostgresStore({ url: TEST_DATABASE_URL, schema, maxConnections: 2 })))
      try {
        const results = await Promise.all(nodes.map((n) => bootstrapDefaultAccount(n, rootKey, new Date(), options)))
        assert.equal(new Set(results.map((r) => r.accountId)).size, 1, 'every node reports the same default account')
        assert.equal(results.filter((r) => r.created).length, 1, 'only one node reports credentials')
        const accounts = await nodes[0]!.listAccounts()
        assert.deepEqual(accounts.map((a) => a.accountId), [results[0]!.accountId], 'no orphan account is left behind')
        assert.equal((await nodes[0]!.listAccessKeys(results[0]!.accountId)).length, 1)
      } finally {
        await Promise.all(nodes.map((n) => n.close()))
      }
    })
  }
})
