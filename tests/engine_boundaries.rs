//! The contract's rules at their boundaries (≥ vs >, exactly 80 mg, exactly 2 h, …).

mod common;

use common::engine::{alert_kind, base, bolus, errors_of, plan_of, protocol, rate, severity, with};
use ketaplan::domain::case::case_from_value;
use ketaplan::domain::findings::{MonitoringTier, Proceed};
use ketaplan::domain::protocol::{AlertKind, Severity};
use ketaplan::domain::response::Classification;
use ketaplan::domain::{Plan, plan};
use serde_json::{Value, json};

#[test]
fn bolus_exactly_0_35_is_monitored_without_alert() {
    let p = plan_of(&with(base(), "regimen.bolus", bolus(0.35, "mg/kg")));
    assert_eq!(p.monitoring_tier, MonitoringTier::Monitored);
    assert!(p.limit_alerts.is_empty());
    assert_eq!(p.proceed, Proceed::Yes);
}

#[test]
fn bolus_in_mg_15_4_over_44_kg_is_exactly_0_35() {
    let doc = with(
        with(base(), "patient.weight", json!({"value": 44, "unit": "kg"})),
        "regimen.bolus",
        bolus(15.4, "mg"),
    );
    let p = plan_of(&doc);
    assert_eq!(p.monitoring_tier, MonitoringTier::Monitored);
    assert_eq!(alert_kind(&p, "bolus_above_guideline"), None);
}

#[test]
fn bolus_above_0_35_is_soft_and_1_mg_per_kg_is_hard_only() {
    let p = plan_of(&with(base(), "regimen.bolus", bolus(0.36, "mg/kg")));
    assert_eq!(
        alert_kind(&p, "bolus_above_guideline"),
        Some(AlertKind::Soft)
    );
    assert_eq!(p.proceed, Proceed::NeedsJustification);
    let p = plan_of(&with(base(), "regimen.bolus", bolus(0.99, "mg/kg")));
    assert_eq!(
        alert_kind(&p, "bolus_above_guideline"),
        Some(AlertKind::Soft)
    );
    let p = plan_of(&with(base(), "regimen.bolus", bolus(1.0, "mg/kg")));
    assert_eq!(
        alert_kind(&p, "bolus_anesthetic_range"),
        Some(AlertKind::Hard)
    );
    assert_eq!(alert_kind(&p, "bolus_above_guideline"), None);
    assert_eq!(p.proceed, Proceed::No);
}

#[test]
fn bolus_of_zero_is_no_bolus() {
    let p = plan_of(&with(base(), "regimen.bolus", bolus(0.0, "mg/kg")));
    assert_eq!(p.bolus_mg, None);
    assert_eq!(p.bolus_minutes, None);
}

#[test]
fn first_infusion_exactly_80_mg_over_3_h_is_met() {
    // 0.2 mg/kg + 0.35 mg/kg/h × 3 h at 64 kg = 12.8 + 67.2 = 80 mg exactly.
    let doc = with(base(), "patient.weight", json!({"value": 64, "unit": "kg"}));
    let doc = with(doc, "regimen.bolus", bolus(0.2, "mg/kg"));
    let doc = with(doc, "regimen.infusion", rate(0.35, "mg/kg/h"));
    let doc = with(doc, "regimen.duration_h", json!(3));
    let p = plan_of(&doc);
    assert_eq!(p.first_infusion_minimum_met, Some(true));
    assert!(p.finding("first_infusion_below_minimum").is_none());
    // Just under 80 mg is not met.
    let doc = with(doc, "regimen.bolus", bolus(0.19, "mg/kg"));
    let p = plan_of(&doc);
    assert_eq!(p.first_infusion_minimum_met, Some(false));
    assert_eq!(
        severity(&p, "first_infusion_below_minimum"),
        Some(Severity::Caution)
    );
}

