//! Step 2 content of the plan: personnel, monitoring, rescue and premedication, titration.

use ketaplan::domain::case::case_from_value;
use ketaplan::domain::findings::MonitoringTier;
use ketaplan::domain::protocol::{Protocol, RescueCategory, Severity};
use ketaplan::domain::{Plan, plan};
use serde_json::{Value, json};

fn protocol() -> Protocol {
    match Protocol::built_in() {
        Ok(p) => p,
        Err(e) => panic!("built-in protocol invalid: {e}"),
    }
}

fn case(age: u32, screening: &[&str], rate: f64, ceiling: Option<f64>) -> Value {
    let mut regimen = json!({
        "setting": "outpatient", "course": "single",
        "infusion": {"value": rate, "unit": "mg/kg/h"},
        "duration_h": 4, "concentration_mg_per_ml": 1
    });
    if let Some(c) = ceiling {
        regimen["max_infusion"] = json!({"value": c, "unit": "mg/kg/h"});
    }
    json!({
        "patient": {"age_years": age, "weight": {"value": 70, "unit": "kg"}},
        "condition": "crps", "screening": screening, "regimen": regimen
    })
}

fn plan_of(doc: &Value) -> Plan {
    let p = protocol();
    match case_from_value(&p, doc) {
        Ok(c) => plan(&p, &c),
        Err(e) => panic!("rejected: {e:?}"),
    }
}

fn is_benzodiazepine(drug: &str) -> bool {
    let d = drug.to_lowercase();
    d.contains("azepam") || d.contains("azolam")
}

#[test]
fn airway_clinician_is_required_from_the_monitored_tier() {
    let standard = plan_of(&case(40, &[], 0.5, None));
    assert_eq!(standard.monitoring_tier, MonitoringTier::Standard);
    let monitored = plan_of(&case(40, &[], 1.0, None));
    assert!(!standard.personnel.is_empty());
    let airway = |p: &Plan| {
        p.personnel
            .iter()
            .any(|r| r.role.to_lowercase().contains("airway"))
    };
    assert!(!airway(&standard));
    assert!(airway(&monitored));
    assert!(standard.personnel.iter().all(|r| !r.source.is_empty()));
    assert!(
        standard
            .personnel
            .iter()
            .any(|r| r.requirement.contains("ACLS"))
    );
}

#[test]
fn monitoring_names_the_sedation_scale_and_adds_ecg_when_indicated() {
    let p = plan_of(&case(40, &[], 0.5, None));
    assert!(p.monitoring.sedation_scale.text.contains("RASS"));
    let names: Vec<String> = p
        .monitoring
        .items
        .iter()
        .map(|i| i.name.to_lowercase())
        .collect();
    assert!(
        names
            .iter()
            .any(|n| n.contains("spo2") || n.contains("oxygen saturation"))
    );
    assert!(!names.iter().any(|n| n == "ecg" || n.starts_with("ecg")));
    let cv = plan_of(&case(40, &["cardiovascular_risk"], 0.5, None));
    assert!(
        cv.monitoring
            .items
            .iter()
            .any(|i| i.name.to_lowercase().starts_with("ecg"))
    );
    assert!(!p.monitoring.stop_criteria.is_empty());
    assert!(!p.monitoring.discharge_criteria.is_empty());
    assert!(!p.monitoring.fasting.is_empty());
    assert_eq!(p.monitoring.discharge_aldrete_from, 9.0);
    assert!(!p.monitoring.tier_meaning.is_empty());
}

#[test]
fn benzodiazepine_contraindication_keeps_a_first_line_seizure_drug() {
    let p = plan_of(&case(40, &["benzodiazepine_contraindication"], 0.5, None));
    assert!(
        p.rescue_medications
            .iter()
            .all(|r| !is_benzodiazepine(&r.drug))
    );
    assert!(p.premedication.iter().all(|r| !is_benzodiazepine(&r.drug)));
    let seizure: Vec<_> = p
        .rescue_medications
        .iter()
        .filter(|r| r.category == RescueCategory::Seizure)
        .collect();
    assert!(seizure.iter().any(|r| r.drug.contains("levetiracetam")));
    assert_eq!(
        p.finding("seizure_rescue_without_benzodiazepine")
            .map(|f| f.severity),
        Some(Severity::Info)
    );
    // Without the contraindication, the seizure plan starts with a benzodiazepine.
    let usual = plan_of(&case(40, &[], 0.5, None));
    assert!(
        usual
            .rescue_medications
            .iter()
            .any(|r| r.category == RescueCategory::Seizure && is_benzodiazepine(&r.drug))
    );
    assert!(
        !usual
            .rescue_medications
            .iter()
            .any(|r| r.drug.contains("levetiracetam"))
    );
    assert!(
        usual
            .finding("seizure_rescue_without_benzodiazepine")
            .is_none()
    );
}

