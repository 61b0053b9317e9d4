// inTransaction(): commits, rolls back, and re-runs only on serialization failure or deadlock, a bounded number
// of times; positional() turns the shared @named SQL into $n parameters.
import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { inTransaction, openPool, positional } from './pool.js'
import { dropSchema, freshSchemaName, postgresUnavailable, TEST_DATABASE_URL } from './test-database.js'

const unavailable = await postgresUnavailable()

describe('positional()', () => {
  it('numbers each distinct @name once, in order of first use, and orders a parameter object to match', () => {
    const { text, values } = positional('SELECT @b, @a WHERE x = @b AND y = @missing')
    assert.equal(text, 'SELECT $1, $2 WHERE x = $1 AND y = $3')
    assert.deepEqual(values({ a: 1, b: 2 }), [2, 1, null])
  })
})

describe('inTransaction()', { skip: unavailable }, () => {
  const schema = freshSchemaName()
  const pool = unavailable ? undefined : openPool({ url: TEST_DATABASE_URL, schema, maxConnections: 3 })
  after(async () => {
    await pool?.end()
    if (!unavailable) await dropSchema(schema)
  })
  const serializationFailure = () => Object.assign(new Error('could not serialize access'), { code: '40001' })

  it('re-runs the whole transaction after a serialization failure, keeping only the last attempt\'s writes', async () => {
    await pool!.query(`CREATE SCHEMA IF NOT EXISTS ${schema}; CREATE TABLE ${schema}.t (n INTEGER)`)
    let attempts = 0
    const result = await inTransaction(pool!, async (query) => {
      attempts++
      await query('INSERT INTO t (n) VALUES ($1)', [attempts])
      if (attempts < 3) throw serializationFailure()
      return 'done'
    })
    assert.deepEqual([result, attempts], ['done', 3])
    assert.deepEqual((await pool!.query(`SELECT n FROM ${schema}.t`)).rows, [{ n: 3 }])
  })

  it('gives up after 8 attempts, and never retries other errors', async () => {
    let attempts = 0
    await assert.rejects(inTransaction(pool!, async () => { attempts++; throw serializationFailure() }), { code: '40001' })
    assert.equal(attempts, 8)
    attempts = 0
    await assert.rejects(inTransaction(pool!, async () => { attempts++; throw Object.assign(new Error('unique'), { code: '23505' }) }), { code: '23505' })
    assert.equal(attempts, 1)
  })

  it('a real write-write conflict between SERIALIZABLE transactions is resolved by the retry', async () => {
    await pool!.query(`CREATE TABLE ${schema}.counter (id INTEGER PRIMARY KEY, n INTEGER); INSERT INTO ${schema}.counter VALUES (1, 0)`)
    const bump = () => inTransaction(pool!, async (query) => {
      const { rows } = await query('SELECT n FROM counter WHERE id = 1')
      await new Promise((resolve) => setTimeout(resolve, 20))
      await query('UPDATE counter SET n = $1 WHERE id = 1', [(rows[0] as { n: number }).n + 1])
    }, { isolation: 'SERIALIZABLE' })
    await Promise.all([bump(), bump(), bump()])
    assert.deepEqual((await pool!.query(`SELECT n FROM ${schema}.counter`)).rows, [{ n: 3 }], 'no lost update')
  })
})
