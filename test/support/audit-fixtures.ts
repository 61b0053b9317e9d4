// A real audit log on disk for the chain and verify tests: records appended through the SQLite store,
// digests signed with the stored signing key, and raw SQL access for the attacks.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { writeAuditDigest } from '../../src/audit/digest-writer.js'
import type { AuditRecord } from '../../src/audit/record.js'
import { loadOrCreateAuditSigner } from '../../src/audit/signing-key.js'
import { ManualClock } from '../../src/config/clock.js'
import { inProcessRootKey, type RootKey } from '../../src/rootkey/root-key.js'
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js'
import type { Store } from '../../src/store/store.js'

export const AUDIT_ACCOUNT = '111122223333'

/** A KMS-shaped record for request `i`, `i` seconds after the clock's start. */
export function auditRecord(i: number, overrides: Partial<AuditRecord> = {}): AuditRecord {
  return {
    eventVersion: '1.08', eventID: `event-${i}`, eventTime: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
    eventSource: 'kms.amazonaws.com', eventName: i % 2 === 0 ? 'Encrypt' : 'Decrypt', eventType: 'AwsApiCall', awsRegion: 'us-east-1',
    sourceIPAddress: '127.0.0.1', requestID: `request-${i}`,
    userIdentity: { type: 'Root', principalId: AUDIT_ACCOUNT, arn: `arn:aws:iam::${AUDIT_ACCOUNT}:root`, accountId: AUDIT_ACCOUNT, accessKeyId: 'AKIDAUDITTEST0000001' },
    requestParameters: { keyId: 'key-1', encryptionAlgorithm: 'SYMMETRIC_DEFAULT' }, responseElements: null, readOnly: false,
    resources: [{ ARN: `arn:aws:kms:us-east-1:${AUDIT_ACCOUNT}:key/key-1`, accountId: AUDIT_ACCOUNT, type: 'AWS::KMS::Key' }],
    managementEvent: true, recipientAccountId: AUDIT_ACCOUNT,
    ...overrides,
  }
}

export interface AuditDir {
  dir: string
  dbPath: string
  store: Store
  rootKey: RootKey
  clock: ManualClock
  /** The genuine public key, written to a file as an operator would pin it. */
  pinnedKeyPath: string
  /** Appends records `from`..`to` (inclusive), one second apart. */
  append(from: number, to: number): Promise<void>
  /** Advances the clock an hour and writes a digest. */
  digest(): Promise<void>
  /** Runs `sql` through a second connection, as an attacker with file access would. */
  raw<T>(use: (db: Database.Database) => T): T
  cleanup(): Promise<void>
}

export async function createAuditDir(): Promise<AuditDir> {
  const dir = mkdtempSync(join(tmpdir(), 'trent-audit-'))
  const dbPath = join(dir, 'trent.db')
  const store = await openSqliteStore(dbPath)
  const rootKey = inProcessRootKey(new Uint8Array(32).fill(9), 'test')
  const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'))
  const signer = await loadOrCreateAuditSigner(store, rootKey)
  const pinnedKeyPath = join(dir, 'pinned.pem')
  writeFileSync(pinnedKeyPath, signer.publicKeyPem)
  return {
    dir, dbPath, store, rootKey, clock, pinnedKeyPath,
    async append(from, to) {
      for (let i = from; i <= to; i++) await store.appendAudit([auditRecord(i)])
    },
    async digest() {
      clock.advance(3_600_000)
      await writeAuditDigest({ store, signer, clock })
    },
    raw: (use) => onSecondConnection(dbPath, use),
    async cleanup() {
      await store.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** Runs `use` on a second connection to the database file, as an attacker (or a failing disk) would act on it. */
export function onSecondConnection<T>(dbPath: string, use: (db: Database.Database) => T): T {
  const db = new Database(dbPath)
  try {
    return use(db)
  } finally {
    db.close()
  }
}

/** Collects what a CLI command writes. */
export function captureStream(): NodeJS.WritableStream & { text(): string } {
  let text = ''
  return {
    write(chunk: string | Uint8Array) {
      text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')
      return true
    },
    text: () => text,
  } as unknown as NodeJS.WritableStream & { text(): string }
}