#[test]
fn elderly_doses_are_adjusted_but_seizure_doses_are_not() {
    let young = plan_of(&case(64, &[], 0.3, None));
    let old = plan_of(&case(65, &[], 0.3, None));
    let find = |p: &Plan, drug: &str, category: RescueCategory| {
        p.rescue_medications
            .iter()
            .find(|r| r.drug == drug && r.category == category)
            .cloned()
    };
    let (Some(young_mid), Some(old_mid)) = (
        find(&young, "midazolam", RescueCategory::Rescue),
        find(&old, "midazolam", RescueCategory::Rescue),
    ) else {
        panic!("midazolam missing from the rescue list");
    };
    assert!(!young_mid.age_adjusted);
    assert!(old_mid.age_adjusted);
    assert_ne!(young_mid.dose, old_mid.dose);
    for r in old
        .rescue_medications
        .iter()
        .filter(|r| r.category == RescueCategory::Seizure)
    {
        assert!(!r.age_adjusted, "{} seizure dose was age-adjusted", r.drug);
    }
    // Weight-based seizure dose: 0.1 mg/kg × 70 kg = 7 mg, capped at 4 mg per dose.
    let lorazepam = old
        .rescue_medications
        .iter()
        .find(|r| r.category == RescueCategory::Seizure && r.drug.contains("lorazepam"));
    assert_eq!(lorazepam.and_then(|r| r.calculated_dose_mg), Some(4.0));
}

#[test]
fn stimulant_use_warns_against_beta_blockade() {
    let warned = |screening: &[&str]| {
        let p = plan_of(&case(40, screening, 0.5, None));
        p.rescue_medications
            .iter()
            .find(|r| r.drug.contains("labetalol"))
            .is_some_and(|r| !r.warnings.is_empty())
    };
    assert!(!warned(&[]));
    assert!(warned(&["intoxication"]));
    assert!(warned(&["active_substance_abuse"]));
}

#[test]
fn flumazenil_caution_with_seizures_or_regular_sedatives() {
    let warned = |screening: &[&str]| {
        let p = plan_of(&case(40, screening, 0.5, None));
        p.rescue_medications
            .iter()
            .find(|r| r.drug.contains("flumazenil"))
            .map(|r| !r.warnings.is_empty())
    };
    assert_eq!(warned(&[]), Some(false));
    assert_eq!(warned(&["seizure_disorder"]), Some(true));
    assert_eq!(warned(&["concurrent_sedatives"]), Some(true));
}

#[test]
fn titration_table_runs_from_start_to_ceiling() {
    let p = plan_of(&case(40, &[], 0.5, Some(0.8)));
    let Some(t) = &p.titration else {
        panic!("no titration table")
    };
    let rates: Vec<f64> = t.steps.iter().map(|s| s.mg_per_kg_per_h).collect();
    assert_eq!(rates, vec![0.5, 0.6, 0.7, 0.8]);
    let last = t.steps.last().map(|s| (s.mg_per_h, s.pump_ml_per_h));
    assert_eq!(last, Some((p.max_infusion_mg_per_h, p.max_pump_ml_per_h)));
    assert!(t.instruction.to_lowercase().contains("stop"));
    assert_eq!(t.interval_min, 30.0);
    // A ceiling between steps ends on the ceiling itself.
    let p = plan_of(&case(40, &[], 0.5, Some(0.75)));
    let rates: Vec<f64> = p
        .titration
        .map(|t| t.steps.iter().map(|s| s.mg_per_kg_per_h).collect())
        .unwrap_or_default();
    assert_eq!(rates, vec![0.5, 0.6, 0.7, 0.75]);
    // No ceiling, no table.
    assert!(plan_of(&case(40, &[], 0.5, None)).titration.is_none());
}

#[test]
fn adverse_effects_and_patient_instructions_are_listed() {
    let p = plan_of(&case(40, &[], 0.5, None));
    assert!(p.adverse_effects.len() >= 5);
    assert!(
        p.adverse_effects
            .iter()
            .any(|a| a.effect.to_lowercase().contains("cystitis"))
    );
    let text: String = p
        .patient_instructions
        .iter()
        .map(|l| l.text.to_lowercase())
        .collect();
    assert!(text.contains("escort") || text.contains("adult"));
    assert!(text.contains("driv"));
}
