//! Follow-up calls due across courses, and finding a course by patient.

use super::CourseDocument;
use crate::domain::case::{Course, Setting};
use crate::domain::protocol::Protocol;
use chrono::NaiveDate;
use serde::Serialize;

/// A follow-up call that is due.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CallDue {
    pub patient_name: String,
    pub mrn: String,
    pub session_id: u32,
    pub session_date: NaiveDate,
    pub due_on: NaiveDate,
    pub days_overdue: i64,
}

/// Sessions without a follow-up whose call is due on or before `today`, across courses,
/// most overdue first.
pub fn follow_up_calls_due(
    protocol: &Protocol,
    courses: &[&CourseDocument],
    today: NaiveDate,
) -> Vec<CallDue> {
    let mut due = Vec::new();
    for doc in courses {
        for s in doc.sessions.iter().filter(|s| s.follow_up.is_none()) {
            let regimen = &s.case.regimen;
            let due_on = follow_up_call_due_on(protocol, regimen.course, regimen.setting, s.date());
            if due_on <= today {
                due.push(CallDue {
                    patient_name: doc.identity.patient_name.clone(),
                    mrn: doc.identity.mrn.clone(),
                    session_id: s.id,
                    session_date: s.date(),
                    due_on,
                    days_overdue: (today - due_on).num_days(),
                });
            }
        }
    }
    due.sort_by(|a, b| b.days_overdue.cmp(&a.days_overdue).then(a.mrn.cmp(&b.mrn)));
    due
}

/// The day a session's follow-up call is due: the pack's weeks after it (a single outpatient
/// infusion has its own interval), in whole days.
pub fn follow_up_call_due_on(
    protocol: &Protocol,
    course: Course,
    setting: Setting,
    session_date: NaiveDate,
) -> NaiveDate {
    let rules = &protocol.pack.course;
    let single = course == Course::Single && setting == Setting::Outpatient;
    let weeks = if single {
        rules.follow_up_call_single_weeks.value
    } else {
        rules.follow_up_call_other_weeks.value
    };
    // Whole days; the pack gives whole weeks.
    session_date + chrono::Duration::days((weeks * 7.0).round() as i64)
}

/// The latest session date whose call can be due by `today` (the shorter interval).
pub fn latest_session_date_with_call_due(protocol: &Protocol, today: NaiveDate) -> NaiveDate {
    let rules = &protocol.pack.course;
    let weeks = rules
        .follow_up_call_single_weeks
        .value
        .min(rules.follow_up_call_other_weeks.value);
    today - chrono::Duration::days((weeks * 7.0).round() as i64)
}

/// Courses whose patient name or MRN contains `query` (case-insensitive).
pub fn matches_search(doc: &CourseDocument, query: &str) -> bool {
    let q = query.trim().to_lowercase();
    q.is_empty()
        || doc.identity.patient_name.to_lowercase().contains(&q)
        || doc.identity.mrn.to_lowercase().contains(&q)
}
