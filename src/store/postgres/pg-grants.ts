// The PostgreSQL driver's grant methods (GrantStore). Idempotency by name and the per-key limit are checked
// under the key's store_locks row lock, in the transaction that inserts.
import type pg from 'pg'
import type { GrantStore } from '../grant-store.js'
import { fetchSize, toPage } from '../page.js'
import { StoreLimitError } from '../store.js'
import { grantToRow, rowToGrant, type GrantRow } from '../sqlite/sqlite-grants.js'
import { conflictAware, inTransaction, insertRow, lockName } from './pool.js'

const COLUMNS = ['grant_id', 'key_id', 'issuing_account', 'name', 'fingerprint', 'grantee_principal', 'grantee_id', 'retiring_principal',
  'retiring_id', 'operations', 'constraints', 'created_at'] as const

export function grantMethods(pool: pg.Pool): GrantStore {
  const rows = async (text: string, values: unknown[]) => ((await pool.query(text, values)).rows as GrantRow[]).map(rowToGrant)
  return {
    async createGrant(grant, maxPerKey) {
      return conflictAware('grant', () => inTransaction(pool, async (query) => {
        await lockName(query, `grants/${grant.keyId}`)
        if (grant.name !== undefined) {
          // The same parameters for a re-created principal of the same name are another grant: ids must agree too.
          const { rows: named } = await query(
            `SELECT * FROM grants WHERE key_id = $1 AND name = $2 AND fingerprint = $3
               AND grantee_id IS NOT DISTINCT FROM $4::text AND retiring_id IS NOT DISTINCT FROM $5::text LIMIT 1`,
            [grant.keyId, grant.name, grant.fingerprint, grant.granteeUniqueId ?? null, grant.retiringUniqueId ?? null])
          if (named[0]) return rowToGrant(named[0] as GrantRow)
        }
        const { rows: counted } = await query('SELECT COUNT(*) AS n FROM grants WHERE key_id = $1', [grant.keyId])
        if ((counted[0] as { n: number }).n >= maxPerKey) throw new StoreLimitError('the key already has the maximum number of grants')
        await query(...insertRow<GrantRow>('grants', COLUMNS, grantToRow(grant)))
        return grant
      }))
    },
    async getGrant(grantId) {
      return (await rows('SELECT * FROM grants WHERE grant_id = $1', [grantId]))[0]
    },
    async listGrants(keyId, filter, after, limit) {
      // NULL filters match every row, so one statement serves every combination of ListGrants filters.
      const found = await rows(
        `SELECT * FROM grants WHERE key_id = $1 AND ($2::text IS NULL OR grant_id = $2::text) AND ($3::text IS NULL OR grantee_principal = $3::text)
         AND grant_id > $4 ORDER BY grant_id LIMIT $5`,
        [keyId, filter.grantId ?? null, filter.granteePrincipal ?? null, after ?? '', fetchSize(limit)])
      return toPage(found, limit, (g) => g.grantId)
    },
    async listGrantsForGrantees(keyId, grantees) {
      if (grantees.length === 0 || grantees.length > 3) throw new RangeError('between one and three grantees')
      return rows('SELECT * FROM grants WHERE key_id = $1 AND grantee_principal = ANY($2::text[]) ORDER BY grant_id', [keyId, [...grantees]])
    },
    async listRetirableGrants(retiringPrincipal, region, after, limit) {
      const found = await rows(
        `SELECT g.* FROM grants g JOIN keys k ON k.key_id = g.key_id
         WHERE g.retiring_principal = $1 AND k.region = $2 AND g.grant_id > $3 ORDER BY g.grant_id LIMIT $4`,
        [retiringPrincipal, region, after ?? '', fetchSize(limit)])
      return toPage(found, limit, (g) => g.grantId)
    },
    async deleteGrant(grantId) {
      return ((await pool.query('DELETE FROM grants WHERE grant_id = $1', [grantId])).rowCount ?? 0) > 0
    },
  }
}
