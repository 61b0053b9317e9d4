// In-process harness for the audit tests: real services over a SQLite file (so a second connection can
// break it mid-run), an optional audit sink, and SigV4-signed calls to both KMS and CloudTrail targets.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type Database from 'better-sqlite3'
import type { AuditSink } from '../../src/audit/audit-log.js'
import { onSecondConnection } from './audit-fixtures.js'
import { TEST_CREDENTIALS, createHarness, signedDispatch, type CallResult, type Credentials, type Harness } from './harness.js'

export const LOOKUP_TARGET = 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents'

export interface AuditHarness extends Pick<Harness, 'services' | 'clock' | 'logs' | 'call'> {
  dir: string
  dbPath: string
  /** LookupEvents, signed for `service` (cloudtrail unless a test wants the wrong one). */
  lookup(body: unknown, credentials?: Credentials, service?: string): Promise<CallResult>
  /** Runs `use` on a second connection to the same database file. */
  raw<T>(use: (db: Database.Database) => T): T
  close(): Promise<void>
}

export async function createAuditHarness(options: { auditSink?: AuditSink } = {}): Promise<AuditHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'trent-audit-h-'))
  const dbPath = join(dir, 'trent.db')
  const h = await createHarness({ storePath: dbPath, auditSink: options.auditSink })
  let lookups = 0
  return {
    services: h.services, clock: h.clock, logs: h.logs, call: h.call, dir, dbPath,
    lookup: (body, credentials = TEST_CREDENTIALS, service = 'cloudtrail') => signedDispatch(h.services, {
      service, target: LOOKUP_TARGET, body: new TextEncoder().encode(JSON.stringify(body)), credentials, now: h.clock.now(), requestId: `lookup-${++lookups}`,
    }),
    raw: (use) => onSecondConnection(dbPath, use),
    async close() {
      await h.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** Makes every later audit insert fail, as a full disk or a read-only database would. */
export function breakAuditTable(db: Database.Database): void {
  db.exec("CREATE TRIGGER audit_broken BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'audit storage unavailable'); END")
}

export function repairAuditTable(db: Database.Database): void {
  db.exec('DROP TRIGGER audit_broken')
}
