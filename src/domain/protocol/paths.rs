//! Every threshold and every section of sourced text in a pack, each with its dotted path
//! (validated one by one, and listed when marked an institution default).

use super::pack::ProtocolPack;
use super::sourced::{SourcedText, Threshold};

pub(super) fn format_threshold_value(v: f64) -> String {
    let s = format!("{v}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

pub(super) fn pack_thresholds(p: &ProtocolPack) -> Vec<(String, &Threshold)> {
    let il = &p.input_limits;
    let dw = &p.dosing_weight;
    let dl = &p.dose_limits;
    let mon = &p.monitoring;
    let pop = &p.population;
    let resp = &p.response;
    macro_rules! t {
        ($($section:ident . $field:ident = $e:expr),* $(,)?) => {
            vec![$((concat!(stringify!($section), ".", stringify!($field)).to_string(), $e)),*]
        };
    }
    let mut out = t![
        input_limits.age_years_max = &il.age_years_max,
        input_limits.weight_kg_min = &il.weight_kg_min,
        input_limits.weight_kg_max = &il.weight_kg_max,
        input_limits.height_cm_min = &il.height_cm_min,
        input_limits.height_cm_max = &il.height_cm_max,
        input_limits.bolus_minutes_default = &il.bolus_minutes_default,
        input_limits.bolus_minutes_min = &il.bolus_minutes_min,
        input_limits.bolus_minutes_max = &il.bolus_minutes_max,
        input_limits.bolus_implausible_above_mg_per_kg = &il.bolus_implausible_above_mg_per_kg,
        input_limits.infusion_implausible_above_mg_per_kg_per_h =
            &il.infusion_implausible_above_mg_per_kg_per_h,
        input_limits.duration_h_max = &il.duration_h_max,
        input_limits.outpatient_duration_h_max = &il.outpatient_duration_h_max,
        input_limits.concentration_mg_per_ml_max = &il.concentration_mg_per_ml_max,
        input_limits.concentration_mg_per_ml_min = &il.concentration_mg_per_ml_min,
        input_limits.condition_detail_max_chars = &il.condition_detail_max_chars,
        input_limits.justification_min_chars = &il.justification_min_chars,
        input_limits.justification_max_chars = &il.justification_max_chars,
        input_limits.identifier_max_chars = &il.identifier_max_chars,
        input_limits.allergies_max_chars = &il.allergies_max_chars,
        input_limits.ort_max = &il.ort_max,
        input_limits.soapp_r_max = &il.soapp_r_max,
        input_limits.pain_score_max = &il.pain_score_max,
        input_limits.odi_max = &il.odi_max,
        dosing_weight.devine_male_base_kg = &dw.devine_male_base_kg,
        dosing_weight.devine_female_base_kg = &dw.devine_female_base_kg,
        dosing_weight.devine_base_height_cm = &dw.devine_base_height_cm,
        dosing_weight.devine_kg_per_cm = &dw.devine_kg_per_cm,
        dosing_weight.adjusted_fraction = &dw.adjusted_fraction,
        dose_limits.bolus_soft_above_mg_per_kg = &dl.bolus_soft_above_mg_per_kg,
        dose_limits.bolus_hard_from_mg_per_kg = &dl.bolus_hard_from_mg_per_kg,
        dose_limits.infusion_icu_above_mg_per_kg_per_h = &dl.infusion_icu_above_mg_per_kg_per_h,
        dose_limits.infusion_maximum_above_mg_per_kg_per_h =
            &dl.infusion_maximum_above_mg_per_kg_per_h,
        dose_limits.infusion_studied_from_mg_per_kg_per_h =
            &dl.infusion_studied_from_mg_per_kg_per_h,
        dose_limits.pump_soft_tolerance_fraction = &dl.pump_soft_tolerance_fraction,
        dose_limits.pump_hard_tolerance_fraction = &dl.pump_hard_tolerance_fraction,
        dose_limits.pump_step_ml_per_h = &dl.pump_step_ml_per_h,
        dose_limits.pump_max_bag_ml_per_h = &dl.pump_max_bag_ml_per_h,
        dose_limits.pump_max_syringe_ml_per_h = &dl.pump_max_syringe_ml_per_h,
        first_infusion.min_total_mg = &p.first_infusion.min_total_mg,
        first_infusion.min_duration_above_h = &p.first_infusion.min_duration_above_h,
        annual.high_above = &p.annual.high_above,
        annual.exceeded_above = &p.annual.exceeded_above,
        monitoring.bolus_monitored_from_mg_per_kg = &mon.bolus_monitored_from_mg_per_kg,
        monitoring.infusion_monitored_from_mg_per_kg_per_h =
            &mon.infusion_monitored_from_mg_per_kg_per_h,
        monitoring.elderly_from_age_years = &mon.elderly_from_age_years,
        monitoring.reduced_threshold_factor = &mon.reduced_threshold_factor,
        tests.lft_series_ceiling_from_mg_per_kg_per_h =
            &p.tests.lft_series_ceiling_from_mg_per_kg_per_h,
        tests.continuous_exposure_above_h = &p.tests.continuous_exposure_above_h,
        population.adult_from_age_years = &pop.adult_from_age_years,
        population.ort_moderate_from = &pop.ort_moderate_from,
        population.ort_high_from = &pop.ort_high_from,
        population.soapp_r_high_from = &pop.soapp_r_high_from,
        population.adult_weight_unusual_below_kg = &pop.adult_weight_unusual_below_kg,
        population.bmi_unusual_below = &pop.bmi_unusual_below,
        response.positive_reduction_from_pct = &resp.positive_reduction_from_pct,
        response.odi_improvement_from_points = &resp.odi_improvement_from_points,
        response.mme_reduction_from_pct = &resp.mme_reduction_from_pct,
        response.durable_single_outpatient_above_weeks =
            &resp.durable_single_outpatient_above_weeks,
        response.durable_other_above_weeks = &resp.durable_other_above_weeks,
        order.weight_max_age_days = &p.order.weight_max_age_days,
        order.valid_for_max_days_ahead = &p.order.valid_for_max_days_ahead,
        course.window_days = &p.course.window_days,
        course.reexposure_within_days = &p.course.reexposure_within_days,
        course.follow_up_single_after_weeks = &p.course.follow_up_single_after_weeks,
        course.follow_up_other_after_weeks = &p.course.follow_up_other_after_weeks,
        course.follow_up_call_single_weeks = &p.course.follow_up_call_single_weeks,
        course.follow_up_call_other_weeks = &p.course.follow_up_call_other_weeks,
        course.cumulative_mg_prompt_from = &p.course.cumulative_mg_prompt_from,
        course.lft_raised_from_factor = &p.course.lft_raised_from_factor,
        course.lft_value_below_u_per_l = &p.course.lft_value_below_u_per_l,
        monitoring_plan.discharge_aldrete_from = &p.monitoring_plan.discharge_aldrete_from,
        vital_limits.spo2_below_pct = &p.monitoring_plan.vital_limits.spo2_below_pct,
        vital_limits.rr_below_per_min = &p.monitoring_plan.vital_limits.rr_below_per_min,
        vital_limits.rr_above_per_min = &p.monitoring_plan.vital_limits.rr_above_per_min,
        vital_limits.systolic_from_mmhg = &p.monitoring_plan.vital_limits.systolic_from_mmhg,
        vital_limits.diastolic_from_mmhg = &p.monitoring_plan.vital_limits.diastolic_from_mmhg,
        vital_limits.systolic_below_mmhg = &p.monitoring_plan.vital_limits.systolic_below_mmhg,
        vital_limits.heart_rate_from_per_min =
            &p.monitoring_plan.vital_limits.heart_rate_from_per_min,
        vital_limits.heart_rate_below_per_min =
            &p.monitoring_plan.vital_limits.heart_rate_below_per_min,
        vital_limits.rass_sedation_from_minus =
            &p.monitoring_plan.vital_limits.rass_sedation_from_minus,
        vital_limits.rass_agitation_from = &p.monitoring_plan.vital_limits.rass_agitation_from,
        titration.step_mg_per_kg_per_h = &p.titration.step_mg_per_kg_per_h,
        titration.interval_min = &p.titration.interval_min,
        titration.hold_reduction_fraction = &p.titration.hold_reduction_fraction,
    ];
    out.push((
        "sheet.titration_goal.pain_score_at_most".to_string(),
        &p.sheet.titration_goal.pain_score_at_most,
    ));
    for o in &p.follow_on.options {
        if let Some(t) = &o.daily_cap_mg {
            out.push((format!("follow_on.options[{}].daily_cap_mg", o.name), t));
        }
    }
    for (i, r) in p.rescue_medications.iter().enumerate() {
        for (b, band) in r.weight_bands.iter().enumerate() {
            let path = format!("rescue_medications[{i}:{}].weight_bands[{b}]", r.drug);
            if let Some(t) = &band.above_kg {
                out.push((format!("{path}.above_kg"), t));
            }
            if let Some(t) = &band.from_kg {
                out.push((format!("{path}.from_kg"), t));
            }
        }
    }
    out
}

/// The pack's sections of sourced text lines, with their paths.
pub(super) fn text_sections(p: &ProtocolPack) -> [(&'static str, &[SourcedText]); 8] {
    let mp = &p.monitoring_plan;
    [
        (
            "monitoring_plan.sedation_scale",
            std::slice::from_ref(&mp.sedation_scale),
        ),
        ("monitoring_plan.frequencies", &mp.frequencies),
        ("monitoring_plan.fasting", &mp.fasting),
        ("monitoring_plan.oxygen", std::slice::from_ref(&mp.oxygen)),
        ("monitoring_plan.discharge_criteria", &mp.discharge_criteria),
        ("monitoring_plan.do_not_start", &mp.do_not_start),
        ("monitoring_plan.stop_criteria", &mp.stop_criteria),
        ("patient_instructions", &p.patient_instructions),
    ]
}
