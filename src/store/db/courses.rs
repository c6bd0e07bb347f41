//! A patient's course in the database: import from a course file (one transaction, nothing
//! added twice, a different patient under the same MRN is a conflict), load it back exactly
//! as the file held it, and add a session judged against the count read in the same
//! transaction.

use super::ClinicDb;
use super::conn::{Conn, Row, Value};
use super::error::DbError;
use super::schema::utc_now;
use crate::domain::course::{AuditEntry, CourseDocument, CourseIdentity, Session};
use serde::Serialize;

/// What `course import` prints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportOutcome {
    pub mrn: String,
    pub sessions_added: u32,
    pub sessions_total: u32,
}

/// A course's row version and who changed it last (for the conflict message).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordVersion {
    pub version: i64,
    pub changed_at: String,
    pub changed_by: String,
}

/// A patient as lists show one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PatientRow {
    pub mrn: String,
    pub patient_name: String,
    pub date_of_birth: Option<String>,
    pub sessions: i64,
}

/// One follow-up call due, as `followups` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CallDueRow {
    pub mrn: String,
    pub patient_name: String,
    pub session_id: u32,
    pub session_date: String,
    pub due_date: String,
}

/// One entry of the audit trail, as `audit` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditRow {
    pub at: String,
    pub by: String,
    pub action: String,
    pub session_id: Option<u32>,
}

impl ClinicDb {
    /// Add a course file's patient and sessions; what is already there is skipped.
    pub fn import_course(
        &mut self,
        doc: &CourseDocument,
        by: &str,
    ) -> Result<ImportOutcome, DbError> {
        let mrn = doc.identity.mrn.trim().to_string();
        if mrn.is_empty() {
            return Err(DbError::Rejected("the course file has no MRN".into()));
        }
        self.conn.transaction(|conn| {
            let known = lock_patient(conn, &mrn)?;
            match &known {
                Some((identity, _)) => same_patient(identity, &doc.identity)?,
                None => insert_patient(conn, &mrn, &doc.identity, by)?,
            }
            let stored = load_sessions(conn, &mrn)?;
            let mut added = 0;
            let mut sorted: Vec<&Session> = doc.sessions.iter().collect();
            sorted.sort_by_key(|s| s.id);
            for session in sorted {
                match stored.iter().find(|s| s.id == session.id) {
                    Some(existing) if existing == session => {}
                    Some(_) => {
                        return Err(DbError::Conflict(format!(
                            "MRN {mrn} already has a session {} with other content: nothing was imported",
                            session.id
                        )));
                    }
                    None => {
                        insert_session(conn, &mrn, session)?;
                        audit(conn, &mrn, by, "import session", Some(session.id))?;
                        added += 1;
                    }
                }
            }
            let changes_added = append_changes(conn, &mrn, &doc.audit)?;
            if known.is_some() && (added > 0 || changes_added > 0) {
                bump_version(conn, &mrn, by)?;
            }
            Ok(ImportOutcome {
                mrn: mrn.clone(),
                sessions_added: added,
                sessions_total: count_sessions(conn, &mrn)?,
            })
        })
    }

    /// A patient's course as a course file would hold it, with its row version.
    pub fn load_course(&mut self, mrn: &str) -> Result<(CourseDocument, RecordVersion), DbError> {
        let mrn = mrn.trim().to_string();
        self.conn.transaction(|conn| {
            let Some((identity, version)) = read_patient(conn, &mrn, "")? else {
                return Err(DbError::Rejected(format!(
                    "the clinic database has no patient with MRN {mrn}"
                )));
            };
            let mut doc = CourseDocument::new(identity);
            doc.sessions = load_sessions(conn, &mrn)?;
            doc.audit = load_changes(conn, &mrn)?;
            Ok((doc, version))
        })
    }

    /// Add a session for `mrn`: `build` gets the course as it is inside the transaction
    /// (so the yearly count is current) and returns the session or a refusal. A patient
    /// not yet in the database is added with `identity`.
    pub fn add_session(
        &mut self,
        mrn: &str,
        identity: &CourseIdentity,
        by: &str,
        mut build: impl FnMut(&CourseDocument) -> Result<Session, DbError>,
    ) -> Result<u32, DbError> {
        let mrn = mrn.trim().to_string();
        self.conn.transaction(|conn| {
            let known = lock_patient(conn, &mrn)?;
            let stored_identity = match known {
                Some((stored, _)) => stored,
                None => {
                    insert_patient(conn, &mrn, identity, by)?;
                    identity.clone()
                }
            };
            let mut doc = CourseDocument::new(stored_identity);
            doc.sessions = load_sessions(conn, &mrn)?;
            let mut session = build(&doc)?;
            session.id = doc.sessions.iter().map(|s| s.id).max().unwrap_or(0) + 1;
            insert_session(conn, &mrn, &session)?;
            bump_version(conn, &mrn, by)?;
            audit(conn, &mrn, by, "add session", Some(session.id))?;
            Ok(session.id)
        })
    }
}

