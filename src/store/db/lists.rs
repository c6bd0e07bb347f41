//! Clinic-wide lists read from the database without opening every course: follow-up calls
//! due, patient search and a course's audit trail.

use super::ClinicDb;
use super::conn::Value;
use super::courses::{AuditRow, CallDueRow, PatientRow, search_text, text};
use super::error::DbError;
use crate::domain::case::{Course, Setting};
use crate::domain::course::{follow_up_call_due_on, latest_session_date_with_call_due};
use crate::domain::protocol::Protocol;
use chrono::NaiveDate;

impl ClinicDb {
    /// Follow-up calls due on or before `today` across every patient (the rules of step 8),
    /// sorted by due date, then MRN and session. Only sessions still waiting for their call
    /// and old enough to be due are read (an index on them keeps this fast).
    pub fn followups(
        &mut self,
        protocol: &Protocol,
        today: NaiveDate,
    ) -> Result<Vec<CallDueRow>, DbError> {
        let latest = latest_session_date_with_call_due(protocol, today);
        // Sessions on `latest` (any time that day) qualify: compare before the next day.
        let before = (latest + chrono::Duration::days(1))
            .format("%Y-%m-%d")
            .to_string();
        let rows = self.conn.query(
            "SELECT s.mrn, p.patient_name, s.session_id, s.started_at, s.course, s.setting \
             FROM sessions s JOIN patients p ON p.mrn = s.mrn \
             WHERE s.follow_up_open = 1 AND s.started_at < $1",
            &[Value::text(before)],
        )?;
        let mut due = Vec::new();
        for r in &rows {
            let started = text(r, 3);
            let (Some(date), Some(course), Some(setting)) = (
                started
                    .get(..10)
                    .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
                Course::parse(&text(r, 4)),
                Setting::parse(&text(r, 5)),
            ) else {
                return Err(DbError::Unavailable(format!(
                    "MRN {} session {}: the clinic database holds a session it cannot read",
                    text(r, 0),
                    r.get(2).and_then(Value::as_i64).unwrap_or(0)
                )));
            };
            let due_on = follow_up_call_due_on(protocol, course, setting, date);
            if due_on <= today {
                due.push(CallDueRow {
                    mrn: text(r, 0),
                    patient_name: text(r, 1),
                    session_id: r.get(2).and_then(Value::as_i64).map_or(0, |n| n as u32),
                    session_date: date.format("%Y-%m-%d").to_string(),
                    due_date: due_on.format("%Y-%m-%d").to_string(),
                });
            }
        }
        due.sort_by(|a, b| {
            (&a.due_date, &a.mrn, a.session_id).cmp(&(&b.due_date, &b.mrn, b.session_id))
        });
        Ok(due)
    }

    /// Patients whose name or MRN contains `query` (case-insensitive), by name; at most
    /// `limit`. An empty query lists the most recently changed.
    pub fn search_patients(&mut self, query: &str, limit: u32) -> Result<Vec<PatientRow>, DbError> {
        let needle = search_text("", query).trim().to_string();
        let (order, filter) = if needle.is_empty() {
            ("p.changed_at DESC", "")
        } else {
            (
                "p.patient_name, p.mrn",
                "WHERE p.search_text LIKE $2 ESCAPE '!'",
            )
        };
        let sql = format!(
            "SELECT p.mrn, p.patient_name, p.date_of_birth, \
             (SELECT count(*) FROM sessions s WHERE s.mrn = p.mrn) \
             FROM patients p {filter} ORDER BY {order} LIMIT $1"
        );
        let mut params = vec![Value::int(i64::from(limit))];
        if !needle.is_empty() {
            let escaped = needle
                .replace('!', "!!")
                .replace('%', "!%")
                .replace('_', "!_");
            params.push(Value::text(format!("%{escaped}%")));
        }
        let rows = self.conn.query(&sql, &params)?;
        Ok(rows
            .iter()
            .map(|r| PatientRow {
                mrn: text(r, 0),
                patient_name: text(r, 1),
                date_of_birth: r.get(2).and_then(Value::as_str).map(str::to_string),
                sessions: r.get(3).and_then(Value::as_i64).unwrap_or(0),
            })
            .collect())
    }

    /// The append-only trail of changes to one patient's course, oldest first.
    pub fn audit_trail(&mut self, mrn: &str) -> Result<Vec<AuditRow>, DbError> {
        let mrn = mrn.trim();
        let known = self.conn.query_int(
            "SELECT count(*) FROM patients WHERE mrn = $1",
            &[Value::text(mrn)],
        )?;
        if known == 0 {
            return Err(DbError::Rejected(format!(
                "the clinic database has no patient with MRN {mrn}"
            )));
        }
        let rows = self.conn.query(
            "SELECT at, by_user, action, session_id FROM audit WHERE mrn = $1 ORDER BY seq",
            &[Value::text(mrn)],
        )?;
        Ok(rows
            .iter()
            .map(|r| AuditRow {
                at: text(r, 0),
                by: text(r, 1),
                action: text(r, 2),
                session_id: r.get(3).and_then(Value::as_i64).map(|n| n as u32),
            })
            .collect())
    }
}
