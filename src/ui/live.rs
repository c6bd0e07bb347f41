//! Everything derived from the draft, recomputed every frame (no cached copies, so nothing
//! can go stale): the case value, its field errors, the plan, and what blocks the order.

use crate::domain::case::{Case, FieldError, Patient, WeightEntry, WeightUnit, case_from_value};
use crate::domain::findings::{DoseField, MonitoringTier, codes_needing_justification};
use crate::domain::protocol::{AlertKind, Protocol, Severity};
use crate::domain::weight::{self, DosingWeights};
use crate::domain::{Plan, plan};
use crate::ui::actions::Page;
use crate::ui::draft::{AgeSource, CaseDraft, age_on, parse_date};
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

/// A short human name for a contract path, for lists far from the field.
pub fn field_label(protocol: &Protocol, field: &str) -> String {
    if let Some(code) = field.strip_prefix("screening.") {
        return protocol
            .finding(code)
            .and_then(|d| d.screening.as_ref())
            .map_or_else(|| code.to_string(), |q| q.question.clone());
    }
    if let Some(code) = field.strip_prefix("justifications.") {
        return protocol.reason_label(code);
    }
    let known = match field {
        "" => "Case",
        "patient.age_years" => "Age",
        "patient.weight" | "patient.weight.value" | "patient.weight.unit" => "Weight",
        "patient.height_cm" => "Height",
        "patient.sex" => "Sex",
        "condition" => "Indication",
        "condition_detail" => "Description of the condition",
        "risk_scores.ort" => "ORT score",
        "risk_scores.soapp_r" => "SOAPP-R score",
        "regimen.setting" => "Setting",
        "regimen.course" => "Course",
        "regimen.dosing_weight" => "Dosing weight basis",
        "regimen.bolus.value" | "regimen.bolus" => "Bolus",
        "regimen.bolus.minutes" => "Bolus minutes",
        "regimen.infusion.value" | "regimen.infusion" => "Starting infusion",
        "regimen.max_infusion.value" | "regimen.max_infusion" => "Titration ceiling",
        "regimen.duration_h" => "Duration",
        "regimen.concentration_mg_per_ml" => "Concentration",
        "history.treatments_past_12_months" => "Sessions in the past 12 months",
        "order.patient_name" => "Patient name",
        "order.mrn" => "MRN",
        "order.date_of_birth" => "Date of birth",
        "order.weighed_on" => "Date weighed",
        "order.allergies" => "Allergies",
        "order.prescriber" => "Prescriber",
        "order.supervising_physician_name" => "Supervising physician",
        "order.administering_clinician_name" => "Administering clinician",
        "order.airway_clinician_name" => "Airway clinician",
        "order.attest.supervising_physician" => "Supervising physician attestation",
        "order.attest.administering_clinician" => "Administering clinician attestation",
        "order.attest.resuscitation_ready" => "Resuscitation readiness attestation",
        "order.attest.airway_clinician_available" => "Airway clinician attestation",
        other => other,
    };
    known.to_string()
}

/// The contract path of the dose field a limit alert belongs to.
pub fn alert_field_path(draft: &CaseDraft, field: DoseField) -> &'static str {
    match field {
        DoseField::Bolus => "regimen.bolus.value",
        // Infusion limits are judged at the ceiling.
        DoseField::Infusion if draft.ceiling_on => "regimen.max_infusion.value",
        DoseField::Infusion => "regimen.infusion.value",
        DoseField::Pump | DoseField::Concentration => "regimen.concentration_mg_per_ml",
        DoseField::Weight => "patient.weight.value",
    }
}

