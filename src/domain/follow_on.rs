//! Follow-on therapy after a response (guideline Q4): oral ketamine, dextromethorphan,
//! intranasal ketamine. Information, not a prescription: doses for this patient's weight,
//! rounded to measurable amounts, with daily maxima; (S)-ketamine shown as a different product.
//! Only for responders (V4-19): without a positive response no dose is shown.

use crate::domain::Case;
use crate::domain::protocol::Protocol;
use crate::domain::response::Classification;
use crate::domain::units::{Kilograms, cmp_value};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FollowOnOption {
    pub name: String,
    pub product: String,
    pub route: String,
    pub dose_low_mg: f64,
    pub dose_high_mg: f64,
    pub every_hours: Option<f64>,
    pub as_needed: bool,
    pub per_day: bool,
    /// The most in 24 hours: the high dose times the doses a day, capped by the pack's
    /// daily cap (None when neither is given).
    pub daily_max_mg: Option<f64>,
    pub racemic: bool,
    pub note: String,
    pub source: String,
    pub warning: Option<String>,
    pub warning_source: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FollowOnPlan {
    pub heading: String,
    /// True when the last infusion gave a positive response (V4-19).
    pub eligible: bool,
    /// Why no doses are shown, when not eligible.
    pub not_eligible: Option<String>,
    pub not_eligible_source: String,
    pub driving_caution: String,
    pub driving_caution_source: String,
    /// Empty when not eligible.
    pub options: Vec<FollowOnOption>,
    /// The abuse-potential caution when a substance-abuse history is on record.
    pub caution: Option<String>,
    pub caution_source: String,
}

/// Round to a multiple of `step` mg (halves up), never to 0 for a nonzero dose.
pub fn round_to_measurable(mg: f64, step: f64) -> f64 {
    if step <= 0.0 || mg <= 0.0 {
        return mg.max(0.0);
    }
    let steps = cmp_value(mg / step).round().max(1.0);
    cmp_value(steps * step)
}

/// `response`: the response to the last infusion; doses are shown only when it is positive
/// (`repeat_supported` or a positive classification).
pub fn follow_on(
    protocol: &Protocol,
    case: &Case,
    dosing_weight: Kilograms,
    response: Option<&crate::domain::response::Response>,
) -> FollowOnPlan {
    let rules = &protocol.pack.follow_on;
    let eligible = response
        .is_some_and(|r| r.repeat_supported || r.classification == Classification::Positive);
    let options = rules
        .options
        .iter()
        .filter(|_| eligible)
        .map(|o| {
            let (low, high) = match (
                o.mg_per_kg_low.zip(o.mg_per_kg_high),
                o.fixed_mg_low.zip(o.fixed_mg_high),
            ) {
                (Some((l, h)), _) => (l * dosing_weight.value(), h * dosing_weight.value()),
                (None, Some((l, h))) => (l, h),
                (None, None) => (0.0, 0.0),
            };
            let dose_low_mg = round_to_measurable(low, o.round_to_mg);
            let dose_high_mg = round_to_measurable(high, o.round_to_mg);
            let by_interval = if o.per_day {
                Some(dose_high_mg)
            } else {
                o.every_hours
                    .map(|h| cmp_value(dose_high_mg * cmp_value(24.0 / h).floor()))
            };
            let cap = o.daily_cap_mg.as_ref().map(|t| t.value);
            let daily_max_mg = match (by_interval, cap) {
                (Some(m), Some(c)) => Some(m.min(c)),
                (m, c) => m.or(c),
            };
            FollowOnOption {
                name: o.name.clone(),
                product: o.product.clone(),
                route: o.route.clone(),
                dose_low_mg,
                dose_high_mg,
                every_hours: o.every_hours,
                as_needed: o.as_needed,
                per_day: o.per_day,
                daily_max_mg,
                racemic: o.racemic,
                note: o.note.clone(),
                source: o.source.clone(),
                warning: o.warning.as_ref().map(|w| w.text.to_string()),
                warning_source: o.warning.as_ref().map(|w| w.source.to_string()),
            }
        })
        .collect();
    let pop = &protocol.pack.population;
    // "A history of abuse or … at high risk of abuse" (L328): the high ORT or SOAPP-R band.
    let high_risk_score = case.risk_scores.is_some_and(|s| {
        s.ort
            .is_some_and(|o| f64::from(o) >= pop.ort_high_from.value)
            || s.soapp_r
                .is_some_and(|v| f64::from(v) >= pop.soapp_r_high_from.value)
    });
    let caution = (rules
        .abuse_caution
        .when_codes
        .iter()
        .any(|c| case.answered_yes(c))
        || high_risk_score)
        .then(|| rules.abuse_caution.text.to_string());
    FollowOnPlan {
        heading: rules.heading.clone(),
        eligible,
        not_eligible: (!eligible).then(|| rules.responders_only.text.to_string()),
        not_eligible_source: rules.responders_only.source.to_string(),
        driving_caution: rules.driving_caution.text.to_string(),
        driving_caution_source: rules.driving_caution.source.to_string(),
        options,
        caution,
        caution_source: rules.abuse_caution.source.to_string(),
    }
}
