//! The schema's versioned migrations, embedded in the binary, and the check that a database
//! holds exactly this binary's schema before anything reads or writes it.

use super::conn::{Conn, Value};
use super::error::DbError;

/// One migration: SQL for both backends, then each backend's own (triggers).
struct Migration {
    version: i64,
    name: &'static str,
    common: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "clinic",
        common: include_str!("migrations/0001_clinic.sql"),
        sqlite: include_str!("migrations/0001_clinic.sqlite.sql"),
        postgres: include_str!("migrations/0001_clinic.postgres.sql"),
    },
    Migration {
        version: 2,
        name: "order_ledger",
        common: include_str!("migrations/0002_order_ledger.sql"),
        sqlite: include_str!("migrations/0002_order_ledger.sqlite.sql"),
        postgres: include_str!("migrations/0002_order_ledger.postgres.sql"),
    },
    Migration {
        version: 3,
        name: "users",
        common: include_str!("migrations/0003_users.sql"),
        sqlite: include_str!("migrations/0003_users.sqlite.sql"),
        postgres: include_str!("migrations/0003_users.postgres.sql"),
    },
    Migration {
        version: 4,
        name: "signatures",
        common: include_str!("migrations/0004_signatures.sql"),
        sqlite: include_str!("migrations/0004_signatures.sqlite.sql"),
        postgres: include_str!("migrations/0004_signatures.postgres.sql"),
    },
];

/// The schema version this binary reads and writes.
pub fn binary_schema_version() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

/// The database's schema version: 0 for an empty database.
pub fn schema_version(conn: &mut Conn) -> Result<i64, DbError> {
    let exists_sql = match conn {
        Conn::Sqlite(_) => {
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'ketaplan_migrations'"
        }
        Conn::Postgres(_) => {
            "SELECT count(*) FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_name = 'ketaplan_migrations'"
        }
    };
    let exists = conn.query_int(exists_sql, &[])? > 0;
    if !exists {
        return Ok(0);
    }
    conn.query_int("SELECT max(version) FROM ketaplan_migrations", &[])
}

/// Refuse a database whose schema is not this binary's (exit 6), naming what to do.
pub fn require_current(conn: &mut Conn, shown_as: &str) -> Result<(), DbError> {
    let found = schema_version(conn)?;
    let ours = binary_schema_version();
    match found.cmp(&ours) {
        std::cmp::Ordering::Equal => Ok(()),
        std::cmp::Ordering::Less if found == 0 => Err(DbError::SchemaMismatch(format!(
            "{shown_as} has no ketaplan schema yet: run `ketaplan db migrate --db {shown_as}` first"
        ))),
        std::cmp::Ordering::Less => Err(DbError::SchemaMismatch(format!(
            "{shown_as} has schema {found}, this ketaplan uses {ours}: run `ketaplan db migrate` to upgrade it"
        ))),
        std::cmp::Ordering::Greater => Err(DbError::SchemaMismatch(format!(
            "{shown_as} has schema {found}, newer than this ketaplan's {ours}: install the newer ketaplan; nothing was read or written"
        ))),
    }
}

/// Create or upgrade the schema (idempotent); `time_zone` is the clinic's IANA zone, kept
/// from the first migration unless given again. Returns the schema version.
pub fn migrate(
    conn: &mut Conn,
    shown_as: &str,
    time_zone: Option<&str>,
    default_zone: &str,
) -> Result<i64, DbError> {
    let ours = binary_schema_version();
    conn.transaction(|conn| {
        let found = schema_version(conn)?;
        if found > ours {
            return Err(DbError::SchemaMismatch(format!(
                "{shown_as} has schema {found}, newer than this ketaplan's {ours}: it was not changed"
            )));
        }
        if found == 0 {
            conn.batch(
                "CREATE TABLE ketaplan_migrations (\
                 version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
            )?;
        }
        for m in MIGRATIONS.iter().filter(|m| m.version > found) {
            conn.batch(m.common)?;
            let own = match conn {
                Conn::Sqlite(_) => m.sqlite,
                Conn::Postgres(_) => m.postgres,
            };
            conn.batch(own)?;
            conn.execute(
                "INSERT INTO ketaplan_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                &[Value::int(m.version), Value::text(m.name), Value::text(utc_now())],
            )?;
        }
        let stored = conn.query(
            "SELECT value FROM ketaplan_meta WHERE key = 'time_zone'",
            &[],
        )?;
        match (time_zone, stored.is_empty()) {
            (Some(zone), false) => {
                conn.execute(
                    "UPDATE ketaplan_meta SET value = $1 WHERE key = 'time_zone'",
                    &[Value::text(zone)],
                )?;
            }
            (zone, true) => {
                conn.execute(
                    "INSERT INTO ketaplan_meta (key, value) VALUES ('time_zone', $1)",
                    &[Value::text(zone.unwrap_or(default_zone))],
                )?;
            }
            (None, false) => {}
        }
        Ok(ours)
    })
}

/// The clinic's time zone as stored by `db migrate`.
pub fn clinic_time_zone(conn: &mut Conn) -> Result<Option<String>, DbError> {
    let rows = conn.query(
        "SELECT value FROM ketaplan_meta WHERE key = 'time_zone'",
        &[],
    )?;
    Ok(rows
        .first()
        .and_then(|r| r.first())
        .and_then(|v| v.as_str().map(str::to_string)))
}

/// A UTC time the audit trail wrote, as people read it: `YYYY-MM-DD HH:MM UTC`.
pub fn shown_utc(stored: &str) -> String {
    match chrono::NaiveDateTime::parse_from_str(stored, "%Y-%m-%dT%H:%M:%SZ") {
        Ok(t) => format!("{} UTC", t.format("%Y-%m-%d %H:%M")),
        Err(_) => stored.to_string(),
    }
}

/// UTC now as the audit trail writes it: `YYYY-MM-DDTHH:MM:SSZ`.
pub fn utc_now() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}
