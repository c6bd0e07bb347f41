//! Rules v4 at their boundaries: pump maximum, concentration floor, exposure by duration,
//! seizure weight bands, repeat after non-response, cystitis, ICP/IOP, new rescue drugs,
//! first-ever series, history of psychosis, raised LFTs, weight plausibility, frequencies.

mod common;

use common::engine::{alert_kind, base, bolus, errors_of, plan_of, rate, severity, with};
use ketaplan::domain::Plan;
use ketaplan::domain::findings::{DoseField, Proceed};
use ketaplan::domain::protocol::{AlertKind, Severity};
use serde_json::{Value, json};

fn mg_h(value: f64) -> Value {
    rate(value, "mg/h")
}

fn icu(doc: Value) -> Value {
    with(doc, "regimen.setting", json!("icu"))
}

fn drug<'a>(
    plan: &'a Plan,
    name: &str,
    indication_word: &str,
) -> Option<&'a ketaplan::domain::plan::RescueMedication> {
    plan.rescue_medications
        .iter()
        .find(|r| r.drug == name && r.indication.contains(indication_word))
}

// --- V4-01 pump rate above the container's maximum ---

#[test]
fn bag_rate_exactly_250_is_allowed_and_the_next_step_is_hard() {
    // 1 mg/mL bag: mL/h = mg/h.
    let p = plan_of(&icu(with(base(), "regimen.infusion", mg_h(250.0))));
    assert_eq!(p.pump_ml_per_h, 250.0);
    assert_eq!(alert_kind(&p, "pump_rate_above_maximum"), None);
    let p = plan_of(&icu(with(base(), "regimen.infusion", mg_h(250.0000001))));
    assert_eq!(alert_kind(&p, "pump_rate_above_maximum"), None);
    let p = plan_of(&icu(with(base(), "regimen.infusion", mg_h(250.1))));
    assert_eq!(
        alert_kind(&p, "pump_rate_above_maximum"),
        Some(AlertKind::Hard)
    );
    assert_eq!(p.proceed, Proceed::No);
    assert_eq!(
        p.alert("pump_rate_above_maximum").map(|a| a.field),
        Some(DoseField::Concentration)
    );
}

#[test]
fn the_titration_ceiling_is_checked_too() {
    let doc = icu(with(base(), "regimen.infusion", mg_h(100.0)));
    let p = plan_of(&with(doc.clone(), "regimen.max_infusion", mg_h(249.9)));
    assert_eq!(alert_kind(&p, "pump_rate_above_maximum"), None);
    let p = plan_of(&with(doc, "regimen.max_infusion", mg_h(260.0)));
    assert_eq!(
        alert_kind(&p, "pump_rate_above_maximum"),
        Some(AlertKind::Hard)
    );
}

#[test]
fn syringe_maximum_is_100_ml_per_h() {
    // 10 mg/mL ICU syringe: 1,000 mg/h = 100 mL/h.
    let doc = icu(with(base(), "regimen.concentration_mg_per_ml", json!(10)));
    let doc = with(doc, "patient.weight.value", json!(150));
    let p = plan_of(&with(doc.clone(), "regimen.infusion", mg_h(1000.0)));
    assert_eq!(p.pump_ml_per_h, 100.0);
    assert_eq!(alert_kind(&p, "pump_rate_above_maximum"), None);
    let p = plan_of(&with(doc, "regimen.infusion", mg_h(1001.0)));
    assert_eq!(
        alert_kind(&p, "pump_rate_above_maximum"),
        Some(AlertKind::Hard)
    );
}

#[test]
fn a_concentration_without_a_standard_container_gets_the_bag_limit() {
    // 5 mg/mL is not a standard concentration: 1,250 mg/h = 250 mL/h.
    let doc = icu(with(base(), "regimen.concentration_mg_per_ml", json!(5)));
    let doc = with(doc, "patient.weight.value", json!(200));
    let p = plan_of(&with(doc.clone(), "regimen.infusion", mg_h(1250.0)));
    assert_eq!(alert_kind(&p, "pump_rate_above_maximum"), None);
    let p = plan_of(&with(doc, "regimen.infusion", mg_h(1251.0)));
    assert_eq!(
        alert_kind(&p, "pump_rate_above_maximum"),
        Some(AlertKind::Hard)
    );
}