#[test]
fn first_infusion_of_exactly_2_h_is_not_met() {
    let doc = with(base(), "regimen.infusion", rate(1.0, "mg/kg/h"));
    let doc = with(doc, "regimen.duration_h", json!(2));
    let p = plan_of(&doc);
    assert!(p.total_mg >= 80.0);
    assert_eq!(p.first_infusion_minimum_met, Some(false));
    let p = plan_of(&with(doc, "regimen.duration_h", json!(2.1)));
    assert_eq!(p.first_infusion_minimum_met, Some(true));
}

#[test]
fn first_infusion_is_null_after_earlier_sessions_or_inpatient() {
    let p = plan_of(&with(base(), "history.treatments_past_12_months", json!(1)));
    assert_eq!(p.first_infusion_minimum_met, None);
    let p = plan_of(&with(base(), "regimen.setting", json!("inpatient")));
    assert_eq!(p.first_infusion_minimum_met, None);
}

#[test]
fn infusion_1_mg_per_kg_per_h_is_monitored() {
    let p = plan_of(&with(base(), "regimen.infusion", rate(1.0, "mg/kg/h")));
    assert_eq!(p.monitoring_tier, MonitoringTier::Monitored);
    let p = plan_of(&with(base(), "regimen.infusion", rate(0.99, "mg/kg/h")));
    assert_eq!(p.monitoring_tier, MonitoringTier::Standard);
}

#[test]
fn infusion_2_is_allowed_and_above_2_needs_icu() {
    let p = plan_of(&with(base(), "regimen.infusion", rate(2.0, "mg/kg/h")));
    assert!(p.limit_alerts.is_empty());
    assert_eq!(p.monitoring_tier, MonitoringTier::Monitored);
    let p = plan_of(&with(base(), "regimen.infusion", rate(2.01, "mg/kg/h")));
    assert_eq!(
        alert_kind(&p, "infusion_requires_icu"),
        Some(AlertKind::Hard)
    );
    assert_eq!(p.monitoring_tier, MonitoringTier::Icu);
    assert_eq!(p.proceed, Proceed::No);
    let icu = with(base(), "regimen.setting", json!("icu"));
    let p = plan_of(&with(
        icu.clone(),
        "regimen.infusion",
        rate(2.01, "mg/kg/h"),
    ));
    assert_eq!(
        alert_kind(&p, "infusion_above_guideline"),
        Some(AlertKind::Soft)
    );
    assert_eq!(alert_kind(&p, "infusion_requires_icu"), None);
    let p = plan_of(&with(icu.clone(), "regimen.infusion", rate(7.0, "mg/kg/h")));
    assert_eq!(
        alert_kind(&p, "infusion_above_guideline"),
        Some(AlertKind::Soft)
    );
    // From the ICU syringe (10 mg/mL), so the pump maximum (V4-01) stays out of the way.
    let icu_syringe = with(icu, "regimen.concentration_mg_per_ml", json!(10));
    let p = plan_of(&with(
        icu_syringe,
        "regimen.infusion",
        rate(7.01, "mg/kg/h"),
    ));
    assert_eq!(
        alert_kind(&p, "infusion_above_maximum"),
        Some(AlertKind::Hard)
    );
    assert_eq!(p.limit_alerts.len(), 1);
}

#[test]
fn limits_and_tier_are_judged_at_the_ceiling() {
    let doc = with(base(), "regimen.max_infusion", rate(2.5, "mg/kg/h"));
    let p = plan_of(&doc);
    assert_eq!(
        alert_kind(&p, "infusion_requires_icu"),
        Some(AlertKind::Hard)
    );
    assert_eq!(p.monitoring_tier, MonitoringTier::Icu);
    // total at the starting rate, max_total at the ceiling.
    assert!((p.total_mg - 0.5 * 70.0 * 4.0).abs() < 1e-9);
    assert!((p.max_total_mg - 2.5 * 70.0 * 4.0).abs() < 1e-9);
}

#[test]
fn a_ceiling_below_the_start_is_rejected() {
    let doc = with(base(), "regimen.max_infusion", rate(0.4, "mg/kg/h"));
    assert!(errors_of(&doc).contains(&"regimen.max_infusion.value".to_string()));
}

