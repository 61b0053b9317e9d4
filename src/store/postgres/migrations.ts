// The PostgreSQL schema as an append-only list of migrations, recorded in schema_migrations (one row per
// applied step). Never edit a shipped entry: databases in the field have already run it. Append a new one.
// The first entry is the whole schema the SQLite driver reached through its first nine steps: there are no
// older PostgreSQL databases to carry forward. Columns hold what SQLite holds (millisecond BIGINTs, 0/1
// INTEGER flags, JSON as TEXT, exactly as written), so both drivers share the row conversions.
// Text that is sorted or compared by range is COLLATE "C": byte order, as SQLite, whatever the database's locale.
import type pg from 'pg'
import { isUniqueViolation, inTransaction, type Query } from './pool.js'

const T = 'TEXT COLLATE "C"'

/**
 * The change feed (docs/caching.md): a row trigger on every cached table appends, in the write's own
 * transaction, one `changes` row per entity touched. Its seq comes from the single change_counter row,
 * whose lock the transaction then holds until it commits: seqs become visible in the order they were
 * handed out, so a reader that has seen seq n has seen every change below n (a plain sequence would let a
 * later commit's seq appear before an earlier one's and a poller skip the gap for good). The cost is that
 * writes to cached tables (key, alias, grant, principal changes; never Encrypt/Decrypt or audit) commit
 * one at a time. Each change also NOTIFYs channel trent_changes with the schema name, so pollers wake early.
 */
function changeFeedSchema(): string {
  // [table, kind, entity column, or '@alias' for account/region/name].
  const feeds: Array<[string, string, string]> = [
    ['accounts', 'account', 'account_id'],
    ['access_keys', 'access_key', 'access_key_id'],
    ['role_sessions', 'role_session', 'access_key_id'],
    ['iam_users', 'user', 'user_id'],
    ['iam_roles', 'role', 'role_id'],
    ['identity_policies', 'identity_policy', 'principal_arn'],
    ['principal_tags', 'principal_tags', 'principal_arn'],
    ['keys', 'key', 'key_id'],
    ['key_versions', 'key_version', 'key_id'],
    ['tags', 'tags', 'key_id'],
    ['grants', 'grants', 'key_id'],
    ['aliases', 'alias', '@alias'],
    // An alias also changes the alias list of the key it names (kms:ResourceAliases), before and after.
    ['aliases', 'key_aliases', 'key_id'],
  ]
  const triggers = feeds.map(([table, kind, column], i) => `
  CREATE TRIGGER changes_${i} AFTER INSERT OR UPDATE OR DELETE ON ${table}
    FOR EACH ROW EXECUTE FUNCTION trent_record_change('${kind}', '${column}');`)
  return `
  CREATE TABLE changes (
    seq    BIGINT PRIMARY KEY,
    kind   ${T} NOT NULL,
    entity ${T} NOT NULL,
    op     ${T} NOT NULL,
    at     BIGINT NOT NULL
  );
  CREATE INDEX changes_by_time ON changes (at);
  CREATE TABLE change_horizon (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    pruned_through BIGINT NOT NULL
  );
  INSERT INTO change_horizon (id, pruned_through) VALUES (1, 0);
  CREATE TABLE change_counter (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL
  );
  INSERT INTO change_counter (id, seq) VALUES (1, 0);

  CREATE FUNCTION trent_change_entity(r jsonb, col text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN col = '@alias' THEN (r->>'account_id') || '/' || (r->>'region') || '/' || (r->>'alias_name') ELSE r->>col END
  $$;
  CREATE FUNCTION trent_append_change(kind text, entity text, op text) RETURNS void LANGUAGE plpgsql AS $$
  DECLARE
    next_seq BIGINT;
  BEGIN
    UPDATE change_counter SET seq = seq + 1 WHERE id = 1 RETURNING seq INTO next_seq;
    INSERT INTO changes (seq, kind, entity, op, at)
      VALUES (next_seq, kind, entity, op, (extract(epoch FROM clock_timestamp()) * 1000)::bigint);
    PERFORM pg_notify('trent_changes', current_schema());
  END
  $$;
  CREATE FUNCTION trent_record_change() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE
    old_entity text;
    new_entity text;
    op text := left(TG_OP, 1);
  BEGIN
    IF TG_OP <> 'INSERT' THEN old_entity := trent_change_entity(to_jsonb(OLD), TG_ARGV[1]); END IF;
    IF TG_OP <> 'DELETE' THEN new_entity := trent_change_entity(to_jsonb(NEW), TG_ARGV[1]); END IF;
    IF old_entity IS NOT NULL THEN PERFORM trent_append_change(TG_ARGV[0], old_entity, op); END IF;
    IF new_entity IS NOT NULL AND new_entity IS DISTINCT FROM old_entity THEN
      PERFORM trent_append_change(TG_ARGV[0], new_entity, op);
    END IF;
    RETURN NULL;
  END
  $$;
  ${triggers.join('\n')}
  `
}