#[test]
fn a_fast_bolus_is_not_judged_by_the_infusion_maximum() {
    // 0.35 mg/kg x 70 kg = 24.5 mg over 1 min from 1 mg/mL is 1,470 mL/h by design.
    let doc = with(base(), "regimen.bolus", bolus(0.35, "mg/kg"));
    let doc = with(doc, "regimen.bolus.minutes", json!(1));
    let p = plan_of(&doc);
    assert_eq!(alert_kind(&p, "pump_rate_above_maximum"), None);
}

#[test]
fn tenfold_dilution_slip_cannot_proceed() {
    // 0.1 mg/mL typed for 1 mg/mL: 1.3 mg/kg/h x 70 kg = 91 mg/h -> 910 mL/h.
    let doc = with(base(), "regimen.setting", json!("inpatient"));
    let doc = with(doc, "regimen.infusion", rate(1.3, "mg/kg/h"));
    let p = plan_of(&with(doc, "regimen.concentration_mg_per_ml", json!(0.1)));
    assert_eq!(p.pump_ml_per_h, 910.0);
    assert_eq!(
        alert_kind(&p, "pump_rate_above_maximum"),
        Some(AlertKind::Hard)
    );
    assert_eq!(
        alert_kind(&p, "concentration_below_standard"),
        Some(AlertKind::Hard)
    );
    assert_eq!(p.proceed, Proceed::No);
}

// --- V4-02 / V4-24 concentration floor ---

#[test]
fn concentration_below_the_weakest_standard_is_hard() {
    let p = plan_of(&base());
    assert_eq!(alert_kind(&p, "concentration_below_standard"), None);
    let p = plan_of(&with(
        base(),
        "regimen.concentration_mg_per_ml",
        json!(0.999999),
    ));
    assert_eq!(
        alert_kind(&p, "concentration_below_standard"),
        Some(AlertKind::Hard)
    );
    // 0.35 mg/kg/h x 70 kg at 0.1 mg/mL = 245 mL/h: under the bag maximum, still hard.
    let doc = with(base(), "regimen.infusion", rate(0.35, "mg/kg/h"));
    let p = plan_of(&with(doc, "regimen.concentration_mg_per_ml", json!(0.1)));
    assert_eq!(p.pump_ml_per_h, 245.0);
    assert_eq!(alert_kind(&p, "pump_rate_above_maximum"), None);
    assert_eq!(
        alert_kind(&p, "concentration_below_standard"),
        Some(AlertKind::Hard)
    );
}

#[test]
fn concentration_under_0_1_is_an_input_error() {
    for bad in [0.0999999, 0.01, 1e-9] {
        let errors = errors_of(&with(base(), "regimen.concentration_mg_per_ml", json!(bad)));
        assert_eq!(errors, vec!["regimen.concentration_mg_per_ml"], "{bad}");
    }
    assert!(errors_of(&with(base(), "regimen.concentration_mg_per_ml", json!(0.1))).is_empty());
}

// --- V4-03 exposure by duration ---

#[test]
fn an_infusion_over_24_h_gets_lfts_whatever_its_label() {
    let doc = with(base(), "regimen.setting", json!("inpatient"));
    let p = plan_of(&with(doc.clone(), "regimen.duration_h", json!(24)));
    assert!(p.preinfusion_tests.is_empty());
    let p = plan_of(&with(doc, "regimen.duration_h", json!(24.0000001)));
    assert_eq!(p.preinfusion_tests, vec!["lft_baseline", "lft_post"]);
}

// --- V4-04 seizure midazolam by weight ---

