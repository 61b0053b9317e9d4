// The SQLite driver's grant methods (GrantStore). Idempotency by name and the per-key limit are checked
// inside the IMMEDIATE transaction that inserts, so concurrent CreateGrant calls cannot slip past either.
import type Database from 'better-sqlite3'
import type { GrantRecord } from '../../policy/grant.js'
import type { GrantStore } from '../grant-store.js'
import { fetchSize, toPage } from '../page.js'
import { StoreLimitError } from '../store.js'
import { conflictAware } from './database.js'

export interface GrantRow {
  grant_id: string
  key_id: string
  issuing_account: string
  name: string | null
  fingerprint: string
  grantee_principal: string
  grantee_id: string | null
  retiring_principal: string | null
  retiring_id: string | null
  operations: string
  constraints: string | null
  created_at: number
}

export function grantToRow(g: GrantRecord): GrantRow {
  return {
    grant_id: g.grantId, key_id: g.keyId, issuing_account: g.issuingAccount, name: g.name ?? null, fingerprint: g.fingerprint,
    grantee_principal: g.granteePrincipal, grantee_id: g.granteeUniqueId ?? null,
    retiring_principal: g.retiringPrincipal ?? null, retiring_id: g.retiringUniqueId ?? null, operations: JSON.stringify(g.operations),
    constraints: g.constraints === undefined ? null : JSON.stringify(g.constraints), created_at: g.createdAt.getTime(),
  }
}

/** Optional fields are left absent, so records compare equal to what was stored. */
export function rowToGrant(r: GrantRow): GrantRecord {
  const g: GrantRecord = {
    grantId: r.grant_id, keyId: r.key_id, issuingAccount: r.issuing_account, fingerprint: r.fingerprint,
    granteePrincipal: r.grantee_principal, operations: JSON.parse(r.operations) as string[], createdAt: new Date(r.created_at),
  }
  if (r.name !== null) g.name = r.name
  if (r.grantee_id !== null) g.granteeUniqueId = r.grantee_id
  if (r.retiring_principal !== null) g.retiringPrincipal = r.retiring_principal
  if (r.retiring_id !== null) g.retiringUniqueId = r.retiring_id
  if (r.constraints !== null) g.constraints = JSON.parse(r.constraints) as GrantRecord['constraints']
  return g
}

function prepare(db: Database.Database) {
  return {
    insert: db.prepare<[GrantRow]>(
      `INSERT INTO grants (grant_id, key_id, issuing_account, name, fingerprint, grantee_principal, grantee_id, retiring_principal, retiring_id,
         operations, constraints, created_at)
       VALUES (@grant_id, @key_id, @issuing_account, @name, @fingerprint, @grantee_principal, @grantee_id, @retiring_principal, @retiring_id,
         @operations, @constraints, @created_at)`),
    // The same parameters for a re-created principal of the same name are another grant: ids must agree too.
    findNamed: db.prepare<[string, string, string, string | null, string | null], GrantRow>(
      'SELECT * FROM grants WHERE key_id = ? AND name = ? AND fingerprint = ? AND grantee_id IS ? AND retiring_id IS ? LIMIT 1'),
    countOfKey: db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM grants WHERE key_id = ?'),
    get: db.prepare<[string], GrantRow>('SELECT * FROM grants WHERE grant_id = ?'),
    // NULL filters match every row, so one statement serves every combination of ListGrants filters.
    list: db.prepare<[{ key: string; grant: string | null; grantee: string | null; after: string; limit: number }], GrantRow>(
      `SELECT * FROM grants WHERE key_id = @key AND (@grant IS NULL OR grant_id = @grant) AND (@grantee IS NULL OR grantee_principal = @grantee)
       AND grant_id > @after ORDER BY grant_id LIMIT @limit`),
    forGrantees: db.prepare<[string, string, string, string], GrantRow>(
      'SELECT * FROM grants WHERE key_id = ? AND grantee_principal IN (?, ?, ?) ORDER BY grant_id'),
    retirable: db.prepare<[string, string, string, number], GrantRow>(
      `SELECT g.* FROM grants g JOIN keys k ON k.key_id = g.key_id
       WHERE g.retiring_principal = ? AND k.region = ? AND g.grant_id > ? ORDER BY g.grant_id LIMIT ?`),
    remove: db.prepare<[string]>('DELETE FROM grants WHERE grant_id = ?'),
  }
}

export function grantMethods(db: Database.Database): GrantStore {
  const st = prepare(db)
  const create = db.transaction((grant: GrantRecord, maxPerKey: number): GrantRecord => {
    const existing = grant.name === undefined ? undefined : st.findNamed.get(grant.keyId, grant.name, grant.fingerprint, grant.granteeUniqueId ?? null, grant.retiringUniqueId ?? null)
    if (existing) return rowToGrant(existing)
    if (st.countOfKey.get(grant.keyId)!.n >= maxPerKey) throw new StoreLimitError('the key already has the maximum number of grants')
    st.insert.run(grantToRow(grant))
    return grant
  })
  return {
    async createGrant(grant, maxPerKey) {
      return conflictAware('grant', () => create.immediate(grant, maxPerKey))
    },
    async getGrant(grantId) {
      const row = st.get.get(grantId)
      return row && rowToGrant(row)
    },
    async listGrants(keyId, filter, after, limit) {
      const rows = st.list.all({ key: keyId, grant: filter.grantId ?? null, grantee: filter.granteePrincipal ?? null, after: after ?? '', limit: fetchSize(limit) })
      return toPage(rows.map(rowToGrant), limit, (g) => g.grantId)
    },
    async listGrantsForGrantees(keyId, grantees) {
      if (grantees.length === 0 || grantees.length > 3) throw new RangeError('between one and three grantees')
      const [a, b = a, c = a] = grantees as [string, string?, string?]
      return st.forGrantees.all(keyId, a, b, c).map(rowToGrant)
    },
    async listRetirableGrants(retiringPrincipal, region, after, limit) {
      const rows = st.retirable.all(retiringPrincipal, region, after ?? '', fetchSize(limit))
      return toPage(rows.map(rowToGrant), limit, (g) => g.grantId)
    },
    async deleteGrant(grantId) {
      return st.remove.run(grantId).changes > 0
    },
  }
}
