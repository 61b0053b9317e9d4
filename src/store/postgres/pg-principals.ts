// The PostgreSQL driver's accounts, users, roles, access keys, identity policies, principal tags and role
// sessions (PrincipalStore). A write that needs its identity to exist holds that identity's row with FOR
// SHARE; a deletion takes it FOR UPDATE first, so the two cannot interleave and leave rows behind for a
// later identity of the same name to inherit.
import type pg from 'pg'
import type { RoleRecord, UserRecord } from '../../auth/identities.js'
import type { PrincipalStore } from '../principal-store.js'
import { StoreConflictError, StoreLimitError } from '../store.js'
import { accessKeyToRow, rowToAccessKey, rowToAccount, type AccessKeyRow, type AccountRow } from '../sqlite/rows.js'
import { rowToPolicy, rowToSession, type PolicyRow, type SessionRow } from '../sqlite/sqlite-identity-policies.js'
import { rowToRole, rowToUser, type IdentityRow } from '../sqlite/sqlite-principals.js'
import { conflictAware, inTransaction, insertRow, lockName, type Query } from './pool.js'

const USER = { table: 'iam_users', name: 'user_name', id: 'user_id' } as const
const ROLE = { table: 'iam_roles', name: 'role_name', id: 'role_id' } as const
type Kind = typeof USER | typeof ROLE

const columns = (k: Kind) => `account_id, ${k.name} AS name, path, ${k.id} AS unique_id, arn, created_at`
/** Names match ignoring case, as in IAM (the folded-name unique index serves it). */
const byName = (k: Kind) => `account_id = $1 AND lower(${k.name}) = lower($2)`

const ACCESS_KEY_COLUMNS = ['access_key_id', 'account_id', 'principal_arn', 'principal_id', 'wrapped_secret', 'status', 'created_at'] as const

export async function insertAccessKeyRow(query: Query, row: AccessKeyRow): Promise<void> {
  await query(...insertRow<AccessKeyRow>('access_keys', ACCESS_KEY_COLUMNS, row))
}

/** Holds the user or role with this ARN (FOR SHARE) until the transaction ends; StoreConflictError when there is none. */
async function requireIdentity(query: Query, arn: string): Promise<void> {
  for (const k of [USER, ROLE]) {
    if ((await query(`SELECT 1 FROM ${k.table} WHERE arn = $1 FOR SHARE`, [arn])).rows.length > 0) return
  }
  throw new StoreConflictError('no user or role has this ARN')
}