fn blockers(protocol: &Protocol, draft: &CaseDraft, live: &Live, today: NaiveDate) -> Vec<Blocker> {
    let mut out = Vec::new();
    let mut push = |field: &str, text: String, stops: bool| {
        out.push(Blocker {
            field: field.to_string(),
            text,
            stops,
        });
    };
    for e in &live.errors {
        push(
            &e.field,
            format!("{}: {}", field_label(protocol, &e.field), e.message),
            false,
        );
    }
    // Unanswered questions keep the order blocked even while another field is still
    // invalid (then there is no plan yet, and the draft's own answers say what is missing).
    let unanswered: Vec<String> = match &live.plan {
        Some(plan) => plan.unanswered_screening.clone(),
        None => protocol
            .required_screening_codes()
            .filter(|d| !draft.answers.contains_key(&d.code))
            .map(|d| d.code.clone())
            .collect(),
    };
    if let Some(first) = unanswered.first() {
        let n = unanswered.len();
        push(
            &format!("screening.{first}"),
            format!(
                "{n} screening question{} not answered (first: {})",
                if n == 1 { "" } else { "s" },
                field_label(protocol, &format!("screening.{first}"))
            ),
            false,
        );
    }
    if let Some(plan) = &live.plan {
        for f in plan
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Stop)
        {
            let field = if protocol.is_screening_code(&f.code) {
                format!("screening.{}", f.code)
            } else {
                "patient.age_years".to_string()
            };
            push(
                &field,
                format!("STOP: {} — {}", f.display_title(), f.message),
                true,
            );
        }
        for a in plan
            .limit_alerts
            .iter()
            .filter(|a| a.kind == AlertKind::Hard)
        {
            push(
                alert_field_path(draft, a.field),
                format!("HARD LIMIT: {} — {}", a.display_title(), a.message),
                true,
            );
        }
        let justified = live
            .case
            .as_ref()
            .map(|c| c.justifications.clone())
            .unwrap_or_default();
        for code in codes_needing_justification(&plan.findings, &plan.limit_alerts) {
            if !justified.contains_key(&code) {
                push(
                    &format!("justifications.{code}"),
                    format!("A reason is needed for {}", protocol.title_for(&code)),
                    false,
                );
            }
        }
        let needs_airway = plan.monitoring_tier >= MonitoringTier::Monitored;
        let attest = [
            (
                draft.attest_supervising_physician,
                "order.attest.supervising_physician",
            ),
            (
                draft.attest_administering_clinician,
                "order.attest.administering_clinician",
            ),
            (
                draft.attest_resuscitation_ready,
                "order.attest.resuscitation_ready",
            ),
        ];
        for (given, field) in attest {
            if given != Some(true) {
                push(
                    field,
                    format!("{} not given", field_label(protocol, field)),
                    false,
                );
            }
        }
        if needs_airway && draft.attest_airway_clinician_available != Some(true) {
            let field = "order.attest.airway_clinician_available";
            push(
                field,
                format!(
                    "{} not given (needed at the {} tier)",
                    field_label(protocol, field),
                    plan.monitoring_tier.as_str()
                ),
                false,
            );
        }
    }
    // Identifiers the order needs (the validator accepts a case without them).
    let identifiers = [
        ("order.patient_name", &draft.patient_name),
        ("order.mrn", &draft.mrn),
        ("order.date_of_birth", &draft.date_of_birth),
        ("order.weighed_on", &draft.weighed_on),
        ("order.prescriber", &draft.prescriber),
    ];
    for (field, text) in identifiers {
        if text.trim().is_empty() && !live.errors.iter().any(|e| e.field == field) {
            push(
                field,
                format!("{} is missing", field_label(protocol, field)),
                false,
            );
        }
    }
    let allergies_given = match draft.allergy_answer {
        crate::ui::draft::AllergyAnswer::Unanswered => false,
        crate::ui::draft::AllergyAnswer::NoneKnown => true,
        crate::ui::draft::AllergyAnswer::Listed => !draft.allergies.trim().is_empty(),
    };
    if !allergies_given {
        push(
            "order.allergies",
            "Allergies: list them, or choose \"no known allergies\"".to_string(),
            false,
        );
    }
    if draft.condition.as_deref() == Some("other") && draft.condition_detail.trim().is_empty() {
        push(
            "condition_detail",
            "Describe the condition (\"other\" is printed with its description)".to_string(),
            false,
        );
    }
    if let Some(problem) = weighed_on_problem(protocol, draft, today) {
        push("order.weighed_on", problem, false);
    }
    if let Some(problem) = age_mismatch(draft, today) {
        push("order.date_of_birth", problem, false);
    }
    out
}

/// Why the date weighed cannot be used on an order today, if it cannot.
pub fn weighed_on_problem(
    protocol: &Protocol,
    draft: &CaseDraft,
    today: NaiveDate,
) -> Option<String> {
    let weighed = parse_date(&draft.weighed_on)?;
    let max_days = protocol.pack.order.weight_max_age_days.value;
    let days = (today - weighed).num_days();
    if days < 0 {
        Some("Date weighed is in the future".to_string())
    } else if days as f64 > max_days {
        Some(format!(
            "The weight is {days} days old (more than {} days): weigh the patient again",
            crate::order::format::number(max_days)
        ))
    } else {
        None
    }
}

/// A typed age that the date of birth contradicts.
pub fn age_mismatch(draft: &CaseDraft, today: NaiveDate) -> Option<String> {
    if draft.age_source != AgeSource::Entered {
        return None;
    }
    let born = parse_date(&draft.date_of_birth)?;
    let from_dob = age_on(born, today)?;
    let typed = draft.age_years.trim().parse::<u32>().ok()?;
    (typed != from_dob)
        .then(|| format!("The date of birth gives age {from_dob}, but age {typed} was entered"))
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
            draft.answers.insert(d.code.clone(), false);
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
