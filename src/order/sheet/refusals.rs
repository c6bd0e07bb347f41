//! The refusal checks: every reason an order must not be printed, in the contract's order.

use super::{OrderOptions, Refusal, RefusalReason, given, justification_for, usable_extra};
use crate::domain::case::Case;
use crate::domain::findings::{MonitoringTier, Proceed};
use crate::domain::plan::Plan;
use crate::domain::protocol::{AlertKind, Protocol, Severity};
use crate::order::format as f;

/// The attestation at the `monitored` and `icu` tiers only.
const AIRWAY_ATTESTATION: &str = "airway_clinician_available";

/// Every reason the order must not be printed, in the contract's order.
pub fn refusals(
    protocol: &Protocol,
    case: &Case,
    plan: &Plan,
    options: &OrderOptions,
) -> Vec<Refusal> {
    let mut out = Vec::new();
    let mut refuse = |reason: RefusalReason, message: String| {
        out.push(Refusal { reason, message });
    };

    // 1. The plan says no.
    if plan.proceed == Proceed::No {
        let mut blockers: Vec<String> = plan
            .findings
            .iter()
            .filter(|x| x.severity == Severity::Stop)
            .map(|x| format!("[stop] {} ({})", x.code, x.display_title()))
            .collect();
        blockers.extend(
            plan.limit_alerts
                .iter()
                .filter(|a| a.kind == AlertKind::Hard)
                .map(|a| format!("hard limit {} ({})", a.code, a.display_title())),
        );
        refuse(
            RefusalReason::ProceedNo,
            format!(
                "The plan's verdict is \"no\" ({}): no order can be printed for this plan.",
                blockers.join(", ")
            ),
        );
    }

    // 2. Every [avoid] finding and soft alert needs a reason.
    let min_chars = protocol.pack.input_limits.justification_min_chars.value;
    let extra = usable_extra(protocol, options);
    let extra_too_short = given(&options.extra_justification).is_some() && extra.is_none();
    let mut lacking = Vec::new();
    for x in plan
        .findings
        .iter()
        .filter(|x| x.severity == Severity::Avoid)
    {
        if justification_for(case, extra, &x.code).is_none() {
            lacking.push(format!(
                "[avoid] finding {} ({})",
                x.code,
                x.display_title()
            ));
        }
    }
    for a in plan
        .limit_alerts
        .iter()
        .filter(|a| a.kind == AlertKind::Soft)
    {
        if justification_for(case, extra, &a.code).is_none() {
            lacking.push(format!(
                "soft limit alert {} ({})",
                a.code,
                a.display_title()
            ));
        }
    }
    for what in &lacking {
        let hint = if extra_too_short {
            format!(
                "the --justification text is shorter than {} characters",
                f::number(min_chars)
            )
        } else {
            "add a reason in justifications or with --justification".to_string()
        };
        refuse(
            RefusalReason::MissingJustification,
            format!("No justification for the {what}: {hint}."),
        );
    }

    // 3. Every screening question answered.
    if !plan.unanswered_screening.is_empty() {
        refuse(
            RefusalReason::UnansweredScreening,
            format!(
                "Screening questions not answered (neither in screening nor in screening_no): {}.",
                plan.unanswered_screening.join(", ")
            ),
        );
    }

    // 4. Identifiers and the prescriber.
    let empty = crate::domain::case::OrderInfo::default();
    let order = case.order.as_ref().unwrap_or(&empty);
    let fields: [(&str, &Option<String>, &str); 6] = [
        (
            "patient_name",
            &order.patient_name,
            "the patient's full name",
        ),
        ("mrn", &order.mrn, "the medical record number"),
        ("date_of_birth", &order.date_of_birth, "YYYY-MM-DD"),
        (
            "weighed_on",
            &order.weighed_on,
            "the date the weight was measured, YYYY-MM-DD",
        ),
        (
            "allergies",
            &order.allergies,
            "write \"no known allergies\" explicitly when there are none",
        ),
        (
            "prescriber",
            &order.prescriber,
            "the ordering physician's name",
        ),
    ];
    for (name, value, hint) in fields {
        if given(value).is_none() {
            refuse(
                RefusalReason::MissingOrderField,
                format!("The order block lacks {name} ({hint})."),
            );
        }
    }

    // 5. Attestations.
    let attest = order.attest.clone().unwrap_or_default();
    let mut attestations = vec![
        (
            "supervising_physician",
            attest.supervising_physician,
            "the supervising physician (ACLS, moderate sedation, immediately available)",
        ),
        (
            "administering_clinician",
            attest.administering_clinician,
            "the administering clinician (trained in moderate sedation, ACLS)",
        ),
        (
            "resuscitation_ready",
            attest.resuscitation_ready,
            "resuscitation equipment and staff present",
        ),
    ];
    if plan.monitoring_tier != MonitoringTier::Standard {
        attestations.push((
            AIRWAY_ATTESTATION,
            attest.airway_clinician_available,
            "an airway/ACLS clinician available (required at the monitored and ICU tiers)",
        ));
    }
    for (name, value, what) in attestations {
        let state = match value {
            Some(true) => continue,
            Some(false) => "is false",
            None => "is missing",
        };
        refuse(
            RefusalReason::Attestation,
            format!("The attestation order.attest.{name} {state}: {what}."),
        );
    }

    // 6. Dates judged on the order date.
    let date = options.order_date;
    if let Some(text) = given(&order.weighed_on) {
        let max_days = protocol.pack.order.weight_max_age_days.value;
        match crate::domain::case::parse_date(text) {
            None => refuse(
                RefusalReason::WeightTooOld,
                format!("order.weighed_on {text} is not a YYYY-MM-DD date."),
            ),
            Some(weighed) => {
                let age_days = (date - weighed).num_days();
                if age_days < 0 {
                    refuse(
                        RefusalReason::WeightTooOld,
                        format!(
                            "The weight is dated {} (order.weighed_on), after the order date {}.",
                            f::date(weighed),
                            f::date(date)
                        ),
                    );
                } else if age_days as f64 > max_days {
                    refuse(
                        RefusalReason::WeightTooOld,
                        format!(
                            "The weight was taken on {}, {} days before the order date {} (at most {} days): weigh the patient again.",
                            f::date(weighed),
                            f::number(age_days as f64),
                            f::date(date),
                            f::number(max_days)
                        ),
                    );
                }
            }
        }
    }
    if let Some(text) = given(&order.date_of_birth) {
        match crate::domain::case::parse_date(text) {
            None => refuse(
                RefusalReason::DateOfBirth,
                format!("order.date_of_birth {text} is not a YYYY-MM-DD date."),
            ),
            Some(born) => match date.years_since(born) {
                Some(age) if age == case.patient.age_years => {}
                Some(age) => refuse(
                    RefusalReason::DateOfBirth,
                    format!(
                        "The date of birth {} gives {} on the order date {}, but patient.age_years is {}.",
                        f::date(born),
                        f::years(age),
                        f::date(date),
                        f::number(f64::from(case.patient.age_years))
                    ),
                ),
                None => refuse(
                    RefusalReason::DateOfBirth,
                    format!(
                        "The date of birth {} is after the order date {}.",
                        f::date(born),
                        f::date(date)
                    ),
                ),
            },
        }
    }
    out.extend(super::dating::dating_refusals(protocol, case, options));
    out
}
