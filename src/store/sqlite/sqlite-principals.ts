// The SQLite driver's account, user, role and access-key methods (PrincipalStore). Deletions that cascade
// run in one IMMEDIATE transaction, so an identity never half-disappears.
import type Database from 'better-sqlite3'
import type { RoleRecord, UserRecord } from '../../auth/identities.js'
import type { PrincipalStore } from '../principal-store.js'
import { StoreConflictError, StoreLimitError } from '../store.js'
import { conflictAware } from './database.js'
import { accessKeyToRow, rowToAccessKey, rowToAccount, type AccessKeyRow, type AccountRow } from './rows.js'

export interface IdentityRow {
  account_id: string
  name: string
  path: string
  unique_id: string
  arn: string
  created_at: number
}

export const rowToUser = (r: IdentityRow): UserRecord => ({
  accountId: r.account_id, userName: r.name, path: r.path, userId: r.unique_id, arn: r.arn, createdAt: new Date(r.created_at),
})
export const rowToRole = (r: IdentityRow): RoleRecord => ({
  accountId: r.account_id, roleName: r.name, path: r.path, roleId: r.unique_id, arn: r.arn, createdAt: new Date(r.created_at),
})

function prepare(db: Database.Database) {
  const userCols = 'account_id, user_name AS name, path, user_id AS unique_id, arn, created_at'
  const roleCols = 'account_id, role_name AS name, path, role_id AS unique_id, arn, created_at'
  return {
    listAccounts: db.prepare<[], AccountRow>('SELECT * FROM accounts ORDER BY account_id'),
    countKeys: db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM keys WHERE account_id = ?'),
    deleteAccount: db.prepare<[string]>('DELETE FROM accounts WHERE account_id = ?'),
    deleteAccountRows: ['iam_users', 'iam_roles', 'access_keys', 'role_sessions'].map((t) => db.prepare<[string]>(`DELETE FROM ${t} WHERE account_id = ?`)),
    deleteAccountByArn: ['identity_policies', 'principal_tags'].map((t) => db.prepare<[string]>(`DELETE FROM ${t} WHERE principal_arn LIKE ?`)),
    insertUser: db.prepare('INSERT INTO iam_users (account_id, user_name, path, user_id, arn, created_at) VALUES (?, ?, ?, ?, ?, ?)'),
    getUser: db.prepare<[string, string], IdentityRow>(`SELECT ${userCols} FROM iam_users WHERE account_id = ? AND user_name = ?`),
    listUsers: db.prepare<[string], IdentityRow>(`SELECT ${userCols} FROM iam_users WHERE account_id = ? ORDER BY user_name`),
    deleteUser: db.prepare<[string, string]>('DELETE FROM iam_users WHERE account_id = ? AND user_name = ?'),
    insertRole: db.prepare('INSERT INTO iam_roles (account_id, role_name, path, role_id, arn, created_at) VALUES (?, ?, ?, ?, ?, ?)'),
    getRole: db.prepare<[string, string], IdentityRow>(`SELECT ${roleCols} FROM iam_roles WHERE account_id = ? AND role_name = ?`),
    listRoles: db.prepare<[string], IdentityRow>(`SELECT ${roleCols} FROM iam_roles WHERE account_id = ? ORDER BY role_name`),
    userById: db.prepare<[string], IdentityRow>(`SELECT ${userCols} FROM iam_users WHERE user_id = ?`),
    roleById: db.prepare<[string], IdentityRow>(`SELECT ${roleCols} FROM iam_roles WHERE role_id = ?`),
    deleteRole: db.prepare<[string, string]>('DELETE FROM iam_roles WHERE account_id = ? AND role_name = ?'),
    deleteByPrincipal: ['identity_policies', 'principal_tags'].map((t) => db.prepare<[string]>(`DELETE FROM ${t} WHERE principal_arn = ?`)),
    deleteKeysOf: db.prepare<[string]>('DELETE FROM access_keys WHERE principal_arn = ?'),
    deleteSessionsOf: db.prepare<[string]>('DELETE FROM role_sessions WHERE role_arn = ?'),
    countKeysOf: db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM access_keys WHERE principal_arn = ?'),
    insertAccessKey: db.prepare<[AccessKeyRow]>(
      `INSERT INTO access_keys (access_key_id, account_id, principal_arn, principal_id, wrapped_secret, status, created_at)
       VALUES (@access_key_id, @account_id, @principal_arn, @principal_id, @wrapped_secret, @status, @created_at)`),
    listAccessKeys: db.prepare<[string], AccessKeyRow>('SELECT * FROM access_keys WHERE account_id = ? ORDER BY created_at, access_key_id'),
    listAccessKeysOf: db.prepare<[string, string], AccessKeyRow>(
      'SELECT * FROM access_keys WHERE account_id = ? AND principal_arn = ? ORDER BY created_at, access_key_id'),
    setStatus: db.prepare<[string, string]>('UPDATE access_keys SET status = ? WHERE access_key_id = ?'),
    deleteAccessKey: db.prepare<[string]>('DELETE FROM access_keys WHERE access_key_id = ?'),
  }
}

