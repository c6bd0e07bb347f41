//! A plan's findings: the condition's, the screening answers' (escalated when their rule
//! holds), and the rules' own (population, abuse risk, dose, first infusion, course, yearly
//! count, response), sorted by severity then pack order.

use super::rescue::BENZODIAZEPINE_CONTRAINDICATION;
use crate::domain::case::{Case, Course, Setting};
use crate::domain::findings::{Finding, MonitoringTier};
use crate::domain::protocol::{ConditionDef, EscalationWhen, Protocol};
use crate::domain::response::{self, Response};
use crate::domain::units::{MgPerKgPerHour, cmp_value};

/// Screening codes that mean the patient has had ketamine before (illicit ketamine is the
/// main documented cause of cystitis, L220, L222): V4-08's prior exposure.
pub const PRIOR_EXPOSURE_CODES: [&str; 2] = ["history_substance_abuse", "active_substance_abuse"];

/// The findings, and what raising them also decides for the plan.
pub(super) struct Raised {
    pub(super) findings: Vec<Finding>,
    pub(super) first_infusion_minimum_met: Option<bool>,
    pub(super) treatments_in_12_months: u32,
    pub(super) response: Option<Response>,
}

/// Every finding of the plan (`monitoring_tier` decides the at-monitored-dose escalation).
pub(super) fn raise_findings(
    protocol: &Protocol,
    case: &Case,
    condition: Option<&ConditionDef>,
    monitoring_tier: MonitoringTier,
    start_rate: MgPerKgPerHour,
    total_mg: f64,
    continuous_exposure: bool,
) -> Raised {
    let pack = &protocol.pack;
    let regimen = &case.regimen;
    let dl = &pack.dose_limits;
    let mut raised: Vec<Finding> = Vec::new();
    let raise = |raised: &mut Vec<Finding>, code: &str| {
        if let Some(def) = protocol.finding(code) {
            raised.push(Finding::from_def(def));
        }
    };
    if let Some(code) = condition.and_then(|c| c.finding.as_deref()) {
        raise(&mut raised, code);
    }
    if f64::from(case.patient.age_years) < pack.population.adult_from_age_years.value {
        raise(&mut raised, "outside_population");
    }
    let serial_or_repeated =
        regimen.course != Course::Single || case.history.treatments_past_12_months > 0;
    let prior_exposure = case.history.treatments_past_12_months > 0
        || PRIOR_EXPOSURE_CODES.iter().any(|c| case.answered_yes(c));
    for def in protocol.screening_codes() {
        if !case.answered_yes(&def.code) {
            continue;
        }
        let escalated = def.escalation.as_ref().filter(|e| match &e.when {
            EscalationWhen::SerialOrRepeated => serial_or_repeated,
            EscalationWhen::WithCode(other) => case.answered_yes(other),
            EscalationWhen::PriorExposure => prior_exposure,
            // V4-09: "only in lower dosages": at the patient's own monitored thresholds or
            // above, the dose is not lower.
            EscalationWhen::AtMonitoredDose => monitoring_tier != MonitoringTier::Standard,
        });
        match escalated {
            Some(e) => raised.push(Finding {
                severity: e.severity,
                message: e.message.clone(),
                source: e.source.clone(),
                ..Finding::from_def(def)
            }),
            None => raise(&mut raised, &def.code),
        }
    }
    if case.answered_yes(BENZODIAZEPINE_CONTRAINDICATION) {
        raise(&mut raised, "seizure_rescue_without_benzodiazepine");
    }
    if let Some(scores) = case.risk_scores {
        let ort_high = scores
            .ort
            .is_some_and(|s| f64::from(s) >= pack.population.ort_high_from.value);
        let soapp_high = scores
            .soapp_r
            .is_some_and(|s| f64::from(s) >= pack.population.soapp_r_high_from.value);
        if ort_high || soapp_high {
            raise(&mut raised, "abuse_risk_high");
        }
    }
    if start_rate.for_comparison() < dl.infusion_studied_from_mg_per_kg_per_h.value {
        raise(&mut raised, "infusion_below_studied_range");
    }
    let first_infusion_minimum_met =
        if regimen.setting == Setting::Outpatient && case.history.treatments_past_12_months == 0 {
            let met = cmp_value(total_mg) >= pack.first_infusion.min_total_mg.value
                && cmp_value(regimen.duration_h) > pack.first_infusion.min_duration_above_h.value;
            if !met {
                raise(&mut raised, "first_infusion_below_minimum");
            }
            Some(met)
        } else {
            None
        };
    // V4-14: start with one outpatient infusion and reassess (L311).
    if case.history.treatments_past_12_months == 0
        && (regimen.course != Course::Single || continuous_exposure)
    {
        raise(&mut raised, "start_with_single_infusion");
    }
    // V4-18: a raised liver test on record without a normal one since.
    if case.history.lft_raised_unresolved {
        raise(&mut raised, "lft_raised");
    }
    let treatments_in_12_months = case.history.treatments_past_12_months.saturating_add(1);
    let count = f64::from(treatments_in_12_months);
    if count > pack.annual.exceeded_above.value {
        raise(&mut raised, "annual_treatments_exceeded");
    } else if count > pack.annual.high_above.value {
        raise(&mut raised, "annual_treatments_high");
    }
    let within_annual_limit = count <= pack.annual.exceeded_above.value;
    let response = case.follow_up.as_ref().map(|f| {
        response::assess(
            &pack.response,
            f,
            regimen.setting,
            regimen.course,
            within_annual_limit,
        )
    });
    // V4-07: a repeat after a non-response (not after insufficient data).
    if case.history.treatments_past_12_months > 0
        && response
            .as_ref()
            .is_some_and(|r| r.classification == response::Classification::Negative)
    {
        raise(&mut raised, "repeat_not_supported");
    }
    // Stop, avoid, caution, info; ties in pack order.
    raised.sort_by_key(|f| (f.severity, protocol.finding_index(&f.code)));
    let findings = raised;
    Raised {
        findings,
        first_infusion_minimum_met,
        treatments_in_12_months,
        response,
    }
}
