//! The next visit's case, pre-filled from the course.

use super::{CourseDocument, summarize};
use crate::domain::case::Case;
use crate::domain::protocol::Protocol;
use chrono::NaiveDate;

/// The next visit's case, pre-filled from the last session: the yearly count and the
/// unresolved LFT rise from the course, no follow-up, no justifications, no attestations, and the day-to-day answers
/// returned to unanswered. Also returns last time's answers for those codes (Yes = true).
pub fn next_visit_case(
    protocol: &Protocol,
    doc: &CourseDocument,
    on: NaiveDate,
) -> Option<(Case, Vec<(String, bool)>)> {
    let last = doc.sessions.iter().max_by_key(|s| s.started_at)?;
    let mut case = last.case.clone();
    let mut previous = Vec::new();
    for code in &protocol.pack.course.day_to_day_codes {
        let yes = case.screening.iter().any(|c| c == code);
        let no = case.screening_no.iter().any(|c| c == code);
        if yes || no {
            previous.push((code.clone(), yes));
        }
        case.screening.retain(|c| c != code);
        case.screening_no.retain(|c| c != code);
    }
    let summary = summarize(protocol, doc, on);
    case.history.treatments_past_12_months = summary.treatments_past_12_months;
    // A raised liver test with no normal result since (V4-18): the plan judges it.
    case.history.lft_raised_unresolved = summary.lft_raised_unresolved;
    // The follow-up of the last session is the response this visit judges.
    case.follow_up = last.follow_up.clone();
    case.justifications.clear();
    if let Some(order) = case.order.as_mut() {
        order.attest = None;
        order.order_number = None;
    }
    Some((case, previous))
}
