// `node dist/bench/audit-writer.js`: how many audit records per second the writer alone puts into SQLite
// (WAL, synchronous = FULL, a fresh file), through the writer thread as the server uses it and through the
// store in process. Batches are written back to back, `--inflight` at a time, as group commit would send them.
// Flags: --records <n> --batch <n>[,<n>…] --inflight <n> --repeats <n> --dir <folder for the database files>
// (--dir /dev/shm takes the disk out and leaves the writer's CPU cost).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import type { AuditRecord } from '../src/audit/record.js'
import { startAuditWriterThread } from '../src/store/sqlite/audit-writer-thread.js'
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js'
import { median } from './stats.js'

const ACCOUNT = '111122223333'
const OTHER = '444455556666'

/** An Encrypt record as the pipeline writes it; one in ten is a cross-account call (indexed for two accounts). */
function encryptRecord(i: number): AuditRecord {
  const owner = i % 10 === 0 ? OTHER : ACCOUNT
  const keyId = `1234abcd-12ab-34cd-56ef-${String(i % 1000).padStart(12, '0')}`
  const arn = `arn:aws:kms:us-east-1:${owner}:key/${keyId}`
  return {
    eventVersion: '1.08', eventID: crypto.randomUUID(), eventTime: new Date(Date.UTC(2026, 0, 1) + i).toISOString(),
    eventSource: 'kms.amazonaws.com', eventName: 'Encrypt', eventType: 'AwsApiCall', awsRegion: 'us-east-1',
    sourceIPAddress: '127.0.0.1', userAgent: 'bench', requestID: crypto.randomUUID(),
    userIdentity: { type: 'Root', principalId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT, accessKeyId: 'AKIAIOSFODNN7EXAMPLE' },
    requestParameters: { keyId: arn, encryptionContext: { purpose: 'bench', n: String(i) } },
    responseElements: { keyId: arn, encryptionAlgorithm: 'SYMMETRIC_DEFAULT' },
    readOnly: true, resources: [{ ARN: arn, accountId: owner, type: 'AWS::KMS::Key' }], managementEvent: true,
    recipientAccountId: ACCOUNT,
    trentAuthorization: `kms:Encrypt: ALLOW: Allow by key policy statement 0 "Enable IAM User Permissions"; identity: root of account ${ACCOUNT}`,
  }
}

type Append = (records: AuditRecord[]) => Promise<unknown>

interface Throughput {
  recordsPerSecond: number
  /** CPU time of the whole process (request thread and writer thread) per record, in microseconds. */
  cpuMicros: number
}

/**
 * Records per second for `total` records in batches of `batch`, `inflight` batches outstanding at a time,
 * and the CPU they cost (unlike wall time, hardly moved by other processes on a shared machine).
 */
async function throughput(append: Append, total: number, batch: number, inflight: number): Promise<Throughput> {
  const batches: AuditRecord[][] = []
  for (let i = 0; i < total; i += batch) batches.push(Array.from({ length: Math.min(batch, total - i) }, (_, k) => encryptRecord(i + k)))
  const start = performance.now()
  const cpuStart = process.cpuUsage()
  let next = 0
  const lane = async () => {
    while (next < batches.length) await append(batches[next++]!)
  }
  await Promise.all(Array.from({ length: inflight }, lane))
  const cpu = process.cpuUsage(cpuStart)
  return { recordsPerSecond: total / ((performance.now() - start) / 1000), cpuMicros: (cpu.user + cpu.system) / total }
}

async function measure(mode: 'thread' | 'in-process', total: number, batch: number, inflight: number, parent: string): Promise<Throughput> {
  const dir = mkdtempSync(join(parent, 'trent-audit-writer-'))
  const path = join(dir, 'trent.db')
  const store = await openSqliteStore(path)
  try {
    if (mode === 'in-process') return await throughput((r) => store.appendAudit(r), total, batch, inflight)
    const writer = await startAuditWriterThread(path)
    try {
      return await throughput((r) => writer.append(r), total, batch, inflight)
    } finally {
      await writer.close()
    }
  } finally {
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { records: { type: 'string', default: '20000' }, batch: { type: 'string', default: '16,128,512' }, inflight: { type: 'string', default: '2' }, repeats: { type: 'string', default: '3' }, dir: { type: 'string', default: tmpdir() } },
    strict: true,
  })
  const total = Number(values.records)
  const inflight = Number(values.inflight)
  for (const batch of values.batch.split(',').map(Number)) {
    for (const mode of ['thread', 'in-process'] as const) {
      const runs: Throughput[] = []
      for (let r = 0; r < Number(values.repeats); r++) runs.push(await measure(mode, total, batch, inflight, values.dir))
      const rate = median(runs.map((x) => x.recordsPerSecond))
      const cpu = median(runs.map((x) => x.cpuMicros))
      process.stdout.write(`${mode.padEnd(10)} batch ${String(batch).padStart(4)}: ${rate.toFixed(0).padStart(7)} records/s, ${cpu.toFixed(1).padStart(6)} µs CPU/record (medians of ${runs.length})\n`)
    }
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`audit-writer: ${e instanceof Error ? e.stack : String(e)}\n`)
  process.exit(1)
})
