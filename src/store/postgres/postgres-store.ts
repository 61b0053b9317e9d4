// The PostgreSQL Store driver (TRENT_DATABASE_URL=postgres://…): the same contract as the SQLite driver, over a
// pg connection pool, so several Trent nodes can share one database. Every method is one transaction
// (a single statement, or BEGIN … COMMIT through inTransaction) and is durable when it resolves.
import type { Store } from '../store.js'
import { rowToAccount, type AccountRow, accessKeyToRow, rowToAccessKey, type AccessKeyRow } from '../sqlite/rows.js'
import { applyMigrations } from './migrations.js'
import { auditMethods } from './pg-audit.js'
import { changeMethods, leaseMethods } from './pg-changes.js'
import { changeNotifier } from './pg-listen.js'
import { grantMethods } from './pg-grants.js'
import { keyMethods } from './pg-keys.js'
import { custodyMethods } from './pg-custody.js'
import { importedMethods } from './pg-imported.js'
import { keyUsageMethods } from './pg-key-usage.js'
import { multiRegionMethods } from './pg-multi-region.js'
import { peerOutboxMethods } from './pg-peer-outbox.js'
import { peerSyncMethods } from './pg-peer-sync.js'
import { rotationMethods } from './pg-rotation.js'
import { insertAccessKeyRow, principalMethods } from './pg-principals.js'
import { conflictAware, inTransaction, openPool, type PostgresOptions } from './pool.js'

export type { PostgresOptions } from './pool.js'

/** Opens the pool and migrates the schema. Rejects when the database cannot be reached or is newer than this build. */
export async function openPostgresStore(options: PostgresOptions): Promise<Store> {
  const pool = openPool(options)
  try {
    await applyMigrations(pool, options.schema)
  } catch (e) {
    await pool.end()
    throw e
  }
  const notifier = changeNotifier(options)
  const one = async <R>(text: string, values: unknown[]): Promise<R | undefined> => (await pool.query(text, values)).rows[0] as R | undefined
  return {
    async close() {
      await notifier.close()
      await pool.end()
    },
    watchChanges: (listener) => notifier.subscribe(listener),
    async getOrInitSetting(name, value) {
      // Insert-if-absent then read: concurrent first runs on every node see the single winner.
      return inTransaction(pool, async (query) => {
        await query('INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, value])
        return ((await query('SELECT value FROM settings WHERE name = $1', [name])).rows[0] as { value: string }).value
      })
    },
    async getSetting(name) {
      return (await one<{ value: string }>('SELECT value FROM settings WHERE name = $1', [name]))?.value
    },
    async insertAccount(account) {
      await conflictAware('account', () => pool.query('INSERT INTO accounts (account_id, created_at) VALUES ($1, $2)', [account.accountId, account.createdAt.getTime()]))
    },
    async getAccount(accountId) {
      const row = await one<AccountRow>('SELECT * FROM accounts WHERE account_id = $1', [accountId])
      return row && rowToAccount(row)
    },
    async insertAccessKey(key) {
      await conflictAware('access key', () => insertAccessKeyRow((text, values) => pool.query(text, values), accessKeyToRow(key)))
    },
    async getAccessKey(accessKeyId) {
      const row = await one<AccessKeyRow>('SELECT * FROM access_keys WHERE access_key_id = $1', [accessKeyId])
      return row && rowToAccessKey(row)
    },
    ...keyMethods(pool),
    ...importedMethods(pool),
    ...rotationMethods(pool),
    ...multiRegionMethods(pool),
    ...peerOutboxMethods(pool),
    ...peerSyncMethods(pool),
    ...keyUsageMethods(pool),
    ...custodyMethods(pool),
    ...auditMethods(pool),
    ...principalMethods(pool),
    ...grantMethods(pool),
    ...changeMethods(pool),
    ...leaseMethods(pool),
  }
}