#[test]
fn age_65_halves_the_monitoring_thresholds() {
    let p = plan_of(&with(base(), "patient.age_years", json!(65)));
    assert_eq!(p.monitoring_tier, MonitoringTier::Monitored);
    let p = plan_of(&with(base(), "patient.age_years", json!(64)));
    assert_eq!(p.monitoring_tier, MonitoringTier::Standard);
    let doc = with(base(), "screening", json!(["significant_comorbidity"]));
    assert_eq!(plan_of(&doc).monitoring_tier, MonitoringTier::Monitored);
    // Halved bolus threshold: 0.175 mg/kg exactly is monitored, below is not.
    let doc = with(base(), "patient.age_years", json!(70));
    let doc = with(doc, "regimen.infusion", rate(0.4, "mg/kg/h"));
    let p = plan_of(&with(doc.clone(), "regimen.bolus", bolus(0.175, "mg/kg")));
    assert_eq!(p.monitoring_tier, MonitoringTier::Monitored);
    let p = plan_of(&with(doc, "regimen.bolus", bolus(0.17, "mg/kg")));
    assert_eq!(p.monitoring_tier, MonitoringTier::Standard);
}

#[test]
fn annual_counts_at_6_7_12_13() {
    let count = |past: u32| {
        plan_of(&with(
            base(),
            "history.treatments_past_12_months",
            json!(past),
        ))
    };
    let sixth = count(5);
    assert!(sixth.finding("annual_treatments_high").is_none());
    let seventh = count(6);
    assert_eq!(
        severity(&seventh, "annual_treatments_high"),
        Some(Severity::Caution)
    );
    let twelfth = count(11);
    assert_eq!(
        severity(&twelfth, "annual_treatments_high"),
        Some(Severity::Caution)
    );
    assert!(twelfth.finding("annual_treatments_exceeded").is_none());
    let thirteenth = count(12);
    assert_eq!(
        severity(&thirteenth, "annual_treatments_exceeded"),
        Some(Severity::Avoid)
    );
    assert!(thirteenth.finding("annual_treatments_high").is_none());
}

fn follow_up(fu: Value) -> Value {
    with(base(), "follow_up", fu)
}

#[test]
fn thirty_percent_is_positive_and_just_below_is_negative() {
    let p = plan_of(&follow_up(
        json!({"pain_before": 10, "pain_after": 7, "satisfied": true}),
    ));
    let r = p.response.as_ref().map(|r| r.classification);
    assert_eq!(r, Some(Classification::Positive));
    let p = plan_of(&follow_up(
        json!({"pain_before": 10, "pain_after": 7.01, "satisfied": true}),
    ));
    assert_eq!(
        p.response.as_ref().map(|r| r.classification),
        Some(Classification::Negative)
    );
}

#[test]
fn odi_12_8_points_and_mme_20_percent_are_objective() {
    let objective = |fu: Value| {
        plan_of(&follow_up(fu))
            .response
            .and_then(|r| r.objective_improvement)
    };
    assert_eq!(
        objective(json!({"odi_before": 52, "odi_after": 39.2})),
        Some(true)
    );
    assert_eq!(
        objective(json!({"odi_before": 52, "odi_after": 39.3})),
        Some(false)
    );
    assert_eq!(
        objective(json!({"opioid_mme_before": 100, "opioid_mme_after": 80})),
        Some(true)
    );
    assert_eq!(
        objective(json!({"opioid_mme_before": 100, "opioid_mme_after": 80.1})),
        Some(false)
    );
    assert_eq!(
        objective(json!({"opioid_mme_before": 0, "opioid_mme_after": 0})),
        None
    );
    assert_eq!(objective(json!({"pain_before": 5})), None);
}