fn im_midazolam_at(kg: f64, age: u32) -> Option<(String, Option<f64>)> {
    let doc = with(base(), "patient.weight.value", json!(kg));
    let p = plan_of(&with(doc, "patient.age_years", json!(age)));
    drug(&p, "midazolam", "seizure").map(|r| (r.dose.to_string(), r.calculated_dose_mg))
}

#[test]
fn intramuscular_midazolam_follows_the_rampart_bands() {
    assert_eq!(
        im_midazolam_at(40.0000001, 40).and_then(|d| d.1),
        Some(10.0)
    );
    assert_eq!(im_midazolam_at(40.0, 40).and_then(|d| d.1), Some(5.0));
    assert_eq!(im_midazolam_at(13.0, 40).and_then(|d| d.1), Some(5.0));
    let below = im_midazolam_at(12.9, 40);
    assert_eq!(below.as_ref().and_then(|d| d.1), None);
    assert!(below.is_some_and(|d| d.0.contains("13 kg")));
}

#[test]
fn seizure_doses_are_never_halved_for_age() {
    assert_eq!(im_midazolam_at(70.0, 80).and_then(|d| d.1), Some(10.0));
    let doc = with(base(), "patient.age_years", json!(80));
    let p = plan_of(&doc);
    let lorazepam = drug(&p, "lorazepam", "seizure");
    assert_eq!(lorazepam.and_then(|r| r.calculated_dose_mg), Some(4.0));
    assert_eq!(lorazepam.map(|r| r.age_adjusted), Some(false));
}

// --- V4-07 repeat after a non-response ---

fn after(fu: Value, treatments: u32) -> Plan {
    let doc = with(base(), "follow_up", fu);
    plan_of(&with(
        doc,
        "history.treatments_past_12_months",
        json!(treatments),
    ))
}

#[test]
fn a_repeat_after_a_negative_response_needs_a_reason() {
    let negative = json!({"pain_before": 8, "pain_after": 7, "satisfied": false});
    assert_eq!(
        severity(&after(negative.clone(), 1), "repeat_not_supported"),
        Some(Severity::Avoid)
    );
    assert_eq!(
        after(negative.clone(), 1).proceed,
        Proceed::NeedsJustification
    );
    assert_eq!(severity(&after(negative, 0), "repeat_not_supported"), None);
    let positive = json!({"pain_before": 10, "pain_after": 7, "satisfied": true});
    assert_eq!(severity(&after(positive, 1), "repeat_not_supported"), None);
    let no_data = json!({"satisfied": true});
    assert_eq!(severity(&after(no_data, 1), "repeat_not_supported"), None);
}

// --- V4-08 urinary symptoms on re-exposure ---

#[test]
fn urinary_symptoms_after_earlier_ketamine_are_avoid() {
    let doc = with(base(), "screening", json!(["urinary_symptoms"]));
    assert_eq!(
        severity(&plan_of(&doc), "urinary_symptoms"),
        Some(Severity::Caution)
    );
    let repeat = with(doc.clone(), "history.treatments_past_12_months", json!(1));
    let p = plan_of(&repeat);
    assert_eq!(severity(&p, "urinary_symptoms"), Some(Severity::Avoid));
    assert_eq!(
        p.findings
            .iter()
            .filter(|f| f.code == "urinary_symptoms")
            .count(),
        1
    );
    assert!(
        p.finding("urinary_symptoms")
            .is_some_and(|f| f.message.contains("stopping ketamine"))
    );
    let abuse = with(
        base(),
        "screening",
        json!(["urinary_symptoms", "history_substance_abuse"]),
    );
    assert_eq!(
        severity(&plan_of(&abuse), "urinary_symptoms"),
        Some(Severity::Avoid)
    );
}

// --- V4-09 raised ICP / IOP ---

