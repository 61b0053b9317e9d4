// The SQLite schema as an append-only list of migrations, tracked with PRAGMA user_version.
// Never edit a shipped entry: databases in the field have already run it. Append a new one instead.
import type Database from 'better-sqlite3'

/**
 * Removes aliases that name a key of another account. Before cross-account use was limited to the operations
 * AWS allows, CreateAlias/UpdateAlias accepted another account's key ARN. Such an alias never resolved (an
 * alias names a key of its own account), its owner could not delete it, and it used up the other account's
 * per-key alias quota. A function, hoisted, so the list below can name it and a test can find its step.
 */
export function dropCrossAccountAliases(): string {
  return `
  DELETE FROM aliases
   WHERE EXISTS (SELECT 1 FROM keys k WHERE k.key_id = aliases.key_id AND k.account_id <> aliases.account_id);
  `
}

/**
 * The change feed (docs/caching.md): every write to a table whose rows some process caches appends, in the
 * same transaction, one row per entity it touched to `changes` (a monotonic seq, what kind of entity, which
 * one, insert/update/delete, when). Triggers do it, so every writer records its changes: this server,
 * another process on the same file, the `trent` CLI and builds that predate the feed. `change_horizon`
 * says through which seq rows were pruned, so a reader that fell behind it knows it missed some.
 * A function, hoisted, so the list below can name it; its text must never change once shipped.
 */
export function changeFeedSchema(): string {
  // [table, kind, entity expression over a row alias R]; R becomes NEW or OLD.
  const feeds: Array<[string, string, string]> = [
    ['accounts', 'account', 'R.account_id'],
    ['access_keys', 'access_key', 'R.access_key_id'],
    ['role_sessions', 'role_session', 'R.access_key_id'],
    ['iam_users', 'user', 'R.user_id'],
    ['iam_roles', 'role', 'R.role_id'],
    ['identity_policies', 'identity_policy', 'R.principal_arn'],
    ['principal_tags', 'principal_tags', 'R.principal_arn'],
    ['keys', 'key', 'R.key_id'],
    ['key_versions', 'key_version', 'R.key_id'],
    ['tags', 'tags', 'R.key_id'],
    ['grants', 'grants', 'R.key_id'],
    ['aliases', 'alias', "R.account_id || '/' || R.region || '/' || R.alias_name"],
    // An alias also changes the alias list of the key it names (kms:ResourceAliases), before and after.
    ['aliases', 'key_aliases', 'R.key_id'],
  ]
  const now = "CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)"
  const row = (kind: string, entity: string, op: string) => `SELECT '${kind}', ${entity}, '${op}', ${now}`
  const triggers = feeds.map(([table, kind, expr], i) => {
    const of = (alias: string) => expr.replaceAll('R.', `${alias}.`)
    return `
  CREATE TRIGGER changes_${i}_insert AFTER INSERT ON ${table} BEGIN
    INSERT INTO changes (kind, entity, op, at) ${row(kind, of('NEW'), 'I')};
  END;
  CREATE TRIGGER changes_${i}_update AFTER UPDATE ON ${table} BEGIN
    INSERT INTO changes (kind, entity, op, at) ${row(kind, of('OLD'), 'U')} UNION ${row(kind, of('NEW'), 'U')};
  END;
  CREATE TRIGGER changes_${i}_delete AFTER DELETE ON ${table} BEGIN
    INSERT INTO changes (kind, entity, op, at) ${row(kind, of('OLD'), 'D')};
  END;`
  })
  return `
  CREATE TABLE changes (
    seq    INTEGER PRIMARY KEY AUTOINCREMENT,
    kind   TEXT NOT NULL,
    entity TEXT NOT NULL,
    op     TEXT NOT NULL,
    at     INTEGER NOT NULL
  );
  CREATE INDEX changes_by_time ON changes (at);
  CREATE TABLE change_horizon (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    pruned_through INTEGER NOT NULL
  );
  INSERT INTO change_horizon (id, pruned_through) VALUES (1, 0);
  ${triggers.join('\n')}
  `
}

