// The PostgreSQL driver runs the shared store contract, each test in a fresh schema dropped afterwards, then
// the checks only several connections can make: one chain and one lease across separate pools (nodes),
// change seqs visible in commit order, concurrent migration, and a schema reopened keeping its data.
import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { canonicalHash, GENESIS_HASH } from '../../audit/canonical-json.js'
import { StoreChangeFeed } from '../../cache/change-feed.js'
import { runStoreContract } from '../contract.js'
import { ACCOUNT, keyIdOf, makeAudit, makeKey, makeVersion, REGION } from '../contract/fixtures.js'
import { StoreLimitError, type Store } from '../store.js'
import { SNAPSHOT_TABLES, TRANSIENT_TABLES } from '../snapshot.js'
import { openSqliteDatabase } from '../sqlite/database.js'
import { migrations } from './migrations.js'
import { openPostgresStore } from './postgres-store.js'
import { dropSchema, freshSchemaName, postgresUnavailable, TEST_DATABASE_URL } from './test-database.js'

const unavailable = await postgresUnavailable()
const schemas = new Set<string>()
after(async () => {
  for (const s of schemas) await dropSchema(s)
})

/** A store on `schema` (a new one when absent) that is dropped when the file's tests end. */
async function openOn(schema = freshSchemaName()): Promise<Store & { schema: string }> {
  schemas.add(schema)
  const store = await openPostgresStore({ url: TEST_DATABASE_URL, schema, maxConnections: 4 })
  return Object.assign(store, { schema })
}

