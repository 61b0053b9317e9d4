// In-process harness for the audit tests: real services over a SQLite file (so a second connection can
// break it mid-run), an optional audit sink, and SigV4-signed calls to both KMS and CloudTrail targets.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SignatureV4 } from '@smithy/signature-v4'
import Database from 'better-sqlite3'
import { createServices } from '../../src/app.js'
import type { AuditSink } from '../../src/audit/audit-log.js'
import { bootstrapDefaultAccount } from '../../src/auth/bootstrap.js'
import { ManualClock } from '../../src/config/clock.js'
import { dispatch } from '../../src/http/dispatch.js'
import type { Services } from '../../src/http/services.js'
import { memoryLogger } from '../../src/logging/logger.js'
import { inProcessRootKey } from '../../src/rootkey/root-key.js'
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js'
import { TEST_ACCOUNT, TEST_CREDENTIALS, TEST_REGION, type CallResult, type Credentials } from './harness.js'
import { NodeSha256 } from './node-sha256.js'

export const LOOKUP_TARGET = 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents'

export interface AuditHarness {
  services: Services
  clock: ManualClock
  logs: ReturnType<typeof memoryLogger>
  dir: string
  dbPath: string
  call(operation: string, body: unknown, credentials?: Credentials): Promise<CallResult>
  /** LookupEvents, signed for `service` (cloudtrail unless a test wants the wrong one). */
  lookup(body: unknown, credentials?: Credentials, service?: string): Promise<CallResult>
  /** Runs `use` on a second connection to the same database file. */
  raw<T>(use: (db: Database.Database) => T): T
  close(): Promise<void>
}

export async function createAuditHarness(options: { auditSink?: AuditSink } = {}): Promise<AuditHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'trent-audit-h-'))
  const dbPath = join(dir, 'trent.db')
  const store = await openSqliteStore(dbPath)
  const rootKey = inProcessRootKey(new Uint8Array(32).fill(7), 'test')
  const clock = new ManualClock(new Date('2026-01-15T10:00:00Z'))
  const logs = memoryLogger()
  const services = createServices({ store, rootKey, region: TEST_REGION, clock, logger: logs, auditSink: options.auditSink })
  await bootstrapDefaultAccount(store, rootKey, clock.now(), { accountId: TEST_ACCOUNT, credentials: TEST_CREDENTIALS })
  let counter = 0
  const send = async (service: string, target: string, body: unknown, credentials: Credentials): Promise<CallResult> => {
    const bytes = new TextEncoder().encode(JSON.stringify(body))
    const signer = new SignatureV4({ service, region: TEST_REGION, credentials, sha256: NodeSha256 })
    const signed = await signer.sign({
      method: 'POST', protocol: 'http:', hostname: 'localhost', path: '/', query: {}, body: bytes,
      headers: { host: 'localhost', 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target, 'user-agent': 'audit-harness/1.0' },
    }, { signingDate: clock.now() })
    const raw = await dispatch(services, {
      method: 'POST', url: '/', headers: signed.headers as Record<string, string>, body: bytes, sourceIp: '127.0.0.1', requestId: `req-${++counter}`,
    })
    return { status: raw.status, body: raw.body ? (JSON.parse(raw.body) as Record<string, unknown>) : {}, raw }
  }
  return {
    services, clock, logs, dir, dbPath,
    call: (operation, body, credentials = TEST_CREDENTIALS) => send('kms', `TrentService.${operation}`, body, credentials),
    lookup: (body, credentials = TEST_CREDENTIALS, service = 'cloudtrail') => send(service, LOOKUP_TARGET, body, credentials),
    raw(use) {
      const db = new Database(dbPath)
      try {
        return use(db)
      } finally {
        db.close()
      }
    },
    async close() {
      await store.close()
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
