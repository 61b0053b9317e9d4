// One Trent node against two on one PostgreSQL schema: Encrypt req/s (4 KiB plaintexts, closed loop, wrk) on
// node A alone, then on A and B at once (the same total connections, split), for the issue-12 closing note.
// A SQLite node is measured the same way for reference. On one machine the nodes, PostgreSQL and wrk share
// its cores: the figures say what a second node costs or gains *here*, not on separate machines.
// Usage: npm run bench:postgres-nodes [-- --seconds 5 --conc 16 --rounds 3]
import { randomBytes } from 'node:crypto'
import { parseArgs } from 'node:util'
import { drive } from './drive.js'
import { createKmsApi } from './kms-api.js'
import type { BenchRequest } from './scenarios.js'
import { startTrent, type TrentProcess } from './trent-process.js'
import { ensureWrk } from './wrk-install.js'
import { dropSchema, freshSchemaName, TEST_DATABASE_URL } from '../src/store/postgres/test-database.js'

const { values } = parseArgs({ options: { seconds: { type: 'string' }, conc: { type: 'string' }, rounds: { type: 'string' } } })
const seconds = Number(values.seconds ?? 5)
const connections = Number(values.conc ?? 16)
const rounds = Number(values.rounds ?? 3)

async function encryptPool(node: TrentProcess): Promise<BenchRequest[]> {
  const api = createKmsApi(node.server.url, node.region, node.credentials)
  try {
    const key = await api.call('CreateKey', { Description: 'postgres nodes bench' })
    const keyId = (key.KeyMetadata as { KeyId: string }).KeyId
    return Array.from({ length: 64 }, () => ({
      target: 'TrentService.Encrypt',
      body: Buffer.from(JSON.stringify({ KeyId: keyId, Plaintext: randomBytes(4096).toString('base64') })),
    }))
  } finally {
    api.close()
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

async function main(): Promise<void> {
  const wrk = ensureWrk((line) => process.stderr.write(`${line}\n`))
  const schema = freshSchemaName()
  const shared = { TRENT_DATABASE_URL: TEST_DATABASE_URL, TRENT_DATABASE_SCHEMA: schema, TRENT_ROOT_KEY: randomBytes(32).toString('base64') }
  const sqlite = await startTrent()
  const a = await startTrent({ env: shared })
  const b = await startTrent({ env: shared })
  try {
    const sqlitePool = await encryptPool(sqlite)
    const pool = await encryptPool(a)
    // Node B signs with A's credentials: the account and its keys live in the shared database.
    const target = (node: TrentProcess) => ({ url: node.server.url, region: a.region, credentials: a.credentials })
    const results = { sqlite: [] as number[], one: [] as number[], two: [] as number[] }
    for (let round = 0; round < rounds; round++) {
      results.sqlite.push((await drive(wrk, { url: sqlite.server.url, region: sqlite.region, credentials: sqlite.credentials }, sqlitePool, { seconds, connections, threads: 2 })).rps)
      results.one.push((await drive(wrk, target(a), pool, { seconds, connections, threads: 2 })).rps)
      const half = { seconds, connections: Math.max(1, connections / 2), threads: 1 }
      const both = await Promise.all([drive(wrk, target(a), pool, half), drive(wrk, target(b), pool, half)])
      results.two.push(both[0].rps + both[1].rps)
      process.stderr.write(`round ${round + 1}: sqlite ${results.sqlite.at(-1)!.toFixed(0)}, pg 1 node ${results.one.at(-1)!.toFixed(0)}, pg 2 nodes ${results.two.at(-1)!.toFixed(0)} req/s\n`)
    }
    process.stdout.write(
      `Encrypt 4 KiB, ${connections} connections, ${seconds} s x ${rounds} rounds (median):\n` +
        `  SQLite, 1 node:               ${median(results.sqlite).toFixed(0)} req/s\n` +
        `  PostgreSQL, 1 node:           ${median(results.one).toFixed(0)} req/s\n` +
        `  PostgreSQL, 2 nodes together: ${median(results.two).toFixed(0)} req/s\n`,
    )
  } finally {
    await Promise.all([sqlite.stop(), a.stop(), b.stop()])
    await dropSchema(schema)
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`)
  process.exit(1)
})
