//! Sessions from the Case pages: adding the planned case as a session and pre-filling
//! the wizard for the next visit.

use super::*;
use crate::domain::course::{NewSessionError, case_identity, session_from_plan};

impl CourseState {
    /// Add the case on the Case pages as a session, with the plan as ordered. Refused when
    /// the case is incomplete, the plan says do not proceed, or it is another patient.
    pub fn add_session_from_plan(
        &mut self,
        protocol: &Protocol,
        case: Option<&Case>,
        plan: Option<&crate::domain::Plan>,
        today: NaiveDate,
    ) -> Result<u32, String> {
        let (Some(case), Some(plan)) = (case, plan) else {
            return Err(
                "The case on the Case pages is not complete: finish it before adding it as a session."
                    .into(),
            );
        };
        if plan.proceed == Proceed::No {
            return Err(NewSessionError::DoNotProceed.to_string());
        }
        let identity = case_identity(case);
        if identity.mrn.trim().is_empty() {
            return Err(NewSessionError::NoMrn.to_string());
        }
        if let Some(doc) = &self.doc
            && !doc.identity.mrn.trim().is_empty()
            && doc.identity.mrn.trim() != identity.mrn.trim()
        {
            return Err(format!(
                "This course is for MRN {}, the case is for MRN {}: open that patient's course or start a new one.",
                doc.identity.mrn, identity.mrn
            ));
        }
        let now = self.now();
        let time = NaiveTime::from_hms_opt(now.hour(), now.minute(), 0).unwrap_or_default();
        let session = session_from_plan(protocol, case, plan, today.and_time(time))
            .map_err(|e| e.to_string())?;
        let doc = self
            .doc
            .get_or_insert_with(|| CourseDocument::new(identity.clone()));
        if doc.identity.mrn.trim().is_empty() {
            doc.identity = identity;
        }
        let id = doc.add_session(session);
        self.selected = Some(id);
        self.follow_up = None;
        Ok(id)
    }

    /// Pre-fill the wizard for the next visit from the last session.
    pub fn request_next_visit(&mut self, protocol: &Protocol, today: NaiveDate) {
        let Some(doc) = &self.doc else {
            return;
        };
        let Some((case, previous)) = next_visit_case(protocol, doc, today) else {
            self.notify(CourseNoticeKind::Warning, "The course has no session yet.");
            return;
        };
        let last_date = doc
            .sessions
            .iter()
            .max_by_key(|s| s.started_at)
            .map(|s| s.date());
        let draft = next_visit_draft(protocol, &case, last_date, today);
        self.requests.push(CourseRequest::NextVisit {
            draft: Box::new(draft),
            previous: previous.into_iter().collect(),
        });
    }
}

/// The wizard's draft for the next visit. A date weighed that the case does not carry is
/// taken as the last session's date, so an old weight is flagged, never hidden.
pub fn next_visit_draft(
    protocol: &Protocol,
    case: &Case,
    last_session: Option<NaiveDate>,
    today: NaiveDate,
) -> CaseDraft {
    let value = serde_json::to_value(case).unwrap_or(Value::Null);
    let mut draft = CaseDraft::from_case_value(protocol, &value, today);
    let weighed = case.order.as_ref().and_then(|o| o.weighed_on.clone());
    if weighed.is_none()
        && let Some(date) = last_session
    {
        draft.weighed_on = crate::order::format::date(date);
    }
    draft
}
