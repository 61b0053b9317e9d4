// Multi-row inserts stay under SQLite's bound-variable limit, with a small bounded set of statements, and
// insert every row in order whatever the batch size.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import Database from 'better-sqlite3'
import { chunkSize, multiRowInsert } from './multi-row-insert.js'

/** A database whose prepared SQL is recorded, to see which statements the inserter makes. */
function tracedDatabase(): { db: Database.Database; prepared: string[] } {
  const db = new Database(':memory:')
  db.exec('CREATE TABLE t (n INTEGER, a TEXT, b TEXT)')
  const prepared: string[] = []
  const prepare = db.prepare.bind(db)
  db.prepare = ((sql: string) => {
    prepared.push(sql)
    return prepare(sql)
  }) as typeof db.prepare
  return { db, prepared }
}

const rowsOf = (from: number, count: number) => Array.from({ length: count }, (_, i) => [from + i, `a${from + i}`, `b${from + i}`]).flat()
const variables = (sql: string) => sql.split('?').length - 1

describe('multiRowInsert()', () => {
  for (const limit of [3, 7, 10, 32766]) {
    it(`inserts batches of every size from 1 to 40 in order, no statement over ${limit} variables`, () => {
      const { db, prepared } = tracedDatabase()
      const insert = multiRowInsert(db, 'INSERT INTO t (n, a, b)', 3, limit)
      let next = 0
      for (let size = 1; size <= 40; size++) {
        insert.run(rowsOf(next, size))
        next += size
      }
      const rows = db.prepare('SELECT n, a, b FROM t ORDER BY rowid').raw().all().flat()
      assert.deepEqual(rows, rowsOf(0, next))
      const inserts = prepared.filter((sql) => sql.startsWith('INSERT'))
      for (const sql of inserts) assert.ok(variables(sql) <= limit, `${variables(sql)} variables`)
      // Statements are cached by chunk size: a few powers of two plus the limit's own size.
      assert.equal(new Set(inserts).size, inserts.length)
      assert.ok(inserts.length <= 7, `${inserts.length} statements prepared`)
      db.close()
    })
  }

  it('splits a batch larger than one statement can carry at the real limit', () => {
    const { db, prepared } = tracedDatabase()
    const insert = multiRowInsert(db, 'INSERT INTO t (n, a, b)', 3, 32766)
    assert.equal(insert.maxRowsPerStatement, 10922)
    insert.run(rowsOf(0, 10922 + 5))
    assert.equal((db.prepare('SELECT COUNT(*) AS c FROM t').get() as { c: number }).c, 10927)
    assert.deepEqual(prepared.filter((sql) => sql.startsWith('INSERT')).map(variables), [32766, 12, 3])
    db.close()
  })

  it('refuses values that do not fill whole rows, and a row wider than the limit', () => {
    const { db } = tracedDatabase()
    assert.throws(() => multiRowInsert(db, 'INSERT INTO t (n, a, b)', 3, 10).run([1, 'a']), RangeError)
    assert.throws(() => multiRowInsert(db, 'INSERT INTO t (n, a, b)', 3, 2), RangeError)
    db.close()
  })

  it('chunks by the limit first, then by the largest power of two that fits', () => {
    assert.deepEqual([1, 2, 3, 13, 16, 100, 511].map((n) => chunkSize(n, 64)), [1, 2, 2, 8, 16, 64, 64])
  })
})
