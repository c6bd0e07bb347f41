//! What keeps the order from printing: field errors, unanswered screening, stops and hard
//! limits, missing reasons, attestations and identifiers, and date-weighed and age problems.

use super::{Blocker, Live, alert_field_path, field_label};
use crate::domain::findings::{MonitoringTier, codes_needing_justification};
use crate::domain::protocol::{AlertKind, Protocol, Severity};
use crate::ui::draft::{AgeSource, CaseDraft, age_on, parse_date};
use chrono::NaiveDate;

pub(super) fn blockers(
    protocol: &Protocol,
    draft: &CaseDraft,
    live: &Live,
    today: NaiveDate,
) -> Vec<Blocker> {
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
        Some(plan) => plan
            .unanswered_screening
            .iter()
            .map(|c| c.to_string())
            .collect(),
        None => protocol
            .required_screening_codes()
            .filter(|d| !draft.answers.contains_key(d.code.as_str()))
            .map(|d| d.code.to_string())
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