#[test]
fn raised_icp_is_avoid_below_the_monitored_thresholds_and_stop_at_them() {
    for code in ["elevated_icp", "elevated_iop"] {
        let doc = with(base(), "screening", json!([code]));
        let at = |r: f64| plan_of(&with(doc.clone(), "regimen.infusion", rate(r, "mg/kg/h")));
        assert_eq!(severity(&at(0.99), code), Some(Severity::Avoid));
        assert_eq!(severity(&at(1.0), code), Some(Severity::Stop));
        assert_eq!(at(1.0).proceed, Proceed::No);
        let with_bolus = |b: f64| plan_of(&with(doc.clone(), "regimen.bolus", bolus(b, "mg/kg")));
        assert_eq!(severity(&with_bolus(0.34), code), Some(Severity::Avoid));
        assert_eq!(severity(&with_bolus(0.35), code), Some(Severity::Stop));
        // Halved thresholds at 65: 0.5 mg/kg/h is no longer a lower dose.
        let elderly = with(doc.clone(), "patient.age_years", json!(65));
        let p = plan_of(&with(
            elderly.clone(),
            "regimen.infusion",
            rate(0.5, "mg/kg/h"),
        ));
        assert_eq!(severity(&p, code), Some(Severity::Stop));
        let p = plan_of(&with(elderly, "regimen.infusion", rate(0.49, "mg/kg/h")));
        assert_eq!(severity(&p, code), Some(Severity::Avoid));
    }
}

// --- V4-12 new rescue drugs ---

#[test]
fn dexmedetomidine_only_at_the_icu_tier() {
    assert!(drug(&plan_of(&base()), "dexmedetomidine", "").is_none());
    // ICU setting but the monitored tier: not listed.
    let p = plan_of(&icu(with(base(), "regimen.infusion", rate(2.0, "mg/kg/h"))));
    assert!(drug(&p, "dexmedetomidine", "").is_none());
    let p = plan_of(&icu(with(
        base(),
        "regimen.infusion",
        rate(2.01, "mg/kg/h"),
    )));
    assert!(drug(&p, "dexmedetomidine", "").is_some_and(|d| d.dose.contains("mcg/kg/h")));
}

#[test]
fn naloxone_with_opioids_and_kept_when_benzodiazepines_are_contraindicated() {
    assert!(drug(&plan_of(&base()), "naloxone", "").is_none());
    let doc = with(
        base(),
        "screening",
        json!(["concurrent_sedatives", "benzodiazepine_contraindication"]),
    );
    let p = plan_of(&doc);
    let naloxone = drug(&p, "naloxone", "opioid");
    assert!(naloxone.is_some_and(|n| {
        n.warnings
            .iter()
            .any(|w| w.text.contains("does not reverse ketamine"))
    }));
    assert!(drug(&p, "flumazenil", "").is_none());
}

#[test]
fn labetalol_names_stimulants_only_with_substance_use_on_record() {
    let label = |p: &Plan| {
        drug(p, "labetalol", "").map(|d| d.warnings.iter().any(|w| w.text.contains("stimulant")))
    };
    assert_eq!(label(&plan_of(&base())), Some(false));
    let p = plan_of(&with(base(), "screening", json!(["intoxication"])));
    assert_eq!(label(&p), Some(true));
    let plain = plan_of(&base());
    let haloperidol = drug(&plain, "haloperidol", "");
    assert!(haloperidol.is_some_and(|h| h.warnings.iter().any(|w| w.text.contains("Parkinson"))));
}

// --- V4-14 start with one infusion ---

#[test]
fn a_first_ever_series_or_continuous_course_starts_with_one_infusion() {
    assert_eq!(
        severity(&plan_of(&base()), "start_with_single_infusion"),
        None
    );
    let series = with(base(), "regimen.course", json!("series"));
    assert_eq!(
        severity(&plan_of(&series), "start_with_single_infusion"),
        Some(Severity::Caution)
    );
    let repeat = with(series, "history.treatments_past_12_months", json!(1));
    assert_eq!(
        severity(&plan_of(&repeat), "start_with_single_infusion"),
        None
    );
    let long_single = with(base(), "regimen.setting", json!("inpatient"));
    let long_single = with(long_single, "regimen.duration_h", json!(48));
    assert_eq!(
        severity(&plan_of(&long_single), "start_with_single_infusion"),
        Some(Severity::Caution)
    );
}