#[test]
fn durability_at_3_and_6_weeks() {
    let durable = |doc: Value| plan_of(&doc).response.and_then(|r| r.durable);
    assert_eq!(
        durable(follow_up(json!({"weeks_of_relief": 3}))),
        Some(false)
    );
    assert_eq!(
        durable(follow_up(json!({"weeks_of_relief": 3.5}))),
        Some(true)
    );
    assert_eq!(
        durable(follow_up(
            json!({"weeks_of_relief": 3, "relief_ongoing": true})
        )),
        Some(true)
    );
    let series = with(base(), "regimen.course", json!("series"));
    assert_eq!(
        durable(with(
            series.clone(),
            "follow_up",
            json!({"weeks_of_relief": 6})
        )),
        Some(false)
    );
    assert_eq!(
        durable(with(
            series.clone(),
            "follow_up",
            json!({"weeks_of_relief": 6, "relief_ongoing": true})
        )),
        Some(true)
    );
    // The follow-up's own course wins over this regimen's.
    assert_eq!(
        durable(with(
            series,
            "follow_up",
            json!({"weeks_of_relief": 4, "course": "single"})
        )),
        Some(true)
    );
    assert_eq!(durable(follow_up(json!({"pain_before": 4}))), None);
}

/// An infusion in mg/h at 10 mg/mL, so the pump rounding to 0.1 mL/h is coarse.
fn pump_case(mg_per_h: f64) -> Plan {
    let doc = with(base(), "regimen.infusion", rate(mg_per_h, "mg/h"));
    plan_of(&with(doc, "regimen.concentration_mg_per_ml", json!(10)))
}

#[test]
fn pump_tolerance_5_and_10_percent() {
    // 0.2 mL/h × 10 mg/mL = 2 mg/h delivered.
    let exactly_5 = pump_case(2.0 / 1.05);
    assert_eq!(exactly_5.pump_ml_per_h, 0.2);
    assert!(
        exactly_5
            .alert_for(ketaplan::domain::findings::DoseField::Pump)
            .is_none()
    );
    let above_5 = pump_case(1.9);
    assert_eq!(
        alert_kind(&above_5, "pump_rate_imprecise"),
        Some(AlertKind::Soft)
    );
    let exactly_10 = pump_case(2.0 / 1.1);
    assert_eq!(
        alert_kind(&exactly_10, "pump_rate_imprecise"),
        Some(AlertKind::Soft)
    );
    let above_10 = pump_case(1.8);
    assert_eq!(
        alert_kind(&above_10, "pump_rate_unachievable"),
        Some(AlertKind::Hard)
    );
    let zero = pump_case(0.4);
    assert_eq!(zero.pump_ml_per_h, 0.0);
    assert_eq!(
        alert_kind(&zero, "pump_rate_unachievable"),
        Some(AlertKind::Hard)
    );
}

#[test]
fn ideal_weight_never_exceeds_actual() {
    let doc = with(
        base(),
        "patient",
        json!({"age_years": 30, "weight": {"value": 60, "unit": "kg"}, "height_cm": 195, "sex": "male"}),
    );
    let p = plan_of(&with(doc.clone(), "regimen.dosing_weight", json!("ideal")));
    assert_eq!(p.dosing_weight_kg, 60.0);
    let p = plan_of(&with(doc, "regimen.dosing_weight", json!("adjusted")));
    assert_eq!(p.dosing_weight_kg, 60.0);
}

#[test]
fn devine_and_adjusted_weights() {
    let doc = with(
        base(),
        "patient",
        json!({"age_years": 47, "weight": {"value": 128, "unit": "kg"}, "height_cm": 178, "sex": "male"}),
    );
    let ideal = 50.0 + 0.9055 * (178.0 - 152.4);
    let p = plan_of(&with(doc.clone(), "regimen.dosing_weight", json!("ideal")));
    assert!((p.dosing_weight_kg - ideal).abs() < 1e-9);
    let p = plan_of(&with(
        doc.clone(),
        "regimen.dosing_weight",
        json!("adjusted"),
    ));
    assert!((p.dosing_weight_kg - (ideal + 0.4 * (128.0 - ideal))).abs() < 1e-9);
    // Shorter than 152.4 cm: nothing is taken away.
    let short = with(doc, "patient.height_cm", json!(140));
    let p = plan_of(&with(short, "regimen.dosing_weight", json!("ideal")));
    assert_eq!(p.dosing_weight_kg, 50.0);
}

