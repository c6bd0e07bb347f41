//! The clinic's own audit trail (schema 4): acts that belong to no patient's course — users
//! added and disabled, sign-ins and unlocks, lockouts, signatures — each with who and when.

use super::ClinicDb;
use super::conn::{Conn, Value};
use super::courses::text;
use super::error::DbError;
use super::schema::utc_now;

/// One entry of the clinic's audit trail (acts that belong to no patient's course).
pub(super) fn clinic_audit(
    conn: &mut Conn,
    by: &str,
    action: &str,
    subject: &str,
) -> Result<(), DbError> {
    conn.execute(
        "INSERT INTO clinic_audit (seq, at, by_user, action, subject) \
         VALUES ((SELECT coalesce(max(seq), 0) + 1 FROM clinic_audit), $1, $2, $3, $4)",
        &[
            Value::text(utc_now()),
            Value::text(by),
            Value::text(action),
            Value::text(subject),
        ],
    )
    .map(drop)
}

/// One entry of the clinic's audit trail, as `audit --clinic` prints it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ClinicAuditRow {
    pub at: String,
    pub by: String,
    pub action: String,
    pub subject: String,
}

impl ClinicDb {
    /// The clinic's audit trail (users, lockouts, signatures), oldest first.
    pub fn clinic_audit_trail(&mut self) -> Result<Vec<ClinicAuditRow>, DbError> {
        let rows = self.conn.query(
            "SELECT at, by_user, action, subject FROM clinic_audit ORDER BY seq",
            &[],
        )?;
        Ok(rows
            .iter()
            .map(|r| ClinicAuditRow {
                at: super::schema::shown_utc(&text(r, 0)),
                by: text(r, 1),
                action: text(r, 2),
                subject: text(r, 3),
            })
            .collect())
    }
}