type IdentityMethods = Pick<PrincipalStore,
  | 'listAccounts' | 'deleteAccount' | 'insertUser' | 'getUser' | 'listUsers' | 'deleteUser'
  | 'insertRole' | 'getRole' | 'listRoles' | 'deleteRole' | 'getIdentityByUniqueId'
  | 'addAccessKey' | 'listAccessKeys' | 'setAccessKeyStatus' | 'deleteAccessKey'>

export function principalMethods(db: Database.Database): IdentityMethods {
  const st = prepare(db)
  const deleteAccount = db.transaction((accountId: string): boolean => {
    if (st.countKeys.get(accountId)!.n > 0) throw new StoreConflictError('the account still owns keys')
    for (const s of st.deleteAccountRows) s.run(accountId)
    for (const s of st.deleteAccountByArn) s.run(`arn:aws:%::${accountId}:%`)
    return st.deleteAccount.run(accountId).changes > 0
  })
  const deleteIdentity = db.transaction((kind: 'user' | 'role', accountId: string, name: string): boolean => {
    const found = kind === 'user' ? st.getUser.get(accountId, name) : st.getRole.get(accountId, name)
    if (!found) return false
    const remove = kind === 'user' ? st.deleteUser : st.deleteRole
    for (const s of st.deleteByPrincipal) s.run(found.arn)
    st.deleteKeysOf.run(found.arn)
    st.deleteSessionsOf.run(found.arn)
    return remove.run(accountId, name).changes > 0
  })
  const addAccessKey = db.transaction((row: AccessKeyRow, max: number) => {
    if (st.countKeysOf.get(row.principal_arn)!.n >= max) throw new StoreLimitError('the principal already has the maximum number of access keys')
    st.insertAccessKey.run(row)
  })
  return {
    async listAccounts() { return st.listAccounts.all().map(rowToAccount) },
    async deleteAccount(accountId) { return deleteAccount.immediate(accountId) },
    async insertUser(u) { conflictAware('user', () => st.insertUser.run(u.accountId, u.userName, u.path, u.userId, u.arn, u.createdAt.getTime())) },
    async getUser(accountId, name) { const r = st.getUser.get(accountId, name); return r && rowToUser(r) },
    async listUsers(accountId) { return st.listUsers.all(accountId).map(rowToUser) },
    async deleteUser(accountId, name) { return deleteIdentity.immediate('user', accountId, name) },
    async insertRole(r) { conflictAware('role', () => st.insertRole.run(r.accountId, r.roleName, r.path, r.roleId, r.arn, r.createdAt.getTime())) },
    async getRole(accountId, name) { const r = st.getRole.get(accountId, name); return r && rowToRole(r) },
    async listRoles(accountId) { return st.listRoles.all(accountId).map(rowToRole) },
    async deleteRole(accountId, name) { return deleteIdentity.immediate('role', accountId, name) },
    async getIdentityByUniqueId(id) {
      const user = st.userById.get(id)
      if (user) return rowToUser(user)
      const role = st.roleById.get(id)
      return role && rowToRole(role)
    },
    async addAccessKey(key, max) { conflictAware('access key', () => addAccessKey.immediate(accessKeyToRow(key), max)) },
    async listAccessKeys(accountId, principalArn) {
      const rows = principalArn === undefined ? st.listAccessKeys.all(accountId) : st.listAccessKeysOf.all(accountId, principalArn)
      return rows.map(rowToAccessKey)
    },
    async setAccessKeyStatus(id, status) { return st.setStatus.run(status, id).changes > 0 },
    async deleteAccessKey(id) { return st.deleteAccessKey.run(id).changes > 0 },
  }
}