#[test]
fn ideal_weight_needs_height_and_sex() {
    let doc = with(
        base(),
        "patient",
        json!({"age_years": 47, "weight": {"value": 128, "unit": "kg"}}),
    );
    let errors = errors_of(&with(doc, "regimen.dosing_weight", json!("ideal")));
    assert!(errors.contains(&"patient.height_cm".to_string()));
    assert!(errors.contains(&"patient.sex".to_string()));
}

#[test]
fn studied_range_info_below_0_5() {
    let p = plan_of(&base());
    assert!(p.finding("infusion_below_studied_range").is_none());
    let p = plan_of(&with(base(), "regimen.infusion", rate(0.49, "mg/kg/h")));
    assert_eq!(
        severity(&p, "infusion_below_studied_range"),
        Some(Severity::Info)
    );
    let message = p
        .finding("infusion_below_studied_range")
        .map(|f| f.message.clone())
        .unwrap_or_default();
    assert!(
        message.contains("0.35") && message.contains("0.43"),
        "{message}"
    );
}

#[test]
fn abuse_risk_cut_offs() {
    let risk = |ort: u32, soapp: u32| {
        let p = plan_of(&with(
            base(),
            "risk_scores",
            json!({"ort": ort, "soapp_r": soapp}),
        ));
        severity(&p, "abuse_risk_high")
    };
    assert_eq!(risk(7, 17), None);
    assert_eq!(risk(8, 0), Some(Severity::Caution));
    assert_eq!(risk(0, 18), Some(Severity::Caution));
}

#[test]
fn under_18_is_outside_the_population() {
    let p = plan_of(&with(base(), "patient.age_years", json!(17)));
    assert_eq!(severity(&p, "outside_population"), Some(Severity::Stop));
    assert_eq!(p.proceed, Proceed::No);
    let p = plan_of(&with(base(), "patient.age_years", json!(18)));
    assert!(p.finding("outside_population").is_none());
}

#[test]
fn escalations_of_substance_abuse_and_benzodiazepine_contraindication() {
    let abuse = with(base(), "screening", json!(["active_substance_abuse"]));
    assert_eq!(
        severity(&plan_of(&abuse), "active_substance_abuse"),
        Some(Severity::Avoid)
    );
    let series = with(abuse.clone(), "regimen.course", json!("series"));
    assert_eq!(
        severity(&plan_of(&series), "active_substance_abuse"),
        Some(Severity::Stop)
    );
    let repeated = with(abuse, "history.treatments_past_12_months", json!(1));
    assert_eq!(
        severity(&plan_of(&repeated), "active_substance_abuse"),
        Some(Severity::Stop)
    );
    let benzo = with(
        base(),
        "screening",
        json!(["benzodiazepine_contraindication"]),
    );
    let p = plan_of(&benzo);
    assert_eq!(
        severity(&p, "benzodiazepine_contraindication"),
        Some(Severity::Caution)
    );
    assert!(p.rescue_medications.iter().all(|r| {
        let d = r.drug.to_lowercase();
        !d.contains("azepam") && !d.contains("azolam")
    }));
    assert!(
        p.rescue_medications
            .iter()
            .any(|r| r.drug.contains("clonidine"))
    );
    let both = with(
        base(),
        "screening",
        json!(["benzodiazepine_contraindication", "psychomimetic_history"]),
    );
    let p = plan_of(&both);
    assert_eq!(
        severity(&p, "benzodiazepine_contraindication"),
        Some(Severity::Avoid)
    );
    assert_eq!(
        severity(&p, "psychomimetic_history"),
        Some(Severity::Caution)
    );
}

