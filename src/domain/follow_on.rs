//! Follow-on therapy after a response (guideline Q4): oral ketamine, dextromethorphan,
//! intranasal ketamine. Information, not a prescription: doses for this patient's weight,
//! rounded to measurable amounts, with daily maxima; (S)-ketamine shown as a different product.

use crate::domain::Case;
use crate::domain::protocol::Protocol;
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
    /// The most in 24 hours at the high dose (None when no interval is given).
    pub daily_max_mg: Option<f64>,
    pub racemic: bool,
    pub note: String,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FollowOnPlan {
    pub heading: String,
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

pub fn follow_on(protocol: &Protocol, case: &Case, dosing_weight: Kilograms) -> FollowOnPlan {
    let rules = &protocol.pack.follow_on;
    let options = rules
        .options
        .iter()
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
            let daily_max_mg = if o.per_day {
                Some(dose_high_mg)
            } else {
                o.every_hours
                    .map(|h| cmp_value(dose_high_mg * cmp_value(24.0 / h).floor()))
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
            }
        })
        .collect();
    let caution = rules
        .abuse_caution
        .when_codes
        .iter()
        .any(|c| case.answered_yes(c))
        .then(|| rules.abuse_caution.text.clone());
    FollowOnPlan {
        heading: rules.heading.clone(),
        options,
        caution,
        caution_source: rules.abuse_caution.source.clone(),
    }
}