/** Entry i moves the schema from version i to i + 1. */
export const migrations: readonly string[] = [
  `
  CREATE TABLE settings (
    name  ${T} PRIMARY KEY,
    value TEXT NOT NULL
  );
  CREATE TABLE accounts (
    account_id ${T} PRIMARY KEY,
    created_at BIGINT NOT NULL
  );
  -- No foreign key to accounts: callers may provision keys and credentials in either order.
  CREATE TABLE access_keys (
    access_key_id  ${T} PRIMARY KEY,
    account_id     ${T} NOT NULL,
    principal_arn  ${T} NOT NULL,
    principal_id   ${T},
    wrapped_secret BYTEA NOT NULL,
    status         ${T} NOT NULL,
    created_at     BIGINT NOT NULL
  );
  CREATE INDEX access_keys_by_principal ON access_keys (account_id, principal_arn);
  CREATE INDEX access_keys_by_arn ON access_keys (principal_arn);

  CREATE TABLE keys (
    key_id              ${T} PRIMARY KEY,
    account_id          ${T} NOT NULL,
    region              ${T} NOT NULL,
    created_at          BIGINT NOT NULL,
    description         TEXT NOT NULL,
    key_spec            ${T} NOT NULL,
    key_usage           ${T} NOT NULL,
    origin              ${T} NOT NULL,
    key_state           ${T} NOT NULL,
    deletion_date       BIGINT,
    pending_window_days INTEGER,
    policy              TEXT NOT NULL,
    policy_bindings     TEXT,
    current_version     INTEGER NOT NULL,
    multi_region        INTEGER NOT NULL
  );
  CREATE INDEX keys_by_account ON keys (account_id, region, key_id);
  CREATE INDEX keys_by_deletion ON keys (key_state, deletion_date);

  CREATE TABLE key_versions (
    key_id             ${T} NOT NULL REFERENCES keys (key_id),
    version            INTEGER NOT NULL,
    material_id        ${T} NOT NULL,
    material_id_format INTEGER NOT NULL,
    wrapped_material   BYTEA NOT NULL,
    wrap_format        INTEGER NOT NULL,
    created_at         BIGINT NOT NULL,
    PRIMARY KEY (key_id, version)
  );
  CREATE INDEX key_versions_by_wrap_format ON key_versions (wrap_format) WHERE wrap_format = 1;

  CREATE TABLE aliases (
    account_id ${T} NOT NULL,
    region     ${T} NOT NULL,
    alias_name ${T} NOT NULL,
    key_id     ${T} NOT NULL REFERENCES keys (key_id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (account_id, region, alias_name)
  );
  CREATE INDEX aliases_by_key ON aliases (key_id);

  CREATE TABLE tags (
    key_id    ${T} NOT NULL REFERENCES keys (key_id),
    tag_key   ${T} NOT NULL,
    tag_value TEXT NOT NULL,
    PRIMARY KEY (key_id, tag_key)
  );

  CREATE TABLE audit (
    seq           BIGINT PRIMARY KEY,
    event_id      ${T} NOT NULL,
    event_time    BIGINT NOT NULL,
    event_name    ${T} NOT NULL,
    account_id    ${T} NOT NULL,
    access_key_id ${T},
    username      ${T},
    read_only     INTEGER NOT NULL,
    event_source  ${T} NOT NULL,
    hash          ${T},
    record_json   TEXT NOT NULL
  );
  CREATE INDEX audit_by_account ON audit (account_id, event_time, seq);
  CREATE INDEX audit_by_account_name ON audit (account_id, event_name, event_time, seq);
  CREATE INDEX audit_by_account_access_key ON audit (account_id, access_key_id, event_time, seq);
  CREATE INDEX audit_by_account_username ON audit (account_id, username, event_time, seq);
  CREATE INDEX audit_writes_by_account ON audit (account_id, event_time, seq) WHERE read_only = 0;
  CREATE INDEX audit_non_kms_by_account ON audit (account_id, event_source, event_time, seq) WHERE event_source <> 'kms.amazonaws.com';
  CREATE INDEX audit_by_event_id ON audit (event_id);

  CREATE TABLE audit_resources (
    account_id    ${T} NOT NULL,
    resource_name ${T} NOT NULL,
    event_time    BIGINT NOT NULL,
    seq           BIGINT NOT NULL,
    PRIMARY KEY (account_id, resource_name, event_time, seq)
  );
  CREATE INDEX audit_resources_by_seq ON audit_resources (seq);

  CREATE TABLE audit_shared (
    account_id    ${T} NOT NULL,
    event_time    BIGINT NOT NULL,
    seq           BIGINT NOT NULL,
    event_id      ${T} NOT NULL,
    event_name    ${T} NOT NULL,
    access_key_id ${T},
    username      ${T},
    read_only     INTEGER NOT NULL,
    event_source  ${T} NOT NULL,
    PRIMARY KEY (account_id, event_time, seq)
  );
  CREATE INDEX audit_shared_by_name ON audit_shared (account_id, event_name, event_time, seq);
  CREATE INDEX audit_shared_by_access_key ON audit_shared (account_id, access_key_id, event_time, seq);
  CREATE INDEX audit_shared_by_username ON audit_shared (account_id, username, event_time, seq);
  CREATE INDEX audit_shared_writes ON audit_shared (account_id, event_time, seq) WHERE read_only = 0;
  CREATE INDEX audit_shared_non_kms ON audit_shared (account_id, event_source, event_time, seq) WHERE event_source <> 'kms.amazonaws.com';
  CREATE INDEX audit_shared_by_event_id ON audit_shared (event_id);
  CREATE INDEX audit_shared_by_seq ON audit_shared (seq);

  -- The chain head: appenders lock this row (SELECT … FOR UPDATE), so every node extends one chain.
  CREATE TABLE audit_chain (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    genesis_seq BIGINT NOT NULL,
    seq         BIGINT NOT NULL,
    hash        ${T} NOT NULL,
    event_time  ${T}
  );
  INSERT INTO audit_chain (id, genesis_seq, seq, hash) VALUES (1, 0, 0, '${'0'.repeat(64)}');

  CREATE TABLE audit_digests (
    digest_seq  BIGINT PRIMARY KEY,
    last_seq    BIGINT NOT NULL,
    digest_json TEXT NOT NULL
  );

  -- IAM names are unique per account ignoring case; the name keeps the case it was created with.
  CREATE TABLE iam_users (
    account_id ${T} NOT NULL,
    user_name  ${T} NOT NULL,
    path       TEXT NOT NULL,
    user_id    ${T} NOT NULL UNIQUE,
    arn        ${T} NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (account_id, user_name)
  );
  CREATE UNIQUE INDEX iam_users_by_folded_name ON iam_users (account_id, lower(user_name));
  CREATE INDEX iam_users_by_arn ON iam_users (arn);

  CREATE TABLE iam_roles (
    account_id ${T} NOT NULL,
    role_name  ${T} NOT NULL,
    path       TEXT NOT NULL,
    role_id    ${T} NOT NULL UNIQUE,
    arn        ${T} NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (account_id, role_name)
  );
  CREATE UNIQUE INDEX iam_roles_by_folded_name ON iam_roles (account_id, lower(role_name));
  CREATE INDEX iam_roles_by_arn ON iam_roles (arn);

  CREATE TABLE identity_policies (
    principal_arn ${T} NOT NULL,
    policy_name   ${T} NOT NULL,
    document      TEXT NOT NULL,
    updated_at    BIGINT NOT NULL,
    PRIMARY KEY (principal_arn, policy_name)
  );

  CREATE TABLE principal_tags (
    principal_arn ${T} NOT NULL,
    tag_key       ${T} NOT NULL,
    tag_value     TEXT NOT NULL,
    PRIMARY KEY (principal_arn, tag_key)
  );

  CREATE TABLE role_sessions (
    access_key_id  ${T} PRIMARY KEY,
    account_id     ${T} NOT NULL,
    role_arn       ${T} NOT NULL,
    role_id        ${T},
    session_name   TEXT NOT NULL,
    wrapped_secret BYTEA NOT NULL,
    token_hash     ${T} NOT NULL,
    created_at     BIGINT NOT NULL,
    expires_at     BIGINT NOT NULL
  );
  CREATE INDEX role_sessions_by_role ON role_sessions (role_arn);

  CREATE TABLE grants (
    grant_id           ${T} PRIMARY KEY,
    key_id             ${T} NOT NULL,
    issuing_account    ${T} NOT NULL,
    name               ${T},
    fingerprint        ${T} NOT NULL,
    grantee_principal  ${T} NOT NULL,
    grantee_id         ${T},
    retiring_principal ${T},
    retiring_id        ${T},
    operations         TEXT NOT NULL,
    constraints        TEXT,
    created_at         BIGINT NOT NULL
  );
  CREATE INDEX grants_by_key ON grants (key_id, grant_id);
  CREATE INDEX grants_by_grantee ON grants (key_id, grantee_principal);
  CREATE INDEX grants_by_name ON grants (key_id, name, fingerprint);
  CREATE INDEX grants_by_retiring ON grants (retiring_principal, grant_id);
  -- A key's grants go when the key row goes (the SQLite driver does it with a trigger too).
  CREATE FUNCTION trent_grants_follow_their_key() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    DELETE FROM grants WHERE key_id = OLD.key_id;
    RETURN NULL;
  END
  $$;
  CREATE TRIGGER grants_follow_their_key AFTER DELETE ON keys FOR EACH ROW EXECUTE FUNCTION trent_grants_follow_their_key();

  -- Leases for work that must run in one process at a time (the scheduled jobs), across every node.
  CREATE TABLE leases (
    name       ${T} PRIMARY KEY,
    holder     ${T} NOT NULL,
    expires_at BIGINT NOT NULL
  );

  -- Rows locked (never read) to serialise the writers that check a limit: see lockName() in pool.ts.
  CREATE TABLE store_locks (
    name ${T} PRIMARY KEY
  );
  ${changeFeedSchema()}
  `,
  // Imported key material, as SQLite step 10: each EXTERNAL key's material row says how it was imported (NULL
  // import_state is material Trent generated). The row triggers of the change feed already cover new columns.
  `
  ALTER TABLE key_versions ADD COLUMN import_state ${T};
  ALTER TABLE key_versions ADD COLUMN expiration_model ${T};
  ALTER TABLE key_versions ADD COLUMN valid_to BIGINT;
  ALTER TABLE key_versions ADD COLUMN material_description TEXT;
  ALTER TABLE key_versions ADD COLUMN pending_rotation INTEGER NOT NULL DEFAULT 0;
  CREATE INDEX key_versions_by_valid_to ON key_versions (valid_to) WHERE import_state = 'IMPORTED' AND valid_to IS NOT NULL;
  CREATE INDEX key_versions_pending_rotation ON key_versions (key_id) WHERE pending_rotation = 1;
  `,
  // GetKeyLastUsage, as SQLite step 11: each key's latest use, replaced only by a later one; it goes with its key.
  // Not a cached table, so no change-feed trigger.
  `
  CREATE TABLE key_last_usage (
    key_id     ${T} PRIMARY KEY REFERENCES keys (key_id) ON DELETE CASCADE,
    operation  ${T} NOT NULL,
    used_at    BIGINT NOT NULL,
    event_id   ${T} NOT NULL,
    request_id ${T} NOT NULL
  );
  `,
  // Key rotation, as SQLite step 12: the automatic schedule, a pending on-demand start, and per version how and
  // when it became current. The partial indexes are what the rotation job scans.
  `
  ALTER TABLE keys ADD COLUMN rotation_period_days INTEGER;
  ALTER TABLE keys ADD COLUMN next_rotation_at BIGINT;
  ALTER TABLE keys ADD COLUMN on_demand_rotation_started_at BIGINT;
  ALTER TABLE key_versions ADD COLUMN rotation_type ${T};
  ALTER TABLE key_versions ADD COLUMN rotated_at BIGINT;
  CREATE INDEX keys_by_next_rotation ON keys (next_rotation_at) WHERE next_rotation_at IS NOT NULL;
  CREATE INDEX keys_by_on_demand_rotation ON keys (on_demand_rotation_started_at) WHERE on_demand_rotation_started_at IS NOT NULL;
  `,
  // Multi-Region keys, as SQLite step 13: the Region of the set's primary on every regional key of the set (a
  // replica is its own row under `<public id>/<region>`); NULL on older rows, each its own primary. The keys
  // table's change-feed row trigger fires on any UPDATE, so a primary_region change reaches other nodes' caches.
  `
  ALTER TABLE keys ADD COLUMN primary_region ${T};
  `,
  // The outbox to peer deployments, as SQLite step 14 (store/peer-outbox-store.ts). Not a cached table, so no
  // change-feed trigger: only the delivery job reads it, under the jobs lease.
  `
  CREATE TABLE peer_outbox (
    public_id    ${T} NOT NULL,
    region       ${T} NOT NULL,
    kind         ${T} NOT NULL,
    seq          BIGINT NOT NULL,
    due_at       BIGINT NOT NULL,
    attempts     INTEGER NOT NULL,
    last_error   TEXT,
    replica_json TEXT,
    PRIMARY KEY (public_id, region, kind)
  );
  CREATE INDEX peer_outbox_by_due ON peer_outbox (due_at);
  `,
]


