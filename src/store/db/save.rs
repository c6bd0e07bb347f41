//! Saving a course the app has open back to the database without losing anyone's update:
//! the save names the row version it was based on and is refused, saying who changed the
//! course and when, if the record has moved on since.

use super::ClinicDb;
use super::conn::Conn;
use super::courses::{
    RecordVersion, audit, bump_version, insert_patient, insert_session, load_sessions,
    lock_patient, same_patient, session_row,
};
use super::error::DbError;
use super::schema::shown_utc;
use crate::domain::course::{CourseDocument, Session};

impl ClinicDb {
    /// Save `doc` as the new state of its patient's course. `based_on` is the version the
    /// app read (None: a course new to the database). New sessions are added, changed ones
    /// replaced (each audited); a session the database holds is never removed. Returns the
    /// new version.
    pub fn save_course(
        &mut self,
        doc: &CourseDocument,
        based_on: Option<&RecordVersion>,
        by: &str,
    ) -> Result<RecordVersion, DbError> {
        let mrn = doc.identity.mrn.trim().to_string();
        if mrn.is_empty() {
            return Err(DbError::Rejected(
                "the course has no MRN: add a session for a patient first".into(),
            ));
        }
        self.conn.transaction(|conn| {
            let mut changed = false;
            match (lock_patient(conn, &mrn)?, based_on) {
                // A new patient starts at version 1: its insertion is the change.
                (None, None) => insert_patient(conn, &mrn, &doc.identity, by)?,
                (None, Some(_)) => {
                    return Err(DbError::Conflict(format!(
                        "MRN {mrn} is no longer in the clinic database: nothing was saved."
                    )));
                }
                (Some((_, now)), None) => {
                    return Err(DbError::Conflict(format!(
                        "MRN {mrn} is already in the clinic database (last changed by {} at {}): \
                         open it from Patients, or import this file. Nothing was saved.",
                        now.changed_by,
                        shown_utc(&now.changed_at)
                    )));
                }
                (Some((_, now)), Some(read)) if now.version != read.version => {
                    return Err(DbError::Conflict(format!(
                        "{} changed this course at {} after you opened it. Nothing was saved: \
                         reload it, and your unsaved changes are kept.",
                        now.changed_by,
                        shown_utc(&now.changed_at)
                    )));
                }
                (Some((stored, _)), Some(_)) => same_patient(&stored, &doc.identity)?,
            }
            let stored = load_sessions(conn, &mrn)?;
            if let Some(missing) = stored
                .iter()
                .find(|s| !doc.sessions.iter().any(|d| d.id == s.id))
            {
                return Err(DbError::Rejected(format!(
                    "MRN {mrn}: session {} is in the clinic database but not in this course; \
                     a session is never removed, nothing was saved",
                    missing.id
                )));
            }
            for session in &doc.sessions {
                match stored.iter().find(|s| s.id == session.id) {
                    None => {
                        insert_session(conn, &mrn, session)?;
                        audit(conn, &mrn, by, "add session", Some(session.id))?;
                        changed = true;
                    }
                    Some(old) if old != session => {
                        replace_session(conn, &mrn, session)?;
                        audit(conn, &mrn, by, "change session", Some(session.id))?;
                        changed = true;
                    }
                    Some(_) => {}
                }
            }
            changed |= super::courses::append_changes(conn, &mrn, &doc.audit)? > 0;
            // A save that changes nothing leaves other workstations' copies current.
            if changed && based_on.is_some() {
                bump_version(conn, &mrn, by)?;
            }
            Ok(lock_patient(conn, &mrn)?
                .map(|(_, v)| v)
                .unwrap_or(RecordVersion {
                    version: 0,
                    changed_at: String::new(),
                    changed_by: String::new(),
                }))
        })
    }
}

fn replace_session(conn: &mut Conn, mrn: &str, session: &Session) -> Result<(), DbError> {
    conn.execute(
        "UPDATE sessions SET started_at = $3, course = $4, setting = $5, follow_up_open = $6, \
         content = $7 WHERE mrn = $1 AND session_id = $2",
        &session_row(mrn, session)?,
    )
    .map(drop)
}
