//! What the course says on a planned date: the yearly count, cumulative dose, responses,
//! liver tests and the course findings.

use super::exposure::{is_prolonged, reexposure_within, urinary_on_record};
use super::lft::{LftRise, assess_lft};
use super::{CourseDocument, Session};
use crate::domain::case::{Course, Setting};
use crate::domain::findings::Finding;
use crate::domain::protocol::Protocol;
use crate::domain::response::{self, Response};
use crate::domain::units::cmp_value;
use chrono::NaiveDate;
use serde::Serialize;

pub const COURSE_SUMMARY_SCHEMA: &str = "ketaplan.course-summary/1";

/// What the course says on a planned date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CourseSummary {
    pub schema: &'static str,
    pub on: NaiveDate,
    pub treatments_past_12_months: u32,
    pub cumulative_mg_12_months: f64,
    pub infusion_hours_12_months: f64,
    pub last_response: Option<Response>,
    pub repeat_supported: bool,
    pub findings: Vec<Finding>,
    /// Response of every session with a follow-up, by session id.
    pub responses: Vec<SessionResponse>,
    /// Every raised liver test value on or before `on` (V4-18), oldest first.
    pub lft_raised: Vec<LftRise>,
    /// A raised enzyme has no later normal result of the same enzyme: the app copies this
    /// to the next visit's `history.lft_raised_unresolved`.
    pub lft_raised_unresolved: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SessionResponse {
    pub session_id: u32,
    pub response: Response,
}

/// Days from `earlier` to `later` (negative when `earlier` is after `later`).
fn days_between(earlier: NaiveDate, later: NaiveDate) -> i64 {
    (later - earlier).num_days()
}

/// Sessions in the window before `on`: on or after `on − window_days + 1` and before or
/// on `on`... precisely: 0 ≤ days before `on` < window_days (a session exactly one window
/// ago is a year old and no longer counts).
pub fn sessions_in_window<'a>(
    protocol: &Protocol,
    doc: &'a CourseDocument,
    on: NaiveDate,
) -> Vec<&'a Session> {
    let window = protocol.pack.course.window_days.value;
    doc.sessions
        .iter()
        .filter(|s| {
            let days = days_between(s.date(), on) as f64;
            days >= 0.0 && days < window
        })
        .collect()
}

/// Everything derived from the course for a session planned on `on`.
pub fn summarize(protocol: &Protocol, doc: &CourseDocument, on: NaiveDate) -> CourseSummary {
    let pack = &protocol.pack;
    let window = sessions_in_window(protocol, doc, on);
    let treatments = u32::try_from(window.len()).unwrap_or(u32::MAX);
    let cumulative_mg: f64 = window.iter().map(|s| s.mg()).sum();
    let hours: f64 = window.iter().map(|s| s.hours()).sum();

    // COURSE-02 / V4-17: the next session would be number `treatments + 1` this year.
    let next_number = f64::from(treatments.saturating_add(1));
    let count_within_limit = next_number <= pack.annual.exceeded_above.value;
    // The session a follow-up describes is judged on that session's own setting and course.
    let responses: Vec<SessionResponse> = doc
        .sessions
        .iter()
        .filter(|s| s.date() <= on)
        .filter_map(|s| {
            s.follow_up.as_ref().map(|f| SessionResponse {
                session_id: s.id,
                response: response::assess(
                    &pack.response,
                    f,
                    s.case.regimen.setting,
                    s.case.regimen.course,
                    count_within_limit,
                ),
            })
        })
        .collect();
    let last_session = doc
        .sessions
        .iter()
        .filter(|s| s.date() <= on)
        .max_by_key(|s| s.started_at);
    let last_response = last_session
        .and_then(|s| responses.iter().find(|r| r.session_id == s.id))
        .map(|r| r.response.clone());
    let repeat_supported =
        count_within_limit && last_response.as_ref().is_some_and(|r| r.repeat_supported);

    let mut codes: Vec<&str> = Vec::new();
    if next_number > pack.annual.exceeded_above.value {
        codes.push("annual_treatments_exceeded");
    } else if next_number > pack.annual.high_above.value {
        codes.push("annual_treatments_high");
    }
    let lft = assess_lft(protocol, doc, on);
    if !lft.rises.is_empty() {
        codes.push("lft_raised");
    }
    if urinary_on_record(protocol, doc, on) {
        codes.push("urinary_symptoms_on_record");
    }
    // V4-16: "judges … against the prompt value": reaching it (≥) prompts the review.
    if cmp_value(cumulative_mg) >= pack.course.cumulative_mg_prompt_from.value {
        codes.push("cumulative_dose_high");
    }
    let reexposure = reexposure_within(protocol, doc, on);
    if reexposure || last_session.is_some_and(|last| lft_due_after(protocol, last)) {
        codes.push("lft_due");
    }
    if let Some(last) = last_session
        && follow_up_missing(protocol, last, on)
    {
        codes.push("follow_up_missing");
    }
    if reexposure {
        codes.push("reexposure_within_90_days");
    }
    let mut findings: Vec<Finding> = codes
        .into_iter()
        .filter_map(|c| protocol.finding(c))
        .map(Finding::from_course_def)
        .collect();
    findings.sort_by_key(|f| (f.severity, protocol.finding_index(&f.code)));

    CourseSummary {
        schema: COURSE_SUMMARY_SCHEMA,
        on,
        treatments_past_12_months: treatments,
        cumulative_mg_12_months: cumulative_mg,
        infusion_hours_12_months: hours,
        last_response,
        repeat_supported,
        findings,
        responses,
        lft_raised: lft.rises,
        lft_raised_unresolved: lft.unresolved,
    }
}

/// The contract's LFT rule (TEST-03) applied to the last session; an infusion lasting more
/// than 24 h counts as continuous (V4-03).
fn lft_due_after(protocol: &Protocol, last: &Session) -> bool {
    let tests = &protocol.pack.tests;
    let regimen = &last.case.regimen;
    let continuous = regimen.course == Course::Continuous || is_prolonged(protocol, last);
    tests.lft_codes.iter().any(|c| last.case.answered_yes(c))
        || (continuous && tests.lft_for_continuous_course)
        || (regimen.course == Course::Series
            && super::exposure::highest_mg_per_kg_per_h(protocol, last)
                >= tests.lft_series_ceiling_from_mg_per_kg_per_h.value)
}

/// The last session has no follow-up although it is due.
fn follow_up_missing(protocol: &Protocol, last: &Session, on: NaiveDate) -> bool {
    if last.follow_up.is_some() {
        return false;
    }
    let regimen = &last.case.regimen;
    let course = &protocol.pack.course;
    let single_outpatient =
        regimen.course == Course::Single && regimen.setting == Setting::Outpatient;
    let weeks = if single_outpatient {
        course.follow_up_single_after_weeks.value
    } else {
        course.follow_up_other_after_weeks.value
    };
    let days_since = days_between(last.date(), on) as f64;
    cmp_value(days_since / 7.0) >= weeks
}
