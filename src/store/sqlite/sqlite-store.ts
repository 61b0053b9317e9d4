// The SQLite Store driver: a thin async wrapper over better-sqlite3's synchronous calls.
// With one connection per process and synchronous statements, each method runs without interleaving.
import type Database from 'better-sqlite3'
import type { AuditRecord } from '../../audit/record.js'
import type { Store } from '../store.js'
import { conflictAware, openSqliteDatabase } from './database.js'
import { accessKeyToRow, rowToAccessKey, rowToAccount } from './rows.js'
import { aliasMethods } from './sqlite-aliases.js'
import { keyMethods } from './sqlite-keys.js'
import { tagMethods } from './sqlite-tags.js'
import { prepareStatements, type Statements } from './statements.js'

/**
 * Opens the store at `path` (a file, or ':memory:' for tests), creating and migrating it as needed.
 * Every resolved write has been fsynced (WAL, synchronous = FULL). Rejects when the file cannot be opened.
 */
export async function openSqliteStore(path: string): Promise<Store> {
  const db = openSqliteDatabase(path)
  const st = prepareStatements(db)
  return {
    async close() {
      db.close()
    },
    ...settingAndAccountMethods(db, st),
    ...keyMethods(db, st),
    ...tagMethods(db, st),
    ...aliasMethods(db, st),
    ...auditMethods(db, st),
  }
}

type SettingAndAccountMethods = Pick<Store,
  'getOrInitSetting' | 'getSetting' | 'insertAccount' | 'getAccount' | 'insertAccessKey' | 'getAccessKey'>

function settingAndAccountMethods(db: Database.Database, st: Statements): SettingAndAccountMethods {
  // Insert-if-absent then read, in one transaction: concurrent first runs all see the single winner.
  const getOrInit = db.transaction((name: string, value: string): string => {
    st.initSetting.run(name, value)
    return st.getSetting.get(name)!.value
  })
  return {
    async getOrInitSetting(name, value) {
      return getOrInit.immediate(name, value)
    },
    async getSetting(name) {
      return st.getSetting.get(name)?.value
    },
    async insertAccount(account) {
      conflictAware('account', () => st.insertAccount.run({ account_id: account.accountId, created_at: account.createdAt.getTime() }))
    },
    async getAccount(accountId) {
      const row = st.getAccount.get(accountId)
      return row && rowToAccount(row)
    },
    async insertAccessKey(key) {
      conflictAware('access key', () => st.insertAccessKey.run(accessKeyToRow(key)))
    },
    async getAccessKey(accessKeyId) {
      const row = st.getAccessKey.get(accessKeyId)
      return row && rowToAccessKey(row)
    },
  }
}

type AuditMethods = Pick<Store, 'appendAudit' | 'listAudit'>

function auditMethods(db: Database.Database, st: Statements): AuditMethods {
  const append = db.transaction((records: AuditRecord[]) => {
    for (const r of records) {
      const time = Date.parse(r.eventTime)
      // A record we cannot place in time would silently drop out of time-range queries.
      if (!Number.isFinite(time)) throw new RangeError('audit record has an unparseable eventTime')
      st.insertAudit.run(r.eventID, time, r.eventName, r.recipientAccountId,
        r.userIdentity?.accessKeyId ?? null, JSON.stringify(r))
    }
  })
  return {
    async appendAudit(records) {
      if (records.length > 0) append.immediate(records)
    },
    async listAudit(after, limit) {
      return st.listAudit.all(after, limit).map((row) => ({
        seq: row.seq,
        record: JSON.parse(row.record_json) as AuditRecord,
      }))
    },
  }
}
