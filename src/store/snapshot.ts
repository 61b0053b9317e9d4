// What a whole-store snapshot is (backup/restore): rows of the logical tables below, by column name. The
// SQLite schema (store/sqlite/migrations.ts) defines the tables and columns; another driver maps the same
// names onto its own. Values: null, integer (dates are epoch milliseconds), text, or bytes.

/** In load order: a table comes after those it references. */
export const SNAPSHOT_TABLES = [
  'settings', 'accounts', 'access_keys', 'keys', 'key_versions', 'aliases', 'tags', 'grants', 'key_last_usage',
  'iam_users', 'iam_roles', 'identity_policies', 'principal_tags', 'role_sessions', 'peer_outbox',
  'audit', 'audit_resources', 'audit_shared', 'audit_chain', 'audit_digests',
] as const

/** Tables a snapshot leaves out: per-process coordination that a restored store starts afresh. */
export const TRANSIENT_TABLES = ['changes', 'change_horizon', 'leases'] as const

export type SnapshotValue = null | number | string | Uint8Array

export interface SnapshotChunk {
  table: string
  columns: string[]
  rows: SnapshotValue[][]
}
