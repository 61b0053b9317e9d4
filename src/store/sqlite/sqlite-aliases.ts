// The SQLite driver's alias methods. The per-key alias limit is checked inside the same IMMEDIATE
// transaction as the write (taking the write lock first), so two writers cannot both slip under it.
import type Database from 'better-sqlite3'
import type { Store } from '../store.js'
import { StoreConflictError, StoreLimitError } from '../store.js'
import type { AliasRecord } from '../../keys/key.js'
import { fetchSize, toPage } from '../page.js'
import { conflictAware } from './database.js'
import { aliasToRow, rowToAlias } from './rows.js'
import type { Statements } from './statements.js'

type AliasMethods = Pick<Store, 'insertAlias' | 'getAlias' | 'updateAlias' | 'deleteAlias' | 'listAliases'>

export function aliasMethods(db: Database.Database, st: Statements): AliasMethods {
  const requireRoom = (keyId: string, maxPerKey: number, alreadyCounted: number): void => {
    if (st.countAliasesOfKey.get(keyId)!.n - alreadyCounted >= maxPerKey) {
      throw new StoreLimitError('the key already has the maximum number of aliases')
    }
  }

  const insertAlias = db.transaction((alias: AliasRecord, maxPerKey: number) => {
    if (st.getAlias.get(alias.accountId, alias.region, alias.aliasName)) {
      throw new StoreConflictError('alias already exists')
    }
    requireRoom(alias.keyId, maxPerKey, 0)
    st.insertAlias.run(aliasToRow(alias))
  })

  const updateAlias = db.transaction((alias: AliasRecord, maxPerKey: number) => {
    const existing = st.getAlias.get(alias.accountId, alias.region, alias.aliasName)
    // Re-pointing to the key it already names adds no alias to that key.
    requireRoom(alias.keyId, maxPerKey, existing?.key_id === alias.keyId ? 1 : 0)
    st.repointAlias.run(aliasToRow(alias))
  })

  return {
    async insertAlias(alias, maxPerKey) {
      conflictAware('alias', () => insertAlias.immediate(alias, maxPerKey))
    },
    async getAlias(accountId, region, aliasName) {
      const row = st.getAlias.get(accountId, region, aliasName)
      return row && rowToAlias(row)
    },
    async updateAlias(alias, maxPerKey) {
      updateAlias.immediate(alias, maxPerKey)
    },
    async deleteAlias(accountId, region, aliasName) {
      return st.deleteAlias.run(accountId, region, aliasName).changes > 0
    },
    async listAliases(accountId, region, keyId, after, limit) {
      const size = fetchSize(limit)
      const rows = keyId === undefined
        ? st.listAliases.all(accountId, region, after ?? '', size)
        : st.listAliasesOfKey.all(accountId, region, keyId, after ?? '', size)
      return toPage(rows.map(rowToAlias), limit, (a) => a.aliasName)
    },
  }
}