/** Entry i moves the schema from user_version i to i + 1. Dates are integer milliseconds since the epoch. */
export const migrations: readonly string[] = [
  `
  CREATE TABLE settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );

  CREATE TABLE accounts (
    account_id TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL
  );

  -- No foreign key to accounts: callers may provision keys and credentials in either order.
  CREATE TABLE access_keys (
    access_key_id  TEXT PRIMARY KEY,
    account_id     TEXT NOT NULL,
    principal_arn  TEXT NOT NULL,
    wrapped_secret BLOB NOT NULL,
    status         TEXT NOT NULL,
    created_at     INTEGER NOT NULL
  );

  CREATE TABLE keys (
    key_id              TEXT PRIMARY KEY,
    account_id          TEXT NOT NULL,
    region              TEXT NOT NULL,
    created_at          INTEGER NOT NULL,
    description         TEXT NOT NULL,
    key_spec            TEXT NOT NULL,
    key_usage           TEXT NOT NULL,
    origin              TEXT NOT NULL,
    key_state           TEXT NOT NULL,
    deletion_date       INTEGER,
    pending_window_days INTEGER,
    policy              TEXT NOT NULL,
    current_version     INTEGER NOT NULL,
    multi_region        INTEGER NOT NULL
  );
  CREATE INDEX keys_by_account ON keys (account_id, region, key_id);
  CREATE INDEX keys_by_deletion ON keys (key_state, deletion_date);

  CREATE TABLE key_versions (
    key_id           TEXT NOT NULL REFERENCES keys (key_id),
    version          INTEGER NOT NULL,
    material_id      TEXT NOT NULL,
    wrapped_material BLOB NOT NULL,
    created_at       INTEGER NOT NULL,
    PRIMARY KEY (key_id, version)
  );

  CREATE TABLE aliases (
    account_id TEXT NOT NULL,
    region     TEXT NOT NULL,
    alias_name TEXT NOT NULL,
    key_id     TEXT NOT NULL REFERENCES keys (key_id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (account_id, region, alias_name)
  );
  CREATE INDEX aliases_by_key ON aliases (key_id);

  CREATE TABLE tags (
    key_id    TEXT NOT NULL REFERENCES keys (key_id),
    tag_key   TEXT NOT NULL,
    tag_value TEXT NOT NULL,
    PRIMARY KEY (key_id, tag_key)
  );

  CREATE TABLE audit (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id      TEXT NOT NULL,
    event_time    INTEGER NOT NULL,
    event_name    TEXT NOT NULL,
    account_id    TEXT NOT NULL,
    access_key_id TEXT,
    record_json   TEXT NOT NULL
  );
  CREATE INDEX audit_by_time ON audit (event_time);
  CREATE INDEX audit_by_name ON audit (event_name);
  CREATE INDEX audit_by_account ON audit (account_id, event_time);
  `,
  // Audit hash chain, digests and the account-scoped indexes behind LookupEvents (newest first by
  // event_time then seq, which every index ends with as the rowid). Rows written before this step stay
  // unchained: the chain starts after genesis_seq.
  `
  ALTER TABLE audit ADD COLUMN event_source TEXT NOT NULL DEFAULT 'kms.amazonaws.com';
  ALTER TABLE audit ADD COLUMN username TEXT;
  ALTER TABLE audit ADD COLUMN read_only INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE audit ADD COLUMN hash TEXT;
  DROP INDEX audit_by_name;
  DROP INDEX audit_by_time;
  CREATE INDEX audit_by_account_name ON audit (account_id, event_name, event_time);
  CREATE INDEX audit_by_account_access_key ON audit (account_id, access_key_id, event_time);
  CREATE INDEX audit_by_account_username ON audit (account_id, username, event_time);
  -- Partial indexes for the rare side of the two low-cardinality attributes; the common side (read-only
  -- calls, KMS events) is found by walking audit_by_account, where nearly every row matches.
  CREATE INDEX audit_writes_by_account ON audit (account_id, event_time) WHERE read_only = 0;
  CREATE INDEX audit_non_kms_by_account ON audit (account_id, event_source, event_time) WHERE event_source <> 'kms.amazonaws.com';
  CREATE INDEX audit_by_event_id ON audit (event_id);

  CREATE TABLE audit_resources (
    account_id    TEXT NOT NULL,
    resource_name TEXT NOT NULL,
    event_time    INTEGER NOT NULL,
    seq           INTEGER NOT NULL,
    PRIMARY KEY (account_id, resource_name, event_time, seq)
  ) WITHOUT ROWID;
  CREATE INDEX audit_resources_by_seq ON audit_resources (seq);

  CREATE TABLE audit_chain (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    genesis_seq INTEGER NOT NULL,
    seq         INTEGER NOT NULL,
    hash        TEXT NOT NULL,
    event_time  TEXT
  );
  INSERT INTO audit_chain (id, genesis_seq, seq, hash)
    SELECT 1, COALESCE(MAX(seq), 0), COALESCE(MAX(seq), 0), '${'0'.repeat(64)}' FROM audit;

  CREATE TABLE audit_digests (
    digest_seq  INTEGER PRIMARY KEY,
    last_seq    INTEGER NOT NULL,
    digest_json TEXT NOT NULL
  );
  `,
  // Principals (IAM users and roles, inline identity policies, principal tags, role sessions) and grants.
  // Names are unique per account ignoring case, as in IAM. A key's grants go when the key row goes.
  `
  CREATE TABLE iam_users (
    account_id TEXT NOT NULL,
    user_name  TEXT NOT NULL COLLATE NOCASE,
    path       TEXT NOT NULL,
    user_id    TEXT NOT NULL UNIQUE,
    arn        TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (account_id, user_name)
  );

  CREATE TABLE iam_roles (
    account_id TEXT NOT NULL,
    role_name  TEXT NOT NULL COLLATE NOCASE,
    path       TEXT NOT NULL,
    role_id    TEXT NOT NULL UNIQUE,
    arn        TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (account_id, role_name)
  );

  CREATE TABLE identity_policies (
    principal_arn TEXT NOT NULL,
    policy_name   TEXT NOT NULL,
    document      TEXT NOT NULL,
    updated_at    INTEGER NOT NULL,
    PRIMARY KEY (principal_arn, policy_name)
  );

  CREATE TABLE principal_tags (
    principal_arn TEXT NOT NULL,
    tag_key       TEXT NOT NULL,
    tag_value     TEXT NOT NULL,
    PRIMARY KEY (principal_arn, tag_key)
  );

  CREATE TABLE role_sessions (
    access_key_id  TEXT PRIMARY KEY,
    account_id     TEXT NOT NULL,
    role_arn       TEXT NOT NULL,
    session_name   TEXT NOT NULL,
    wrapped_secret BLOB NOT NULL,
    token_hash     TEXT NOT NULL,
    created_at     INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL
  );
  CREATE INDEX role_sessions_by_role ON role_sessions (role_arn);
  CREATE INDEX access_keys_by_principal ON access_keys (account_id, principal_arn);

  CREATE TABLE grants (
    grant_id           TEXT PRIMARY KEY,
    key_id             TEXT NOT NULL,
    issuing_account    TEXT NOT NULL,
    name               TEXT,
    fingerprint        TEXT NOT NULL,
    grantee_principal  TEXT NOT NULL,
    retiring_principal TEXT,
    operations         TEXT NOT NULL,
    constraints        TEXT,
    created_at         INTEGER NOT NULL
  );
  CREATE INDEX grants_by_key ON grants (key_id, grant_id);
  CREATE INDEX grants_by_grantee ON grants (key_id, grantee_principal);
  CREATE INDEX grants_by_name ON grants (key_id, name, fingerprint);
  CREATE INDEX grants_by_retiring ON grants (retiring_principal, grant_id);
  CREATE TRIGGER grants_follow_their_key AFTER DELETE ON keys
  BEGIN
    DELETE FROM grants WHERE key_id = OLD.key_id;
  END;
  `,
  // Wrapped material bound to what it is (issue 8, finding 8). Existing rows, and rows an older process
  // still running inserts, default to the legacy formats (1); the start-up rewrap (keys/rewrap-material.ts)
  // moves each row to wrap format 2 in one UPDATE, so every row is always readable in one format or the other.
  `
  ALTER TABLE key_versions ADD COLUMN wrap_format INTEGER NOT NULL DEFAULT 1;
  ALTER TABLE key_versions ADD COLUMN material_id_format INTEGER NOT NULL DEFAULT 1;
  CREATE INDEX key_versions_by_wrap_format ON key_versions (wrap_format) WHERE wrap_format = 1;
  `,
  // The key owner's view of cross-account calls (docs/audit-chain.md): a record stays one row of audit, filed
  // under its caller's account; audit_shared adds one row per other account that also sees it, carrying the
  // same lookup columns and indexes, and audit_resources gains that account's rows. Existing cross-account
  // records are back-filled: candidates come from audit_resources rows whose ARN names another account (an
  // index-only scan, no JSON parsing of ordinary rows), then each candidate's record decides, by the rule of
  // auditSharedAccounts() in src/audit/record.ts (key owners other than the caller, never for a denied call).
  `
  CREATE TABLE audit_shared (
    account_id    TEXT NOT NULL,
    event_time    INTEGER NOT NULL,
    seq           INTEGER NOT NULL,
    event_id      TEXT NOT NULL,
    event_name    TEXT NOT NULL,
    access_key_id TEXT,
    username      TEXT,
    read_only     INTEGER NOT NULL,
    event_source  TEXT NOT NULL,
    PRIMARY KEY (account_id, event_time, seq)
  ) WITHOUT ROWID;
  CREATE INDEX audit_shared_by_name ON audit_shared (account_id, event_name, event_time);
  CREATE INDEX audit_shared_by_access_key ON audit_shared (account_id, access_key_id, event_time);
  CREATE INDEX audit_shared_by_username ON audit_shared (account_id, username, event_time);
  CREATE INDEX audit_shared_writes ON audit_shared (account_id, event_time) WHERE read_only = 0;
  CREATE INDEX audit_shared_non_kms ON audit_shared (account_id, event_source, event_time) WHERE event_source <> 'kms.amazonaws.com';
  CREATE INDEX audit_shared_by_event_id ON audit_shared (event_id);
  CREATE INDEX audit_shared_by_seq ON audit_shared (seq);

  INSERT OR IGNORE INTO audit_shared
    (account_id, event_time, seq, event_id, event_name, access_key_id, username, read_only, event_source)
    SELECT DISTINCT json_extract(res.value, '$.accountId'), a.event_time, a.seq, a.event_id, a.event_name,
      a.access_key_id, a.username, a.read_only, a.event_source
    FROM audit a, json_each(a.record_json, '$.resources') res
    WHERE a.seq IN (SELECT seq FROM audit_resources WHERE resource_name NOT LIKE '%:' || account_id || ':key/%')
      AND json_extract(res.value, '$.accountId') NOT IN (a.account_id, '')
      AND json_extract(a.record_json, '$.errorCode') IS NOT 'AccessDeniedException';
  INSERT OR IGNORE INTO audit_resources (account_id, resource_name, event_time, seq)
    SELECT s.account_id, r.resource_name, r.event_time, r.seq
    FROM audit_shared s JOIN audit a ON a.seq = s.seq JOIN audit_resources r ON r.seq = s.seq AND r.account_id = a.account_id;
  `,
  dropCrossAccountAliases(),
  // A principal is its unique id, not its name: key policies, grants, access keys and role sessions bind
  // the users and roles they name to their ids, so a re-created name inherits nothing. Rows already stored
  // bind to the principals that exist now; an ARN naming nobody now binds to nothing and matches nobody.
  // A session ARN (arn:aws:sts::<acct>:assumed-role/<role>/<session>) binds to its role's id.
  `
  ALTER TABLE keys ADD COLUMN policy_bindings TEXT;
  ALTER TABLE grants ADD COLUMN grantee_id TEXT;
  ALTER TABLE grants ADD COLUMN retiring_id TEXT;
  ALTER TABLE access_keys ADD COLUMN principal_id TEXT;
  ALTER TABLE role_sessions ADD COLUMN role_id TEXT;

  CREATE TEMP TABLE principal_ids AS
    SELECT arn, user_id AS unique_id, 0 AS is_prefix FROM iam_users
    UNION ALL SELECT arn, role_id, 0 FROM iam_roles
    UNION ALL SELECT 'arn:aws:sts::' || account_id || ':assumed-role/' || role_name || '/', role_id, 1 FROM iam_roles;

  UPDATE access_keys SET principal_id =
    (SELECT u.user_id FROM iam_users u WHERE u.arn = access_keys.principal_arn AND u.account_id = access_keys.account_id);
  UPDATE role_sessions SET role_id =
    (SELECT r.role_id FROM iam_roles r WHERE r.arn = role_sessions.role_arn AND r.account_id = role_sessions.account_id);

  -- A prefix row matches a session ARN: the prefix, then a non-empty session name without a slash.
  UPDATE grants SET
    grantee_id = (SELECT p.unique_id FROM principal_ids p WHERE
      (p.is_prefix = 0 AND p.arn = grants.grantee_principal)
      OR (p.is_prefix = 1 AND substr(grants.grantee_principal, 1, length(p.arn)) = p.arn
          AND length(grants.grantee_principal) > length(p.arn) AND instr(substr(grants.grantee_principal, length(p.arn) + 1), '/') = 0)
      LIMIT 1),
    retiring_id = (SELECT p.unique_id FROM principal_ids p WHERE
      (p.is_prefix = 0 AND p.arn = grants.retiring_principal)
      OR (p.is_prefix = 1 AND substr(grants.retiring_principal, 1, length(p.arn)) = p.arn
          AND length(grants.retiring_principal) > length(p.arn) AND instr(substr(grants.retiring_principal, length(p.arn) + 1), '/') = 0)
      LIMIT 1);

  -- Every string in the policy that names a user, role or session binds; strings outside Principal
  -- elements are never consulted, so binding them too is harmless.
  UPDATE keys SET policy_bindings = (
    SELECT NULLIF(json_group_object(b.arn, b.unique_id), '{}') FROM (
      SELECT DISTINCT t.value AS arn, p.unique_id FROM json_tree(keys.policy) t JOIN principal_ids p ON
        (p.is_prefix = 0 AND p.arn = t.value)
        OR (p.is_prefix = 1 AND substr(t.value, 1, length(p.arn)) = p.arn
            AND length(t.value) > length(p.arn) AND instr(substr(t.value, length(p.arn) + 1), '/') = 0)
      WHERE t.type = 'text'
    ) b
  ) WHERE json_valid(keys.policy);

  DROP TABLE principal_ids;
  `,
  changeFeedSchema(),
  // Leases for work that must run in one process at a time (the scheduled jobs), whichever Trent holds the
  // data folder: the holder renews before its lease expires; anyone may take an expired one.
  `
  CREATE TABLE leases (
    name       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  );
  `,
  // Imported key material (issue 11): each EXTERNAL key's material row says how it was imported. NULL
  // import_state is material Trent generated. The partial index serves the import-expiry job.
  `
  ALTER TABLE key_versions ADD COLUMN import_state TEXT;
  ALTER TABLE key_versions ADD COLUMN expiration_model TEXT;
  ALTER TABLE key_versions ADD COLUMN valid_to INTEGER;
  ALTER TABLE key_versions ADD COLUMN material_description TEXT;
  ALTER TABLE key_versions ADD COLUMN pending_rotation INTEGER NOT NULL DEFAULT 0;
  CREATE INDEX key_versions_by_valid_to ON key_versions (valid_to) WHERE import_state = 'IMPORTED' AND valid_to IS NOT NULL;
  CREATE INDEX key_versions_pending_rotation ON key_versions (key_id) WHERE pending_rotation = 1;
  `,
  // GetKeyLastUsage: each key's latest successful cryptographic use, written in batches by every serving
  // process (only a later use replaces a stored one); it goes with its key.
  `
  CREATE TABLE key_last_usage (
    key_id     TEXT PRIMARY KEY REFERENCES keys (key_id) ON DELETE CASCADE,
    operation  TEXT NOT NULL,
    used_at    INTEGER NOT NULL,
    event_id   TEXT NOT NULL,
    request_id TEXT NOT NULL
  );
  `,
  // Key rotation (issue 11): a key's automatic-rotation schedule (both NULL while rotation is off), when an
  // on-demand rotation it was asked for began (NULL unless one is in progress), and per material version how and
  // when it became current (both NULL for a key's first material, and for every row written before this step:
  // no earlier build rotated). The partial indexes are what the rotation job scans.
  `
  ALTER TABLE keys ADD COLUMN rotation_period_days INTEGER;
  ALTER TABLE keys ADD COLUMN next_rotation_at INTEGER;
  ALTER TABLE keys ADD COLUMN on_demand_rotation_started_at INTEGER;
  ALTER TABLE key_versions ADD COLUMN rotation_type TEXT;
  ALTER TABLE key_versions ADD COLUMN rotated_at INTEGER;
  CREATE INDEX keys_by_next_rotation ON keys (next_rotation_at) WHERE next_rotation_at IS NOT NULL;
  CREATE INDEX keys_by_on_demand_rotation ON keys (on_demand_rotation_started_at) WHERE on_demand_rotation_started_at IS NOT NULL;
  `,
  // Multi-Region keys (issue 14): the Region of the set's primary, on every regional key of the set. A replica
  // is its own row under the storage id `<public id>/<region>` (keys/regional-key.ts), so no other table changes.
  // NULL on every row made before this step: such a key is its own primary.
  `
  ALTER TABLE keys ADD COLUMN primary_region TEXT;
  `,
  // Multi-Region sets across deployments (issue 14 phase 2): the outbox of messages to peer deployments, one row
  // per set, peer Region and kind; seq is bumped by every enqueue (store/peer-outbox-store.ts). The index serves
  // the delivery job's due scan.
  `
  CREATE TABLE peer_outbox (
    public_id    TEXT NOT NULL,
    region       TEXT NOT NULL,
    kind         TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    due_at       INTEGER NOT NULL,
    attempts     INTEGER NOT NULL,
    last_error   TEXT,
    replica_json TEXT,
    PRIMARY KEY (public_id, region, kind)
  );
  CREATE INDEX peer_outbox_by_due ON peer_outbox (due_at);
  `,
]

/** Throws unless the database is exactly at this build's schema version (for processes that must not migrate). */
export function requireLatestSchema(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number
  if (current !== migrations.length) {
    throw new Error(`database schema version ${current} is not this build's (${migrations.length}); only the primary process migrates`)
  }
}

/**
 * Brings the database up to the latest schema. Each step and its version bump commit together, so a
 * crash mid-migration leaves the previous version intact. The version is read inside the step's
 * IMMEDIATE transaction, so two processes opening a new file at once cannot both run the same step.
 * Throws when the database was written by a newer Trent (its user_version is past the end of the list).
 */
export function applyMigrations(db: Database.Database): void {
  const step = db.transaction((): boolean => {
    const current = db.pragma('user_version', { simple: true }) as number
    if (current > migrations.length) {
      throw new Error(`database schema version ${current} is newer than this build supports (${migrations.length})`)
    }
    if (current === migrations.length) return false
    db.exec(migrations[current]!)
    // PRAGMA takes no bound parameters; the value is our own integer, not input.
    db.pragma(`user_version = ${current + 1}`)
    return true
  })
  let stepped = true
  while (stepped) stepped = step.immediate()
}
