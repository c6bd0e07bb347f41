//! The clinic database (`shared/spec/clinic-db.md`): one shared record of every patient's
//! course on an embedded SQLite file or the clinic's PostgreSQL server, behind one type.

mod clinic_audit;
mod conn;
mod courses;
mod error;
mod ledger;
mod lists;
mod open;
mod save;
mod schema;
mod signatures;
mod tls;
mod url;
mod users;
mod zone;

pub use clinic_audit::ClinicAuditRow;
pub use courses::{AuditRow, CallDueRow, ImportOutcome, PatientRow, RecordVersion};
pub use error::DbError;
pub use schema::{binary_schema_version, shown_utc};
pub use signatures::ToSign;
pub use url::{DbUrl, redact};
pub use users::{Credentials, LOCK_AFTER_FAILED_LOGINS, LOCKED_FOR_MINUTES, Role, UserRow};
pub use zone::{check_time_zone, machine_time_zone, now_in};

use conn::Conn;

/// The operating system's login name: who the audit trail names when no one else is given
/// (`--user`, later the signed-in user).
pub fn login_name() -> Option<String> {
    ["USER", "LOGNAME", "USERNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
}

/// An open clinic database.
pub struct ClinicDb {
    conn: Conn,
    url: DbUrl,
}

/// What `db status` prints.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DbStatus {
    pub backend: &'static str,
    pub schema_version: i64,
    pub patients: i64,
    pub sessions: i64,
}

impl ClinicDb {
    /// Open a database that exists and holds this binary's schema. The app's default SQLite
    /// file is created (owner-only) and migrated on first use; any other missing file is
    /// refused, so a mistyped `--db` never answers from an empty database.
    pub fn open(url: &DbUrl, default_zone: &str) -> Result<ClinicDb, DbError> {
        ClinicDb::open_with_password(url, None, default_zone)
    }

    /// As `open`, with the server password the user typed (the app asks when the server
    /// wants one that `PGPASSWORD` and `~/.pgpass` do not give).
    pub fn open_with_password(
        url: &DbUrl,
        password: Option<&str>,
        default_zone: &str,
    ) -> Result<ClinicDb, DbError> {
        let mut db = ClinicDb {
            conn: open::connect(url, false, password)?,
            url: url.clone(),
        };
        if matches!(url, DbUrl::Sqlite { default: true, .. })
            && schema::schema_version(&mut db.conn)? == 0
        {
            schema::migrate(&mut db.conn, &url.redacted(), None, default_zone)?;
        }
        schema::require_current(&mut db.conn, &url.redacted())?;
        Ok(db)
    }

    /// `db migrate`: create (an SQLite file too) or upgrade the schema; idempotent.
    pub fn migrate(
        url: &DbUrl,
        time_zone: Option<&str>,
        default_zone: &str,
    ) -> Result<i64, DbError> {
        if let Some(zone) = time_zone {
            zone::check_time_zone(zone).map_err(DbError::Rejected)?;
        }
        let mut conn = open::connect(url, true, None)?;
        schema::migrate(&mut conn, &url.redacted(), time_zone, default_zone)
    }

    /// `db status`: the schema version, and the counts when the schema is this binary's.
    pub fn status(url: &DbUrl) -> Result<DbStatus, (i64, DbError)> {
        let mut conn = open::connect(url, false, None).map_err(|e| (0, e))?;
        let mut version = schema::schema_version(&mut conn).map_err(|e| (0, e))?;
        // The app's own file is created and migrated on first use, whoever uses it first.
        if version == 0 && matches!(url, DbUrl::Sqlite { default: true, .. }) {
            version = schema::migrate(&mut conn, &url.redacted(), None, &machine_time_zone())
                .map_err(|e| (0, e))?;
        }
        schema::require_current(&mut conn, &url.redacted()).map_err(|e| (version, e))?;
        Ok(DbStatus {
            backend: url.backend(),
            schema_version: version,
            patients: conn
                .query_int("SELECT count(*) FROM patients", &[])
                .map_err(|e| (version, e))?,
            sessions: conn
                .query_int("SELECT count(*) FROM sessions", &[])
                .map_err(|e| (version, e))?,
        })
    }

    /// The clinic's IANA time zone, as `db migrate` stored it.
    pub fn time_zone(&mut self) -> Result<Option<String>, DbError> {
        schema::clinic_time_zone(&mut self.conn)
    }

    /// The clinic's wall-clock time now (its zone from `db migrate`), as course files
    /// write session times.
    pub fn clinic_now(&mut self) -> Result<chrono::NaiveDateTime, DbError> {
        let zone = self.time_zone()?;
        Ok(zone::now_in(zone.as_deref()))
    }

    /// How the connection travels: `None` for an SQLite file, else the server's word for
    /// it (`TLSv1.3`, or `unencrypted`), so an admin can see that `sslmode` took effect.
    pub fn encryption(&mut self) -> Result<Option<String>, DbError> {
        if matches!(self.url, DbUrl::Sqlite { .. }) {
            return Ok(None);
        }
        let rows = self.conn.query(
            "SELECT CASE WHEN ssl THEN version ELSE 'unencrypted' END \
             FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            &[],
        )?;
        let shown = rows
            .first()
            .and_then(|r| r.first())
            .and_then(conn::Value::as_str)
            .unwrap_or("unencrypted");
        Ok(Some(shown.to_string()))
    }

    pub fn url(&self) -> &DbUrl {
        &self.url
    }
}
