//! Everything derived from the draft, recomputed every frame (no cached copies, so nothing
//! can go stale): the case value, its field errors, the plan, and what blocks the order.

mod blockers;
mod labels;

pub use blockers::{age_mismatch, weighed_on_problem};
pub use labels::{alert_field_path, field_label};

use crate::domain::case::{Case, FieldError, Patient, WeightEntry, WeightUnit, case_from_value};
use crate::domain::protocol::Protocol;
use crate::domain::weight::{self, DosingWeights};
use crate::domain::{Plan, plan};
use crate::ui::actions::Page;
use crate::ui::draft::CaseDraft;
use blockers::blockers;
use chrono::NaiveDate;
use serde_json::Value;

/// Something that keeps the order from printing, with the field that fixes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Blocker {
    /// Contract path (`patient.weight.value`), or `screening.CODE` for a screening row.
    pub field: String,
    pub text: String,
    /// A [stop] finding or hard limit: the plan itself says no.
    pub stops: bool,
}

impl Blocker {
    pub fn page(&self) -> Page {
        Page::for_field(&self.field)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepStatus {
    Complete,
    NeedsAttention,
    Blocked,
}

pub struct Live {
    pub value: Value,
    pub errors: Vec<FieldError>,
    pub case: Option<Case>,
    pub plan: Option<Plan>,
    /// Ideal/adjusted weights and BMI from the engine as soon as the patient block is valid
    /// (the full plan needs a regimen too).
    pub weights: Option<DosingWeights>,
    pub blockers: Vec<Blocker>,
}

impl Live {
    pub fn compute(protocol: &Protocol, draft: &CaseDraft, today: NaiveDate) -> Live {
        let value = draft.to_value(protocol, today);
        let (case, errors) = match case_from_value(protocol, &value) {
            Ok(case) => (Some(case), Vec::new()),
            Err(errors) => (None, errors),
        };
        let plan = case.as_ref().map(|c| plan(protocol, c));
        let weights = preview_weights(protocol, draft, &value, &errors);
        let mut live = Live {
            value,
            errors,
            case,
            plan,
            weights,
            blockers: Vec::new(),
        };
        live.blockers = blockers(protocol, draft, &live, today);
        live
    }

    /// Errors for a field and everything under it (`regimen.bolus` → `regimen.bolus.value`).
    pub fn errors_for<'a>(&'a self, path: &'a str) -> impl Iterator<Item = &'a FieldError> + 'a {
        self.errors.iter().filter(move |e| {
            e.field == path
                || e.field
                    .strip_prefix(path)
                    .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
        })
    }

    pub fn status(&self, page: Page) -> StepStatus {
        let proceed_no = self
            .plan
            .as_ref()
            .is_some_and(|p| p.proceed == crate::domain::findings::Proceed::No);
        match page {
            Page::Order if !self.blockers.is_empty() => StepStatus::Blocked,
            Page::Review if proceed_no => StepStatus::Blocked,
            Page::Review if self.plan.is_none() => StepStatus::NeedsAttention,
            _ if self.blockers.iter().any(|b| b.page() == page) => StepStatus::NeedsAttention,
            _ => StepStatus::Complete,
        }
    }

    /// The first thing that blocks a step (for the link beside a blocked step).
    pub fn first_blocker(&self, page: Page) -> Option<&Blocker> {
        match page {
            Page::Review => self.blockers.iter().find(|b| b.stops),
            _ => self.blockers.first(),
        }
    }
}

fn preview_weights(
    protocol: &Protocol,
    draft: &CaseDraft,
    value: &Value,
    errors: &[FieldError],
) -> Option<DosingWeights> {
    if errors.iter().any(|e| e.field.starts_with("patient.")) {
        return None;
    }
    // The validator accepted every patient field, so these reads succeed.
    let p = value.get("patient")?;
    let patient = Patient {
        age_years: p
            .get("age_years")
            .and_then(Value::as_f64)
            .map_or(0, |a| a as u32),
        weight: WeightEntry {
            value: p.get("weight")?.get("value")?.as_f64()?,
            unit: match draft.weight_unit {
                crate::ui::draft::WeightUnitChoice::Kg => WeightUnit::Kg,
                crate::ui::draft::WeightUnitChoice::Lb => WeightUnit::Lb,
            },
        },
        height_cm: p.get("height_cm").and_then(Value::as_f64),
        sex: draft.sex,
    };
    weight::dosing_weight(&protocol.pack.dosing_weight, &patient, draft.dosing_weight).or_else(
        || {
            weight::dosing_weight(
                &protocol.pack.dosing_weight,
                &patient,
                crate::domain::case::DosingWeightBasis::Actual,
            )
        },
    )
}

#[cfg(test)]
mod screening_status_tests {
    use super::*;

    #[test]
    fn an_empty_case_shows_screening_as_needing_attention() {
        let Ok(protocol) = Protocol::built_in() else {
            panic!("built-in pack invalid")
        };
        let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap_or_default();
        let mut draft = CaseDraft::default();
        let live = Live::compute(&protocol, &draft, today);
        assert!(live.plan.is_none());
        assert_eq!(live.status(Page::Screening), StepStatus::NeedsAttention);
        // Every question answered: no screening blocker, even without a plan.
        for d in protocol.screening_codes() {
            draft.answers.insert(d.code.to_string(), false);
        }
        let live = Live::compute(&protocol, &draft, today);
        assert!(
            !live
                .blockers
                .iter()
                .any(|b| b.field.starts_with("screening."))
        );
        assert_eq!(live.status(Page::Screening), StepStatus::Complete);
    }
}
