// The SQLite schema as an append-only list of migrations, tracked with PRAGMA user_version.
// Never edit a shipped entry: databases in the field have already run it. Append a new one instead.
import type Database from 'better-sqlite3'

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
]

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
