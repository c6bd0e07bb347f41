//! The pack's numbers: every threshold finite with a source, limits in order (soft below hard,
//! minimum below maximum), and the course's factors.

use super::checker::PackChecker;
use crate::domain::protocol::ProtocolPack;
use crate::domain::protocol::paths::pack_thresholds;

/// Every threshold, then the dose, yearly, monitoring, input and response limits in order.
pub(super) fn validate_limits(p: &ProtocolPack, c: &mut PackChecker<'_>) {
    for (path, t) in pack_thresholds(p) {
        if !t.value.is_finite() || t.value < 0.0 {
            c.error(&path, "must be a finite number, 0 or more");
        }
        c.non_empty(&format!("{path}.source"), &t.source);
    }
    let dl = &p.dose_limits;
    c.below(
        (
            "dose_limits.bolus_soft_above_mg_per_kg",
            &dl.bolus_soft_above_mg_per_kg,
        ),
        (
            "dose_limits.bolus_hard_from_mg_per_kg",
            &dl.bolus_hard_from_mg_per_kg,
        ),
    );
    c.below(
        (
            "dose_limits.infusion_icu_above_mg_per_kg_per_h",
            &dl.infusion_icu_above_mg_per_kg_per_h,
        ),
        (
            "dose_limits.infusion_maximum_above_mg_per_kg_per_h",
            &dl.infusion_maximum_above_mg_per_kg_per_h,
        ),
    );
    c.below(
        (
            "dose_limits.pump_soft_tolerance_fraction",
            &dl.pump_soft_tolerance_fraction,
        ),
        (
            "dose_limits.pump_hard_tolerance_fraction",
            &dl.pump_hard_tolerance_fraction,
        ),
    );
    c.below(
        (
            "dose_limits.bolus_hard_from_mg_per_kg",
            &dl.bolus_hard_from_mg_per_kg,
        ),
        (
            "input_limits.bolus_implausible_above_mg_per_kg",
            &p.input_limits.bolus_implausible_above_mg_per_kg,
        ),
    );
    c.below(
        (
            "dose_limits.infusion_maximum_above_mg_per_kg_per_h",
            &dl.infusion_maximum_above_mg_per_kg_per_h,
        ),
        (
            "input_limits.infusion_implausible_above_mg_per_kg_per_h",
            &p.input_limits.infusion_implausible_above_mg_per_kg_per_h,
        ),
    );
    if dl.pump_step_ml_per_h.value <= 0.0 {
        c.error("dose_limits.pump_step_ml_per_h", "must be more than 0");
    }
    c.below(
        ("annual.high_above", &p.annual.high_above),
        ("annual.exceeded_above", &p.annual.exceeded_above),
    );
    let mon = &p.monitoring;
    c.below(
        (
            "monitoring.infusion_monitored_from_mg_per_kg_per_h",
            &mon.infusion_monitored_from_mg_per_kg_per_h,
        ),
        (
            "dose_limits.infusion_icu_above_mg_per_kg_per_h",
            &dl.infusion_icu_above_mg_per_kg_per_h,
        ),
    );
    let factor = mon.reduced_threshold_factor.value;
    if !(factor > 0.0 && factor <= 1.0) {
        c.error(
            "monitoring.reduced_threshold_factor",
            "must be more than 0 and at most 1",
        );
    }
    let il = &p.input_limits;
    c.below(
        ("input_limits.weight_kg_min", &il.weight_kg_min),
        ("input_limits.weight_kg_max", &il.weight_kg_max),
    );
    c.below(
        ("input_limits.height_cm_min", &il.height_cm_min),
        ("input_limits.height_cm_max", &il.height_cm_max),
    );
    c.below(
        ("input_limits.bolus_minutes_min", &il.bolus_minutes_min),
        ("input_limits.bolus_minutes_max", &il.bolus_minutes_max),
    );
    let dflt = il.bolus_minutes_default.value;
    if dflt < il.bolus_minutes_min.value || dflt > il.bolus_minutes_max.value {
        c.error(
            "input_limits.bolus_minutes_default",
            "must lie between bolus_minutes_min and bolus_minutes_max",
        );
    }
    if il.outpatient_duration_h_max.value > il.duration_h_max.value {
        c.error(
            "input_limits.outpatient_duration_h_max",
            "must not be above duration_h_max",
        );
    }
    let resp = &p.response;
    if resp.durable_single_outpatient_above_weeks.value > resp.durable_other_above_weeks.value {
        c.error(
            "response.durable_single_outpatient_above_weeks",
            "must not be above durable_other_above_weeks",
        );
    }
}

/// The course section's factors and words.
pub(super) fn validate_course_limits(p: &ProtocolPack, c: &mut PackChecker<'_>) {
    let course = &p.course;
    if course.lft_raised_from_factor.value <= 1.0 {
        c.error("course.lft_raised_from_factor", "must be more than 1");
    }
    for (path, t) in [
        (
            "course.lft_value_below_u_per_l",
            &course.lft_value_below_u_per_l,
        ),
        (
            "course.cumulative_mg_prompt_from",
            &course.cumulative_mg_prompt_from,
        ),
    ] {
        if t.value <= 0.0 {
            c.error(path, "must be more than 0");
        }
    }
    if course
        .urinary_adverse_effect_words
        .iter()
        .any(|w| w.trim().is_empty())
    {
        c.error("course.urinary_adverse_effect_words", "a word is empty");
    }
}