// --- V4-15 history of psychosis (optional) ---

#[test]
fn history_of_psychosis_is_optional_and_a_caution() {
    let p = plan_of(&base());
    assert!(
        !p.unanswered_screening
            .iter()
            .any(|c| c == "history_of_psychosis")
    );
    let p = plan_of(&with(base(), "screening", json!(["history_of_psychosis"])));
    assert_eq!(
        severity(&p, "history_of_psychosis"),
        Some(Severity::Caution)
    );
}

// --- V4-18 raised LFTs on record ---

#[test]
fn an_unresolved_lft_rise_needs_a_reason() {
    let p = plan_of(&with(base(), "history.lft_raised_unresolved", json!(true)));
    assert_eq!(severity(&p, "lft_raised"), Some(Severity::Avoid));
    assert_eq!(p.proceed, Proceed::NeedsJustification);
    let p = plan_of(&with(base(), "history.lft_raised_unresolved", json!(false)));
    assert_eq!(severity(&p, "lft_raised"), None);
    let errors = errors_of(&with(base(), "history.lft_raised_unresolved", json!("yes")));
    assert_eq!(errors, vec!["history.lft_raised_unresolved"]);
}

// --- V4-20 weight plausibility ---

#[test]
fn an_adult_under_30_kg_or_bmi_under_13_confirms_the_weight() {
    let at = |kg: f64, age: u32| {
        let doc = with(base(), "patient.weight.value", json!(kg));
        alert_kind(
            &plan_of(&with(doc, "patient.age_years", json!(age))),
            "weight_unusual",
        )
    };
    // Height 170 cm: BMI 13 is 37.57 kg.
    assert_eq!(at(37.57, 40), None);
    assert_eq!(at(37.5, 40), Some(AlertKind::Soft));
    assert_eq!(at(29.99, 17), None);
    let no_height = |kg: f64| {
        let mut doc = with(base(), "patient.weight.value", json!(kg));
        if let Some(patient) = doc["patient"].as_object_mut() {
            patient.remove("height_cm");
        }
        alert_kind(&plan_of(&doc), "weight_unusual")
    };
    assert_eq!(no_height(30.0), None);
    assert_eq!(no_height(29.99), Some(AlertKind::Soft));
    // Heavy patients are real: no upper alert.
    assert_eq!(at(250.0, 40), None);
    let p = plan_of(&with(base(), "patient.weight.value", json!(29)));
    assert_eq!(p.proceed, Proceed::NeedsJustification);
    assert_eq!(
        p.alert("weight_unusual").map(|a| a.field),
        Some(DoseField::Weight)
    );
}

#[test]
fn pregnancy_is_not_tied_to_the_recorded_sex() {
    let doc = with(base(), "patient.sex", json!("male"));
    let p = plan_of(&with(doc, "screening", json!(["pregnancy"])));
    assert_eq!(severity(&p, "pregnancy"), Some(Severity::Avoid));
}

// --- V4-21 frequency lines ---

fn frequency_labels(doc: &Value) -> Vec<String> {
    plan_of(doc)
        .monitoring
        .frequencies
        .iter()
        .map(|l| l.label.to_string())
        .collect()
}

#[test]
fn frequency_lines_follow_the_exposure_and_the_setting() {
    let single = frequency_labels(&base());
    assert!(single.iter().any(|l| l.contains("single-day")));
    assert!(
        !single
            .iter()
            .any(|l| l.contains("Multi-day") || l.contains("ICU"))
    );
    let long = with(base(), "regimen.setting", json!("inpatient"));
    let long = with(long, "regimen.duration_h", json!(72));
    let multi = frequency_labels(&long);
    assert!(multi.iter().any(|l| l.contains("Multi-day")));
    assert!(!multi.iter().any(|l| l.contains("single-day")));
    let in_icu = frequency_labels(&icu(long));
    assert!(in_icu.iter().any(|l| l == "In the ICU"));
    assert!(!in_icu.iter().any(|l| l.contains("outside the ICU")));
}