async function appliedVersion(query: Query): Promise<number> {
  const { rows } = await query('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations')
  return Number((rows[0] as { v: number }).v)
}

/**
 * Brings the schema up to the latest version, one step per transaction (a crash mid-step leaves the previous
 * version intact: PostgreSQL DDL is transactional). Each step runs under pg_advisory_xact_lock, so nodes
 * starting together wait for one another instead of failing; the schema_migrations primary key is the
 * backstop where advisory locks do nothing (CockroachDB): a second runner's insert of the same version fails
 * and the retry finds the step done. Throws when the schema was written by a newer Trent.
 */
export async function applyMigrations(pool: pg.Pool, schema: string | undefined): Promise<void> {
  for (;;) {
    const step = inTransaction(pool, async (query) => {
      // Keyed by the schema's name (it may not exist yet), so runs on other schemas never wait on this one.
      await query("SELECT pg_advisory_xact_lock(hashtext('trent-migrations/' || $1))", [schema ?? ''])
      if (schema !== undefined) await query(`CREATE SCHEMA IF NOT EXISTS ${schema}`)
      await query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)')
      const current = await appliedVersion(query)
      if (current > migrations.length) {
        throw new Error(`database schema version ${current} is newer than this build supports (${migrations.length})`)
      }
      if (current === migrations.length) return false
      await query(migrations[current]!)
      await query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [current + 1, Date.now()])
      return true
    })
    // Another runner applied the same step first (possible only where the advisory lock is a no-op): look again.
    const stepped = await step.catch((e: unknown) => {
      if (isUniqueViolation(e)) return true
      throw e
    })
    if (!stepped) return
  }
}