export function principalMethods(pool: pg.Pool): PrincipalStore {
  const rows = async <R>(text: string, values: unknown[] = []): Promise<R[]> => (await pool.query(text, values)).rows as R[]
  const changed = async (text: string, values: unknown[]): Promise<boolean> => ((await pool.query(text, values)).rowCount ?? 0) > 0
  const getIdentity = async (k: Kind, accountId: string, name: string) => (await rows<IdentityRow>(`SELECT ${columns(k)} FROM ${k.table} WHERE ${byName(k)}`, [accountId, name]))[0]
  const insertIdentity = (k: Kind, r: { accountId: string; path: string; arn: string; createdAt: Date }, name: string, id: string) =>
    conflictAware(k === USER ? 'user' : 'role', async () => {
      await pool.query(`INSERT INTO ${k.table} (account_id, ${k.name}, path, ${k.id}, arn, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
        [r.accountId, name, r.path, id, r.arn, r.createdAt.getTime()])
    })
  const deleteIdentity = (k: Kind, accountId: string, name: string) => inTransaction(pool, async (query) => {
    const found = (await query(`SELECT arn FROM ${k.table} WHERE ${byName(k)} FOR UPDATE`, [accountId, name])).rows[0] as { arn: string } | undefined
    if (!found) return false
    for (const t of ['identity_policies', 'principal_tags', 'access_keys']) await query(`DELETE FROM ${t} WHERE principal_arn = $1`, [found.arn])
    await query('DELETE FROM role_sessions WHERE role_arn = $1', [found.arn])
    return ((await query(`DELETE FROM ${k.table} WHERE ${byName(k)}`, [accountId, name])).rowCount ?? 0) > 0
  })
  return {
    async listAccounts() {
      return (await rows<AccountRow>('SELECT * FROM accounts ORDER BY account_id')).map(rowToAccount)
    },
    async deleteAccount(accountId) {
      return inTransaction(pool, async (query) => {
        const { rows: counted } = await query('SELECT COUNT(*) AS n FROM keys WHERE account_id = $1', [accountId])
        if ((counted[0] as { n: number }).n > 0) throw new StoreConflictError('the account still owns keys')
        for (const t of ['iam_users', 'iam_roles', 'access_keys', 'role_sessions']) await query(`DELETE FROM ${t} WHERE account_id = $1`, [accountId])
        for (const t of ['identity_policies', 'principal_tags']) await query(`DELETE FROM ${t} WHERE principal_arn LIKE $1`, [`arn:aws:%::${accountId}:%`])
        return ((await query('DELETE FROM accounts WHERE account_id = $1', [accountId])).rowCount ?? 0) > 0
      })
    },
    async insertUser(u) { await insertIdentity(USER, u, u.userName, u.userId) },
    async getUser(accountId, name) { const r = await getIdentity(USER, accountId, name); return r && rowToUser(r) },
    async listUsers(accountId) {
      return (await rows<IdentityRow>(`SELECT ${columns(USER)} FROM iam_users WHERE account_id = $1 ORDER BY lower(user_name), user_name`, [accountId])).map(rowToUser)
    },
    async deleteUser(accountId, name) { return deleteIdentity(USER, accountId, name) },
    async insertRole(r) { await insertIdentity(ROLE, r, r.roleName, r.roleId) },
    async getRole(accountId, name) { const r = await getIdentity(ROLE, accountId, name); return r && rowToRole(r) },
    async listRoles(accountId) {
      return (await rows<IdentityRow>(`SELECT ${columns(ROLE)} FROM iam_roles WHERE account_id = $1 ORDER BY lower(role_name), role_name`, [accountId])).map(rowToRole)
    },
    async deleteRole(accountId, name) { return deleteIdentity(ROLE, accountId, name) },
    async getIdentityByUniqueId(id): Promise<UserRecord | RoleRecord | undefined> {
      const user = (await rows<IdentityRow>(`SELECT ${columns(USER)} FROM iam_users WHERE user_id = $1`, [id]))[0]
      if (user) return rowToUser(user)
      const role = (await rows<IdentityRow>(`SELECT ${columns(ROLE)} FROM iam_roles WHERE role_id = $1`, [id]))[0]
      return role && rowToRole(role)
    },

    async addAccessKey(key, max) {
      await conflictAware('access key', () => inTransaction(pool, async (query) => {
        await lockName(query, `access_keys/${key.principalArn}`)
        const { rows: counted } = await query('SELECT COUNT(*) AS n FROM access_keys WHERE principal_arn = $1', [key.principalArn])
        if ((counted[0] as { n: number }).n >= max) throw new StoreLimitError('the principal already has the maximum number of access keys')
        await insertAccessKeyRow(query, accessKeyToRow(key))
      }))
    },
    async listAccessKeys(accountId, principalArn) {
      const found = principalArn === undefined
        ? await rows<AccessKeyRow>('SELECT * FROM access_keys WHERE account_id = $1 ORDER BY created_at, access_key_id', [accountId])
        : await rows<AccessKeyRow>('SELECT * FROM access_keys WHERE account_id = $1 AND principal_arn = $2 ORDER BY created_at, access_key_id', [accountId, principalArn])
      return found.map(rowToAccessKey)
    },
    async setAccessKeyStatus(id, status) { return changed('UPDATE access_keys SET status = $1 WHERE access_key_id = $2', [status, id]) },
    async deleteAccessKey(id) { return changed('DELETE FROM access_keys WHERE access_key_id = $1', [id]) },

    async putIdentityPolicy(p) {
      await inTransaction(pool, async (query) => {
        await requireIdentity(query, p.principalArn)
        await query(
          `INSERT INTO identity_policies (principal_arn, policy_name, document, updated_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (principal_arn, policy_name) DO UPDATE SET document = excluded.document, updated_at = excluded.updated_at`,
          [p.principalArn, p.policyName, p.document, p.updatedAt.getTime()])
      })
    },
    async listIdentityPolicies(arn) {
      return (await rows<PolicyRow>('SELECT * FROM identity_policies WHERE principal_arn = $1 ORDER BY policy_name', [arn])).map(rowToPolicy)
    },
    async deleteIdentityPolicy(arn, name) { return changed('DELETE FROM identity_policies WHERE principal_arn = $1 AND policy_name = $2', [arn, name]) },
    async putPrincipalTags(arn, tags) {
      await inTransaction(pool, async (query) => {
        await requireIdentity(query, arn)
        if (tags.length === 0) return
        const last = new Map(tags.map((t) => [t.tagKey, t.tagValue]))
        await query(
          `INSERT INTO principal_tags (principal_arn, tag_key, tag_value) SELECT $1, k, v FROM unnest($2::text[], $3::text[]) AS t (k, v)
           ON CONFLICT (principal_arn, tag_key) DO UPDATE SET tag_value = excluded.tag_value`,
          [arn, [...last.keys()], [...last.values()]])
      })
    },
    async deletePrincipalTags(arn, keys) {
      await pool.query('DELETE FROM principal_tags WHERE principal_arn = $1 AND tag_key = ANY($2::text[])', [arn, keys])
    },
    async listPrincipalTags(arn) {
      const found = await rows<{ tag_key: string; tag_value: string }>('SELECT tag_key, tag_value FROM principal_tags WHERE principal_arn = $1 ORDER BY tag_key', [arn])
      return found.map((r) => ({ tagKey: r.tag_key, tagValue: r.tag_value }))
    },
    async insertRoleSession(s) {
      const row: SessionRow = {
        access_key_id: s.accessKeyId, account_id: s.accountId, role_arn: s.roleArn, role_id: s.roleId ?? null, session_name: s.sessionName,
        wrapped_secret: s.wrappedSecret, token_hash: s.tokenHash, created_at: s.createdAt.getTime(), expires_at: s.expiresAt.getTime(),
      }
      await conflictAware('role session', async () => {
        await pool.query(...insertRow<SessionRow>('role_sessions', Object.keys(row) as (keyof SessionRow)[], row))
      })
    },
    async getRoleSession(id) {
      const row = (await rows<SessionRow>('SELECT * FROM role_sessions WHERE access_key_id = $1', [id]))[0]
      return row && rowToSession(row)
    },
  }
}
