// The SQLite driver's inline identity policies, principal tags and role sessions (PrincipalStore).
import type Database from 'better-sqlite3'
import type { IdentityPolicyRecord, RoleSessionRecord } from '../../auth/identities.js'
import type { Tag } from '../../keys/key.js'
import type { PrincipalStore } from '../principal-store.js'
import { StoreConflictError } from '../store.js'
import { conflictAware } from './database.js'

export interface PolicyRow {
  principal_arn: string
  policy_name: string
  document: string
  updated_at: number
}

export interface SessionRow {
  access_key_id: string
  account_id: string
  role_arn: string
  role_id: string | null
  session_name: string
  wrapped_secret: Uint8Array
  token_hash: string
  created_at: number
  expires_at: number
}

export const rowToPolicy = (r: PolicyRow): IdentityPolicyRecord => ({
  principalArn: r.principal_arn, policyName: r.policy_name, document: r.document, updatedAt: new Date(r.updated_at),
})

export function rowToSession(r: SessionRow): RoleSessionRecord {
  const session: RoleSessionRecord = {
    accessKeyId: r.access_key_id, accountId: r.account_id, roleArn: r.role_arn, sessionName: r.session_name,
    wrappedSecret: r.wrapped_secret, tokenHash: r.token_hash, createdAt: new Date(r.created_at), expiresAt: new Date(r.expires_at),
  }
  if (r.role_id !== null) session.roleId = r.role_id
  return session
}

function prepare(db: Database.Database) {
  return {
    putPolicy: db.prepare<[string, string, string, number]>(
      `INSERT INTO identity_policies (principal_arn, policy_name, document, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (principal_arn, policy_name) DO UPDATE SET document = excluded.document, updated_at = excluded.updated_at`),
    listPolicies: db.prepare<[string], PolicyRow>('SELECT * FROM identity_policies WHERE principal_arn = ? ORDER BY policy_name'),
    deletePolicy: db.prepare<[string, string]>('DELETE FROM identity_policies WHERE principal_arn = ? AND policy_name = ?'),
    putTag: db.prepare<[string, string, string]>(
      `INSERT INTO principal_tags (principal_arn, tag_key, tag_value) VALUES (?, ?, ?)
       ON CONFLICT (principal_arn, tag_key) DO UPDATE SET tag_value = excluded.tag_value`),
    deleteTag: db.prepare<[string, string]>('DELETE FROM principal_tags WHERE principal_arn = ? AND tag_key = ?'),
    listTags: db.prepare<[string], { tag_key: string; tag_value: string }>(
      'SELECT tag_key, tag_value FROM principal_tags WHERE principal_arn = ? ORDER BY tag_key'),
    insertSession: db.prepare<[SessionRow]>(
      `INSERT INTO role_sessions (access_key_id, account_id, role_arn, role_id, session_name, wrapped_secret, token_hash, created_at, expires_at)
       VALUES (@access_key_id, @account_id, @role_arn, @role_id, @session_name, @wrapped_secret, @token_hash, @created_at, @expires_at)`),
    getSession: db.prepare<[string], SessionRow>('SELECT * FROM role_sessions WHERE access_key_id = ?'),
    identityExists: db.prepare<[string, string], { n: number }>(
      'SELECT (EXISTS (SELECT 1 FROM iam_users WHERE arn = ?) OR EXISTS (SELECT 1 FROM iam_roles WHERE arn = ?)) AS n'),
  }
}

type PolicyMethods = Pick<PrincipalStore,
  | 'putIdentityPolicy' | 'listIdentityPolicies' | 'deleteIdentityPolicy'
  | 'putPrincipalTags' | 'deletePrincipalTags' | 'listPrincipalTags' | 'insertRoleSession' | 'getRoleSession'>

export function identityPolicyMethods(db: Database.Database): PolicyMethods {
  const st = prepare(db)
  // Checked in the writing transaction: a write racing the identity's deletion cannot leave rows behind
  // for a later identity of the same name to inherit.
  const requireIdentity = (arn: string): void => {
    if (st.identityExists.get(arn, arn)!.n === 0) throw new StoreConflictError('no user or role has this ARN')
  }
  const putPolicy = db.transaction((p: IdentityPolicyRecord) => {
    requireIdentity(p.principalArn)
    st.putPolicy.run(p.principalArn, p.policyName, p.document, p.updatedAt.getTime())
  })
  const putTags = db.transaction((arn: string, tags: Tag[]) => {
    requireIdentity(arn)
    for (const t of tags) st.putTag.run(arn, t.tagKey, t.tagValue)
  })
  const deleteTags = db.transaction((arn: string, keys: string[]) => {
    for (const k of keys) st.deleteTag.run(arn, k)
  })
  return {
    async putIdentityPolicy(p) {
      putPolicy.immediate(p)
    },
    async listIdentityPolicies(arn) {
      return st.listPolicies.all(arn).map(rowToPolicy)
    },
    async deleteIdentityPolicy(arn, name) {
      return st.deletePolicy.run(arn, name).changes > 0
    },
    async putPrincipalTags(arn, tags) {
      putTags.immediate(arn, tags)
    },
    async deletePrincipalTags(arn, keys) {
      deleteTags.immediate(arn, keys)
    },
    async listPrincipalTags(arn) {
      return st.listTags.all(arn).map((r) => ({ tagKey: r.tag_key, tagValue: r.tag_value }))
    },
    async insertRoleSession(s) {
      conflictAware('role session', () => st.insertSession.run({
        access_key_id: s.accessKeyId, account_id: s.accountId, role_arn: s.roleArn, role_id: s.roleId ?? null, session_name: s.sessionName,
        wrapped_secret: s.wrappedSecret, token_hash: s.tokenHash, created_at: s.createdAt.getTime(), expires_at: s.expiresAt.getTime(),
      }))
    },
    async getRoleSession(id) {
      const row = st.getSession.get(id)
      return row && rowToSession(row)
    },
  }
}
