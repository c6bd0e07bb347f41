//! Engine test helpers: the built-in pack, a base case edited by contract path, its plan.

pub use super::protocol;
use ketaplan::domain::case::case_from_value;
use ketaplan::domain::protocol::{AlertKind, Severity};
use ketaplan::domain::{Plan, plan};
use serde_json::{Value, json};

/// A healthy 40-year-old, 70 kg, outpatient single session, 0.5 mg/kg/h × 4 h at 1 mg/mL.
pub fn base() -> Value {
    json!({
        "schema": "ketaplan.case/1",
        "patient": {"age_years": 40, "weight": {"value": 70, "unit": "kg"}, "height_cm": 170, "sex": "female"},
        "condition": "crps",
        "screening": [],
        "regimen": {
            "setting": "outpatient", "course": "single",
            "infusion": {"value": 0.5, "unit": "mg/kg/h"},
            "duration_h": 4, "concentration_mg_per_ml": 1
        }
    })
}

pub fn with(mut doc: Value, path: &str, value: Value) -> Value {
    let mut target = &mut doc;
    let parts: Vec<&str> = path.split('.').collect();
    for part in &parts[..parts.len() - 1] {
        if target.get(*part).is_none() {
            target[*part] = json!({});
        }
        target = &mut target[*part];
    }
    target[parts[parts.len() - 1]] = value;
    doc
}

pub fn plan_of(doc: &Value) -> Plan {
    let p = protocol();
    match case_from_value(&p, doc) {
        Ok(case) => plan(&p, &case),
        Err(errors) => panic!("case rejected: {errors:?}"),
    }
}

pub fn errors_of(doc: &Value) -> Vec<String> {
    let p = protocol();
    match case_from_value(&p, doc) {
        Ok(_) => Vec::new(),
        Err(errors) => errors.into_iter().map(|e| e.field).collect(),
    }
}

pub fn alert_kind(plan: &Plan, code: &str) -> Option<AlertKind> {
    plan.alert(code).map(|a| a.kind)
}

pub fn severity(plan: &Plan, code: &str) -> Option<Severity> {
    plan.finding(code).map(|f| f.severity)
}

pub fn bolus(value: f64, unit: &str) -> Value {
    json!({"value": value, "unit": unit})
}

pub fn rate(value: f64, unit: &str) -> Value {
    json!({"value": value, "unit": unit})
}