/// The patient row, locked for the rest of the transaction where the backend can.
pub(super) fn lock_patient(
    conn: &mut Conn,
    mrn: &str,
) -> Result<Option<(CourseIdentity, RecordVersion)>, DbError> {
    let lock = conn.for_update();
    read_patient(conn, mrn, lock)
}

fn read_patient(
    conn: &mut Conn,
    mrn: &str,
    lock: &str,
) -> Result<Option<(CourseIdentity, RecordVersion)>, DbError> {
    let rows = conn.query(
        &format!(
            "SELECT patient_name, date_of_birth, version, changed_at, changed_by \
             FROM patients WHERE mrn = $1{lock}"
        ),
        &[Value::text(mrn)],
    )?;
    Ok(rows.first().map(|r| {
        (
            CourseIdentity {
                patient_name: text(r, 0),
                mrn: mrn.to_string(),
                date_of_birth: r.get(1).and_then(Value::as_str).map(str::to_string),
            },
            RecordVersion {
                version: r.get(2).and_then(Value::as_i64).unwrap_or(0),
                changed_at: text(r, 3),
                changed_by: text(r, 4),
            },
        )
    }))
}

/// An import may add to a patient only if it is the same person.
pub(super) fn same_patient(stored: &CourseIdentity, file: &CourseIdentity) -> Result<(), DbError> {
    let dob = |d: &Option<String>| d.as_deref().map(str::trim).unwrap_or("").to_string();
    if stored.patient_name.trim() != file.patient_name.trim()
        || dob(&stored.date_of_birth) != dob(&file.date_of_birth)
    {
        return Err(DbError::Conflict(format!(
            "MRN {} is {} (born {}) in the clinic database, but the file names {} (born {}): nothing was imported",
            stored.mrn,
            stored.patient_name,
            dob(&stored.date_of_birth),
            file.patient_name,
            dob(&file.date_of_birth)
        )));
    }
    Ok(())
}

pub(super) fn insert_patient(
    conn: &mut Conn,
    mrn: &str,
    identity: &CourseIdentity,
    by: &str,
) -> Result<(), DbError> {
    conn.execute(
        "INSERT INTO patients (mrn, patient_name, search_text, date_of_birth, version, changed_at, changed_by) \
         VALUES ($1, $2, $3, $4, 1, $5, $6)",
        &[
            Value::text(mrn),
            Value::text(identity.patient_name.trim()),
            Value::text(search_text(mrn, &identity.patient_name)),
            Value::Text(identity.date_of_birth.clone()),
            Value::text(utc_now()),
            Value::text(by),
        ],
    )?;
    audit(conn, mrn, by, "add patient", None)
}

/// What patient search matches: the name and MRN in lower case.
pub(super) fn search_text(mrn: &str, name: &str) -> String {
    format!(
        "{} {}",
        name.trim().to_lowercase(),
        mrn.trim().to_lowercase()
    )
}

pub(super) fn bump_version(conn: &mut Conn, mrn: &str, by: &str) -> Result<(), DbError> {
    conn.execute(
        "UPDATE patients SET version = version + 1, changed_at = $1, changed_by = $2 WHERE mrn = $3",
        &[Value::text(utc_now()), Value::text(by), Value::text(mrn)],
    )
    .map(drop)
}

/// A session's row: (mrn, session_id, started_at, course, setting, follow_up_open, content),
/// the order of `$1…$7` in the statements that write it.
pub(super) fn session_row(mrn: &str, session: &Session) -> Result<[Value; 7], DbError> {
    let content = serde_json::to_string(session)
        .map_err(|e| DbError::Rejected(format!("session {} cannot be stored: {e}", session.id)))?;
    let regimen = &session.case.regimen;
    Ok([
        Value::text(mrn),
        Value::int(i64::from(session.id)),
        Value::text(session.started_at.format("%Y-%m-%dT%H:%M:%S").to_string()),
        Value::text(regimen.course.as_str()),
        Value::text(regimen.setting.as_str()),
        Value::int(i64::from(session.follow_up.is_none())),
        Value::text(content),
    ])
}