if (unavailable) {
  it('postgres store contract', { skip: unavailable }, () => undefined)
} else {
  runStoreContract('postgres', async () => {
    const store = await openOn()
    return { ...store, async close() { await store.close(); await dropSchema(store.schema); schemas.delete(store.schema) } }
  })

  describe('postgres store shared by several nodes', () => {
    it('records its schema version in schema_migrations and reopens a schema keeping its data', async () => {
      const first = await openOn()
      await first.insertKey(makeKey(keyIdOf(1)), null, [])
      await first.close()
      const second = await openOn(first.schema)
      try {
        assert.deepEqual(await second.getKey(keyIdOf(1)), makeKey(keyIdOf(1)))
        const pg = (await import('pg')).default
        const client = new pg.Client({ connectionString: TEST_DATABASE_URL })
        await client.connect()
        const { rows } = await client.query(`SELECT version FROM ${first.schema}.schema_migrations ORDER BY version`)
        await client.end()
        assert.deepEqual(rows.map((r: { version: number }) => r.version), migrations.map((_, i) => i + 1))
      } finally {
        await second.close()
      }
    })

    it('nodes starting together on a new schema migrate it once', async () => {
      const schema = freshSchemaName()
      const nodes = await Promise.all([openOn(schema), openOn(schema), openOn(schema)])
      try {
        await nodes[0]!.insertKey(makeKey(keyIdOf(1)), null, [])
        assert.ok(await nodes[2]!.getKey(keyIdOf(1)))
      } finally {
        await Promise.all(nodes.map((n) => n.close()))
      }
    })

    it('appends from several nodes at once build one linear chain', async () => {
      const a = await openOn()
      const b = await openOn(a.schema)
      try {
        await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? a : b).appendAudit([
          makeAudit(`x${i}`, 'Encrypt', new Date(Date.UTC(2024, 0, 1, 0, 0, i)).toISOString()),
          makeAudit(`y${i}`, 'Decrypt', new Date(Date.UTC(2024, 0, 1, 0, 0, i)).toISOString()),
        ])))
        const rows = await a.listAudit(0, 100)
        assert.equal(rows.length, 60)
        rows.forEach((row, i) => {
          assert.equal(row.record.trentSequence, i + 1)
          assert.equal(row.record.trentPreviousHash, i === 0 ? GENESIS_HASH : canonicalHash(rows[i - 1]!.record))
        })
        assert.equal((await b.auditChainHead()).hash, canonicalHash(rows[59]!.record))
      } finally {
        await Promise.all([a.close(), b.close()])
      }
    })

    it('a lease contested by several nodes goes to exactly one', async () => {
      const first = await openOn()
      const nodes = [first, await openOn(first.schema), await openOn(first.schema)]
      try {
        const now = new Date()
        const won = await Promise.all(nodes.flatMap((n, i) => [n.takeLease('jobs', `node-${i}-a`, now, 5000), n.takeLease('jobs', `node-${i}-b`, now, 5000)]))
        assert.equal(won.filter(Boolean).length, 1)
      } finally {
        await Promise.all(nodes.map((n) => n.close()))
      }
    })

    it('concurrent writes from several nodes reach a reader in seq order with no gaps', async () => {
      const a = await openOn()
      const b = await openOn(a.schema)
      try {
        const start = await a.latestChangeSeq()
        await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? a : b).insertKey(makeKey(keyIdOf(i)), null, [])))
        const { changes } = await a.readChanges(start, 1000)
        assert.equal(changes.length, 40)
        changes.forEach((c, i) => assert.equal(c.seq, start + i + 1))
        assert.equal(new Set(changes.map((c) => c.entity)).size, 40)
      } finally {
        await Promise.all([a.close(), b.close()])
      }
    })

    it('a change feed hears another node\'s commit through NOTIFY long before its next poll', async () => {
      const a = await openOn()
      const b = await openOn(a.schema)
      const other = await openOn()
      // A 10 s poll: only the notification can deliver the change within the 2 s this test waits.
      const feed = new StoreChangeFeed(b, { pollMs: 10_000 }).start()
      try {
        const seen: string[] = []
        feed.subscribe({ onChange: (c) => { seen.push(`${c.kind}:${c.entity}`) }, onReset: () => undefined })
        await feed.pollNow()
        await new Promise((resolve) => setTimeout(resolve, 300)) // the LISTEN connection is up
        await other.insertKey(makeKey(keyIdOf(9)), null, []) // another schema: must not be announced here
        const started = Date.now()
        await a.insertKey(makeKey(keyIdOf(1)), null, [])
        while (seen.length === 0 && Date.now() - started < 2000) await new Promise((resolve) => setTimeout(resolve, 5))
        assert.deepEqual(seen, [`key:${keyIdOf(1)}`])
        assert.ok(Date.now() - started < 2000)
      } finally {
        feed.close()
        await Promise.all([a.close(), b.close(), other.close()])
      }
    })

    it('limits hold under concurrent writers on several nodes', async () => {
      const a = await openOn()
      const b = await openOn(a.schema)
      try {
        await a.insertKey(makeKey(keyIdOf(1)), null, [])
        const results = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? a : b).putTags(keyIdOf(1), [{ tagKey: `t${i}`, tagValue: 'v' }], 5)))
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 5)
        assert.equal((await a.listTags(keyIdOf(1))).length, 5)
      } finally {
        await Promise.all([a.close(), b.close()])
      }
    })

    it('every table is snapshotted, transient or the driver\'s own, and each snapshot table has the SQLite columns', async () => {
      const store = await openOn()
      const sqlite = openSqliteDatabase(':memory:')
      try {
        const pg = (await import('pg')).default
        const client = new pg.Client({ connectionString: TEST_DATABASE_URL })
        await client.connect()
        const columns = async (table: string) => (await client.query(
          'SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY column_name', [store.schema, table],
        )).rows.map((r: { column_name: string }) => r.column_name)
        const tables = (await client.query("SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY table_name", [store.schema]))
          .rows.map((r: { table_name: string }) => r.table_name)
        // The driver's own coordination rows: migration versions, the change counter, the limit locks.
        assert.deepEqual(tables, [...SNAPSHOT_TABLES, ...TRANSIENT_TABLES, 'change_counter', 'schema_migrations', 'store_locks'].sort())
        for (const table of SNAPSHOT_TABLES) {
          const expected = (sqlite.prepare(`SELECT * FROM ${table} LIMIT 0`).columns().map((c) => c.name)).sort()
          assert.deepEqual(await columns(table), expected, `columns of ${table}`)
        }
        await client.end()
      } finally {
        sqlite.close()
        await store.close()
      }
    })

    it('a snapshot is fixed at its start: writes another node commits while it is read are not in it', async () => {
      const a = await openOn()
      const b = await openOn(a.schema)
      try {
        for (let n = 1; n <= 1500; n++) await a.insertKey(makeKey(keyIdOf(n)), makeVersion(keyIdOf(n), 1), [])
        const seen = new Map<string, number>()
        let wroteDuring = false
        for await (const chunk of a.exportSnapshot()) {
          seen.set(chunk.table, (seen.get(chunk.table) ?? 0) + chunk.rows.length)
          if (!wroteDuring && chunk.table === 'keys') {
            wroteDuring = true
            await b.insertKey(makeKey(keyIdOf(2000)), makeVersion(keyIdOf(2000), 1), [])
            await a.appendAudit([makeAudit('during', 'Encrypt', '2024-01-01T00:00:00.000Z')])
          }
        }
        assert.equal(seen.get('keys'), 1500)
        assert.equal(seen.get('key_versions'), 1500)
        assert.equal(seen.get('audit') ?? 0, 0)
        assert.ok(await b.getKey(keyIdOf(2000)))
      } finally {
        await Promise.all([a.close(), b.close()])
      }
    })

    it('keys per account and region hold under concurrent creators on several nodes', async () => {
      const a = await openOn()
      const b = await openOn(a.schema)
      try {
        const results = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? a : b).insertKey(makeKey(keyIdOf(i)), makeVersion(keyIdOf(i), 1), [], 5)))
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 5)
        for (const r of results) if (r.status === 'rejected') assert.ok(r.reason instanceof StoreLimitError, String(r.reason))
        assert.equal((await a.listKeys(ACCOUNT, REGION, undefined, 100)).items.length, 5)
      } finally {
        await Promise.all([a.close(), b.close()])
      }
    })

    it('a rotation contested by several nodes applies once, and an on-demand start starts once', async () => {
      const a = await openOn()
      const b = await openOn(a.schema)
      try {
        const keyId = keyIdOf(1)
        await a.insertKey(makeKey(keyId), makeVersion(keyId, 1), [])
        const starts = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? a : b).startOnDemandRotation(keyId, new Date(1000 + i), 10)))
        assert.deepEqual(starts.filter((s) => s === 'started').length, 1)
        assert.equal(starts.filter((s) => s === 'already-in-progress').length, 5)
        const startedAt = (await a.getKey(keyId))!.onDemandRotationStartedAt!
        const rotated = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? a : b).rotateKey({
          version: { ...makeVersion(keyId, 2, 10 + i), rotation: { type: 'ON_DEMAND', rotatedAt: new Date(2000 + i) } },
          expectedCurrentVersion: 1, maxOnDemand: 10, onDemandStartedAt: startedAt,
        })))
        assert.equal(rotated.filter(Boolean).length, 1)
        const key = (await b.getKey(keyId))!
        assert.equal(key.currentVersion, 2)
        assert.equal(key.onDemandRotationStartedAt, undefined)
        assert.deepEqual((await a.listAllKeyVersions(keyId)).map((v) => v.version), [1, 2])
      } finally {
        await Promise.all([a.close(), b.close()])
      }
    })

    it('a last-use flush racing its key\'s destroy on another node neither fails nor leaves a row', async () => {
      const a = await openOn()
      const b = await openOn(a.schema)
      try {
        for (let n = 1; n <= 10; n++) {
          const keyId = keyIdOf(n)
          await a.insertKey(makeKey(keyId), makeVersion(keyId, 1), [])
          const use = { keyId, operation: 'Encrypt' as const, usedAt: new Date(n * 1000), eventId: `e${n}`, requestId: `r${n}` }
          await Promise.all([a.recordKeyLastUses([use, { ...use, keyId: keyIdOf(99) }]), b.destroyKey(keyId)])
          assert.equal(await a.getKeyLastUse(keyId), undefined)
          assert.equal(await a.getKey(keyId), undefined)
        }
      } finally {
        await Promise.all([a.close(), b.close()])
      }
    })

    it('a replica made on one node while another rotates the primary either is refused or ends with the new version', async () => {
      const a = await openOn()
      const b = await openOn(a.schema)
      try {
        for (let n = 1; n <= 10; n++) {
          const primaryId = `mrk-${String(n).padStart(32, '0')}`
          const replicaId = `${primaryId}/ap-southeast-2`
          await a.insertKey(makeKey(primaryId, { multiRegion: true }), makeVersion(primaryId, 1), [])
          const replica = makeKey(replicaId, { multiRegion: true, region: 'ap-southeast-2', keyState: 'Creating', primaryRegion: REGION })
          const [inserted, rotated] = await Promise.all([
            b.insertReplicaKey(replica, [makeVersion(replicaId, 1)], [], primaryId, 1, 100),
            a.rotateKey({ version: makeVersion(primaryId, 2), expectedCurrentVersion: 1 }),
          ])
          assert.equal(rotated, true)
          if (!inserted) {
            assert.equal(await a.getKey(replicaId), undefined)
            continue
          }
          assert.equal((await a.getKey(replicaId))!.currentVersion, 2)
          assert.deepEqual((await a.listAllKeyVersions(replicaId)).map((v) => v.version), [1, 2])
        }
      } finally {
        await Promise.all([a.close(), b.close()])
      }
    })

    it('an UpdatePrimaryRegion contested by several nodes applies once', async () => {
      const a = await openOn()
      const b = await openOn(a.schema)
      try {
        const primaryId = `mrk-${'0'.repeat(31)}1`
        const replicaId = `${primaryId}/ap-southeast-2`
        await a.insertKey(makeKey(primaryId, { multiRegion: true }), makeVersion(primaryId, 1), [])
        const replica = makeKey(replicaId, { multiRegion: true, region: 'ap-southeast-2', keyState: 'Enabled', primaryRegion: REGION })
        assert.equal(await a.insertReplicaKey(replica, [makeVersion(replicaId, 1)], [], primaryId, 1, 100), true)
        const moved = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? a : b).updatePrimaryRegion(primaryId, REGION, 'ap-southeast-2')))
        assert.equal(moved.filter(Boolean).length, 1)
        assert.deepEqual((await b.listRegionalKeys(primaryId)).map((k) => [k.primaryRegion, k.keyState]),
          [['ap-southeast-2', 'Updating'], ['ap-southeast-2', 'Updating']])
      } finally {
        await Promise.all([a.close(), b.close()])
      }
    })
  })
}