#[test]
fn findings_are_ordered_stop_avoid_caution_info() {
    let doc = with(
        base(),
        "screening",
        json!([
            "cardiovascular_risk",
            "urinary_symptoms",
            "pregnancy",
            "unstable_angina"
        ]),
    );
    let p = plan_of(&doc);
    let order: Vec<Severity> = p.findings.iter().map(|f| f.severity).collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted);
    assert_eq!(order.first(), Some(&Severity::Stop));
}

#[test]
fn tests_in_order_without_duplicates() {
    let doc = with(
        base(),
        "screening",
        json!([
            "severe_liver_disease",
            "stable_angina",
            "liver_toxicity_risk",
            "cardiovascular_risk"
        ]),
    );
    let p = plan_of(&with(doc, "regimen.course", json!("series")));
    assert_eq!(p.preinfusion_tests, vec!["ecg", "lft_baseline", "lft_post"]);
    assert!(plan_of(&base()).preinfusion_tests.is_empty());
    let series = with(base(), "regimen.course", json!("series"));
    let p = plan_of(&with(
        series.clone(),
        "regimen.max_infusion",
        rate(1.0, "mg/kg/h"),
    ));
    assert_eq!(p.preinfusion_tests, vec!["lft_baseline", "lft_post"]);
    let p = plan_of(&with(series, "regimen.max_infusion", rate(0.99, "mg/kg/h")));
    assert!(p.preinfusion_tests.is_empty());
}

#[test]
fn unanswered_screening_lists_codes_in_neither_list() {
    let p = protocol();
    // Optional questions (V4-15) are never "unanswered".
    let total = p
        .screening_codes()
        .filter(|d| !d.screening.as_ref().is_some_and(|q| q.optional))
        .count();
    assert!(total < p.screening_codes().count());
    let doc = with(base(), "screening_no", json!(["pregnancy"]));
    let doc = with(doc, "screening", json!(["cardiovascular_risk"]));
    let plan = plan_of(&doc);
    assert_eq!(plan.unanswered_screening.len(), total - 2);
    assert!(!plan.unanswered_screening.iter().any(|c| c == "pregnancy"));
    assert_eq!(
        plan.unanswered_screening.first().map(|c| c.as_str()),
        Some("ketamine_allergy")
    );
}

#[test]
fn a_code_in_both_lists_is_rejected() {
    let doc = with(base(), "screening", json!(["pregnancy"]));
    let doc = with(doc, "screening_no", json!(["delirium", "pregnancy"]));
    assert_eq!(errors_of(&doc), vec!["screening_no[1]".to_string()]);
}

#[test]
fn every_error_is_reported_with_its_path() {
    let doc = with(base(), "regimen.bolous", json!({"value": 1}));
    let doc = with(doc, "patient.weight.value", json!(-3));
    let doc = with(doc, "regimen.duration_h", json!(0));
    let doc = with(doc, "screening", json!(["copd", "pregnancy", "pregnancy"]));
    let errors = errors_of(&doc);
    for want in [
        "regimen.bolous",
        "patient.weight.value",
        "regimen.duration_h",
        "screening[0]",
        "screening[2]",
    ] {
        assert!(
            errors.contains(&want.to_string()),
            "{want} not in {errors:?}"
        );
    }
}

#[test]
fn implausible_entries_are_rejected() {
    let doc = with(base(), "regimen.bolus", bolus(10.5, "mg/kg"));
    assert_eq!(errors_of(&doc), vec!["regimen.bolus.value".to_string()]);
    let doc = with(base(), "regimen.infusion", rate(101.0, "mg/kg/h"));
    assert_eq!(errors_of(&doc), vec!["regimen.infusion.value".to_string()]);
    let doc = with(base(), "regimen.bolus", bolus(10.0, "mg/kg"));
    assert!(errors_of(&doc).is_empty());
}

