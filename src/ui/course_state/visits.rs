//! Sessions from the Case pages: adding the planned case as a session and pre-filling
//! the wizard for the next visit.

use super::*;

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
            return Err(
                "The plan says do not proceed (a stop finding): it cannot be added as a session."
                    .into(),
            );
        }
        let order = case.order.clone().unwrap_or_default();
        let identity = CourseIdentity {
            patient_name: order.patient_name.clone().unwrap_or_default(),
            mrn: order.mrn.clone().unwrap_or_default(),
            date_of_birth: order.date_of_birth.clone(),
        };
        if identity.mrn.trim().is_empty() {
            return Err("The case has no MRN: enter it on the Patient page first.".into());
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
        let mut case = case.clone();
        // The course records no follow-up inside the case: each session has its own.
        case.follow_up = None;
        let number = order
            .order_number
            .clone()
            .unwrap_or_else(|| order_number(protocol, &case, today));
        let session = Session {
            id: 0,
            started_at: today.and_time(time),
            justifications: case.justifications.clone(),
            ordered: OrderedPlan {
                protocol_id: protocol.pack.id.clone(),
                protocol_sha256: protocol.sha256.clone(),
                order_number: Some(number),
                infusion_mg_per_h: plan.infusion_mg_per_h,
                pump_ml_per_h: plan.pump_ml_per_h,
                max_infusion_mg_per_kg_per_h: plan.max_infusion_mg_per_kg_per_h,
                total_mg: plan.total_mg,
                monitoring_tier: plan.monitoring_tier.as_str().to_string(),
                dosing_weight_kg: Some(plan.dosing_weight_kg),
            },
            case,
            given: None,
            follow_up: None,
            bedside: None,
            lft: Vec::new(),
        };
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
