//! A new session from a planned case: the case as ordered with its plan, refused when the
//! plan says do not proceed or the case names no patient. Shared by the app's "add as
//! session" and `ketaplan session add`.

use super::{CourseIdentity, OrderedPlan, Session};
use crate::domain::case::Case;
use crate::domain::findings::Proceed;
use crate::domain::order_identity::order_number;
use crate::domain::plan::Plan;
use crate::domain::protocol::Protocol;
use chrono::NaiveDateTime;

/// Why a planned case cannot become a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewSessionError {
    /// The plan says do not proceed (a stop finding or a hard limit).
    DoNotProceed,
    /// The case has no MRN.
    NoMrn,
}

impl std::fmt::Display for NewSessionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            NewSessionError::DoNotProceed => {
                "The plan says do not proceed (a stop finding): it cannot be added as a session."
            }
            NewSessionError::NoMrn => "The case has no MRN: enter it on the Patient page first.",
        })
    }
}

/// The patient a case's order names.
pub fn case_identity(case: &Case) -> CourseIdentity {
    let order = case.order.clone().unwrap_or_default();
    CourseIdentity {
        patient_name: order.patient_name.unwrap_or_default(),
        mrn: order.mrn.unwrap_or_default(),
        date_of_birth: order.date_of_birth,
    }
}

/// The session for `case` as planned (id 0 until a course numbers it), started at
/// `started_at`; its order number is the case's, else the one the order sheet would print.
pub fn session_from_plan(
    protocol: &Protocol,
    case: &Case,
    plan: &Plan,
    started_at: NaiveDateTime,
) -> Result<Session, NewSessionError> {
    if plan.proceed == Proceed::No {
        return Err(NewSessionError::DoNotProceed);
    }
    if case_identity(case).mrn.trim().is_empty() {
        return Err(NewSessionError::NoMrn);
    }
    let mut case = case.clone();
    // The course records no follow-up inside the case: each session has its own.
    case.follow_up = None;
    let number = case
        .order
        .as_ref()
        .and_then(|o| o.order_number.clone())
        .unwrap_or_else(|| order_number(protocol, &case, started_at.date()));
    Ok(Session {
        id: 0,
        started_at,
        justifications: case.justifications.clone(),
        ordered: OrderedPlan {
            protocol_id: protocol.pack.id.to_string(),
            protocol_sha256: protocol.sha256.to_string(),
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
    })
}