#[test]
fn outpatient_limits_on_duration_and_course() {
    let doc = with(base(), "regimen.duration_h", json!(24.5));
    assert_eq!(errors_of(&doc), vec!["regimen.duration_h".to_string()]);
    let doc = with(base(), "regimen.course", json!("continuous"));
    assert_eq!(errors_of(&doc), vec!["regimen.course".to_string()]);
    let inpatient = with(base(), "regimen.setting", json!("inpatient"));
    assert!(errors_of(&with(inpatient.clone(), "regimen.duration_h", json!(336))).is_empty());
    assert_eq!(
        errors_of(&with(inpatient, "regimen.duration_h", json!(336.5))),
        vec!["regimen.duration_h".to_string()]
    );
}

#[test]
fn weight_in_lb_gives_the_same_plan_as_kg() {
    let kg = plan_of(&with(
        base(),
        "patient.weight",
        json!({"value": 79.83225712, "unit": "kg"}),
    ));
    let lb = plan_of(&with(
        base(),
        "patient.weight",
        json!({"value": 176, "unit": "lb"}),
    ));
    assert!((kg.infusion_mg_per_h - lb.infusion_mg_per_h).abs() < 1e-6);
    assert_eq!(kg.pump_ml_per_h, lb.pump_ml_per_h);
    assert_eq!(kg.monitoring_tier, lb.monitoring_tier);
}

#[test]
fn justification_shorter_than_20_characters_is_rejected() {
    let doc = with(base(), "justifications", json!({"pregnancy": "too short"}));
    assert_eq!(
        errors_of(&doc),
        vec!["justifications.pregnancy".to_string()]
    );
    let doc = with(
        base(),
        "justifications",
        json!({"pregnancy": "Discussed with obstetrics; benefit outweighs risk."}),
    );
    assert!(errors_of(&doc).is_empty());
}

#[test]
fn mcg_per_kg_per_min_converts_by_0_06() {
    let p = plan_of(&with(base(), "regimen.infusion", rate(10.0, "mcg/kg/min")));
    assert!((p.infusion_mg_per_kg_per_h - 0.6).abs() < 1e-12);
    assert!((p.infusion_mg_per_h - 42.0).abs() < 1e-9);
}

#[test]
fn every_vignette_case_round_trips_through_ron() {
    use ketaplan::domain::case::{CaseFormat, case_to_ron, parse_case};
    let p = protocol();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cases");
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let Ok(case) = parse_case(&p, &text, CaseFormat::from_path(&path)) else {
            continue;
        };
        let ron = match case_to_ron(&case) {
            Ok(r) => r,
            Err(e) => panic!("{path:?}: {e}"),
        };
        let back = parse_case(&p, &ron, CaseFormat::Ron);
        assert_eq!(back.as_ref().ok(), Some(&case), "{path:?}: {back:?}\n{ron}");
        assert_eq!(plan(&p, &case), plan(&p, back.as_ref().unwrap_or(&case)));
        checked += 1;
    }
    assert!(checked >= 30);
}

#[test]
fn order_clinic_phone_is_optional_text() {
    let p = protocol();
    let doc = with(base(), "order.clinic_phone", json!("555 0100"));
    let case = case_from_value(&p, &doc).unwrap_or_else(|e| panic!("case rejected: {e:?}"));
    assert_eq!(
        case.order.and_then(|o| o.clinic_phone).as_deref(),
        Some("555 0100")
    );
    // Absent is fine.
    let case = case_from_value(&p, &with(base(), "order.clinic", json!("Pain Clinic")))
        .unwrap_or_else(|e| panic!("case rejected: {e:?}"));
    assert_eq!(case.order.and_then(|o| o.clinic_phone), None);
    // A number, a list or an object is not a telephone written as text.
    for bad in [
        json!(5550100),
        json!(["555 0100"]),
        json!({"day": "555 0100"}),
    ] {
        let errors = errors_of(&with(base(), "order.clinic_phone", bad.clone()));
        assert_eq!(errors, vec!["order.clinic_phone".to_string()], "{bad}");
    }
}