pub(super) fn insert_session(conn: &mut Conn, mrn: &str, session: &Session) -> Result<(), DbError> {
    conn.execute(
        "INSERT INTO sessions (mrn, session_id, started_at, course, setting, follow_up_open, content) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &session_row(mrn, session)?,
    )
    .map(drop)
}

pub(super) fn load_sessions(conn: &mut Conn, mrn: &str) -> Result<Vec<Session>, DbError> {
    let rows = conn.query(
        "SELECT session_id, content FROM sessions WHERE mrn = $1 ORDER BY session_id",
        &[Value::text(mrn)],
    )?;
    rows.iter()
        .map(|r| {
            serde_json::from_str::<Session>(r.get(1).and_then(Value::as_str).unwrap_or("")).map_err(
                |e| {
                    DbError::Unavailable(format!(
                        "MRN {mrn} session {} in the clinic database cannot be read: {e}",
                        r.first().and_then(Value::as_i64).unwrap_or(0)
                    ))
                },
            )
        })
        .collect()
}

fn count_sessions(conn: &mut Conn, mrn: &str) -> Result<u32, DbError> {
    let n = conn.query_int(
        "SELECT count(*) FROM sessions WHERE mrn = $1",
        &[Value::text(mrn)],
    )?;
    Ok(u32::try_from(n).unwrap_or(0))
}

/// The file's own change log: entries not yet stored are appended in order.
pub(super) fn append_changes(
    conn: &mut Conn,
    mrn: &str,
    entries: &[AuditEntry],
) -> Result<u32, DbError> {
    let stored = load_changes(conn, mrn)?;
    let mut added = 0;
    let first_seq = stored.len() as i64 + 1;
    let new_entries = entries.iter().filter(|e| !stored.contains(e));
    for (seq, entry) in (first_seq..).zip(new_entries) {
        conn.execute(
            "INSERT INTO course_changes \
             (mrn, seq, at, session_id, field, old_value, new_value, by_user) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            &[
                Value::text(mrn),
                Value::int(seq),
                Value::text(entry.at.format("%Y-%m-%dT%H:%M:%S").to_string()),
                Value::int(i64::from(entry.session_id)),
                Value::text(&entry.field),
                Value::text(&entry.old),
                Value::text(&entry.new),
                Value::Text(entry.by.clone()),
            ],
        )?;
        added += 1;
    }
    Ok(added)
}

fn load_changes(conn: &mut Conn, mrn: &str) -> Result<Vec<AuditEntry>, DbError> {
    let rows = conn.query(
        "SELECT at, session_id, field, old_value, new_value, by_user FROM course_changes \
         WHERE mrn = $1 ORDER BY seq",
        &[Value::text(mrn)],
    )?;
    rows.iter()
        .map(|r| {
            let at = chrono::NaiveDateTime::parse_from_str(&text(r, 0), "%Y-%m-%dT%H:%M:%S")
                .map_err(|e| {
                    DbError::Unavailable(format!(
                        "MRN {mrn}: a change in the clinic database has a bad time: {e}"
                    ))
                })?;
            Ok(AuditEntry {
                at,
                session_id: r.get(1).and_then(Value::as_i64).map_or(0, |n| n as u32),
                field: text(r, 2),
                old: text(r, 3),
                new: text(r, 4),
                by: r.get(5).and_then(Value::as_str).map(str::to_string),
            })
        })
        .collect()
}

/// Append to the audit trail (UTC time, who, what).
pub(super) fn audit(
    conn: &mut Conn,
    mrn: &str,
    by: &str,
    action: &str,
    session_id: Option<u32>,
) -> Result<(), DbError> {
    conn.execute(
        "INSERT INTO audit (mrn, seq, at, by_user, action, session_id) \
         VALUES ($1, (SELECT coalesce(max(seq), 0) + 1 FROM audit WHERE mrn = $2), $3, $4, $5, $6)",
        &[
            Value::text(mrn),
            Value::text(mrn),
            Value::text(utc_now()),
            Value::text(by),
            Value::text(action),
            Value::Int(session_id.map(i64::from)),
        ],
    )
    .map(drop)
}

pub(super) fn text(row: &Row, i: usize) -> String {
    row.get(i).and_then(Value::as_str).unwrap_or("").to_string()
}
