// `node dist/bench/audit-lookup.js [--records 1000000]`: bulk-inserts synthetic audit records through the
// SQLite store (the real append path: chained, hashed, indexed) and times each LookupEvents query shape.
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js'
import { appendBulk, bulkQueries, timeQueries } from '../test/support/audit-bulk.js'

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { records: { type: 'string', default: '1000000' } }, strict: true })
  const count = Number(values.records)
  const dir = mkdtempSync(join(tmpdir(), 'trent-audit-lookup-'))
  const path = join(dir, 'trent.db')
  const store = await openSqliteStore(path)
  try {
    const started = performance.now()
    await appendBulk(store, count)
    const seconds = (performance.now() - started) / 1000
    process.stdout.write(`inserted ${count} records in ${seconds.toFixed(1)} s (${(count / seconds).toFixed(0)} records/s); database ${(statSync(path).size / 1e6).toFixed(0)} MB\n`)
    for (const r of await timeQueries(store, bulkQueries(count), 7)) {
      process.stdout.write(`${r.label.padEnd(52)} ${r.ms.toFixed(3).padStart(8)} ms  ${r.rows} rows\n`)
    }
  } finally {
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`audit-lookup: ${e instanceof Error ? e.message : String(e)}\n`)
  process.exit(1)
})
