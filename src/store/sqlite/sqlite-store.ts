// The SQLite Store driver: a thin async wrapper over better-sqlite3's synchronous calls.
// With one connection per process and synchronous statements, each method runs without interleaving.
import type Database from 'better-sqlite3'
import type { Store } from '../store.js'
import { conflictAware, openSqliteDatabase, type OpenOptions } from './database.js'
import { accessKeyToRow, rowToAccessKey, rowToAccount } from './rows.js'
import { aliasMethods } from './sqlite-aliases.js'
import { changeMethods } from './sqlite-changes.js'
import { custodyMethods } from './sqlite-custody.js'
import { auditMethods } from './sqlite-audit.js'
import { grantMethods } from './sqlite-grants.js'
import { identityPolicyMethods } from './sqlite-identity-policies.js'
import { keyMethods } from './sqlite-keys.js'
import { keyUsageMethods } from './sqlite-key-usage.js'
import { multiRegionMethods } from './sqlite-multi-region.js'
import { peerSyncMethods } from './sqlite-peer-sync.js'
import { leaseMethods } from './sqlite-leases.js'
import { peerOutboxMethods } from './sqlite-peer-outbox.js'
import { principalMethods } from './sqlite-principals.js'
import { rotationMethods } from './sqlite-rotation.js'
import { tagMethods } from './sqlite-tags.js'
import { prepareStatements, type Statements } from './statements.js'

/**
 * Opens the store at `path` (a file, or ':memory:' for tests), creating and migrating it as needed.
 * Every resolved write has been fsynced (WAL, synchronous = FULL). Rejects when the file cannot be opened.
 */
export async function openSqliteStore(path: string, options: OpenOptions = {}): Promise<Store> {
  const db = openSqliteDatabase(path, options)
  const st = prepareStatements(db)
  return {
    async close() {
      db.close()
    },
    ...settingAndAccountMethods(db, st),
    ...keyMethods(db, st),
    ...rotationMethods(db, st),
    ...multiRegionMethods(db, st),
    ...peerSyncMethods(db, st),
    ...tagMethods(db, st),
    ...aliasMethods(db, st),
    ...auditMethods(db),
    ...principalMethods(db),
    ...identityPolicyMethods(db),
    ...grantMethods(db),
    ...changeMethods(db),
    ...leaseMethods(db),
    ...peerOutboxMethods(db),
    ...keyUsageMethods(db),
    ...custodyMethods(db, path),
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
