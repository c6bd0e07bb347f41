//! Response to the previous session (Q8): pain reduction, objective benefit, durability.

use crate::domain::case::{Course, FollowUp, Setting};
use crate::domain::protocol::ResponseRules;
use crate::domain::units::cmp_value;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Classification {
    Positive,
    Negative,
    InsufficientData,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Response {
    pub pain_reduction_pct: Option<f64>,
    pub objective_improvement: Option<bool>,
    pub classification: Classification,
    pub durable: Option<bool>,
    pub repeat_supported: bool,
}

/// Judge a follow-up. `setting`/`course` are this regimen's (the follow-up's own win);
/// `within_annual_limit` says whether this session stays within the yearly maximum.
pub fn assess(
    rules: &ResponseRules,
    follow_up: &FollowUp,
    setting: Setting,
    course: Course,
    within_annual_limit: bool,
) -> Response {
    let pain_reduction_pct = match (follow_up.pain_before, follow_up.pain_after) {
        (Some(before), Some(after)) if before > 0.0 => Some((before - after) / before * 100.0),
        _ => None,
    };

    let odi = match (follow_up.odi_before, follow_up.odi_after) {
        (Some(b), Some(a)) => Some(cmp_value(b - a) >= rules.odi_improvement_from_points.value),
        _ => None,
    };
    let mme = match (follow_up.opioid_mme_before, follow_up.opioid_mme_after) {
        (Some(b), Some(a)) if b > 0.0 => {
            Some(cmp_value((b - a) / b * 100.0) >= rules.mme_reduction_from_pct.value)
        }
        _ => None,
    };
    let objective_improvement = match (odi, mme) {
        (None, None) => None,
        (o, m) => Some(o == Some(true) || m == Some(true)),
    };

    let classification = match pain_reduction_pct {
        None => Classification::InsufficientData,
        Some(pct) if cmp_value(pct) < rules.positive_reduction_from_pct.value => {
            Classification::Negative
        }
        Some(_) => {
            if follow_up.satisfied == Some(true) || objective_improvement == Some(true) {
                Classification::Positive
            } else if follow_up.satisfied.is_none() && objective_improvement.is_none() {
                Classification::InsufficientData
            } else {
                Classification::Negative
            }
        }
    };

    let judged_setting = follow_up.setting.unwrap_or(setting);
    let judged_course = follow_up.course.unwrap_or(course);
    let threshold_weeks =
        if judged_setting == Setting::Outpatient && judged_course == Course::Single {
            rules.durable_single_outpatient_above_weeks.value
        } else {
            rules.durable_other_above_weeks.value
        };
    let durable = follow_up.weeks_of_relief.map(|weeks| {
        let weeks = cmp_value(weeks);
        weeks > threshold_weeks
            || (follow_up.relief_ongoing == Some(true) && weeks == threshold_weeks)
    });

    let repeat_supported =
        classification == Classification::Positive && durable == Some(true) && within_annual_limit;

    Response {
        pain_reduction_pct,
        objective_improvement,
        classification,
        durable,
        repeat_supported,
    }
}
