//! A draft filled from a case document, to open a saved case (case value → draft).

use super::{
    AgeSource, AllergyAnswer, CaseDraft, Justification, JustificationScope, NO_KNOWN_ALLERGIES,
    WeightUnitChoice, content_key,
};
use crate::domain::case::{BolusUnit, Course, DosingWeightBasis, RateUnit, Setting, Sex};
use crate::domain::findings::DoseField;
use crate::domain::protocol::Protocol;
use chrono::NaiveDate;
use serde_json::Value;

impl CaseDraft {
    /// Fill the draft from a case document (used to open a saved case). Unknown parts are
    /// ignored here; the validator reports them when the draft is checked.
    pub fn from_case_value(protocol: &Protocol, value: &Value, today: NaiveDate) -> Self {
        // A saved case says when the patient was weighed; today is only a new case's default.
        let mut d = Self {
            weighed_on: String::new(),
            ..Self::new(today)
        };
        // Numbers in full (Rust's shortest exact form), so opening and saving changes none.
        let s = |v: &Value| match v {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.as_f64().map(|x| x.to_string()).unwrap_or_default(),
            _ => String::new(),
        };
        let get = |path: &[&str]| -> Option<&Value> {
            let mut cur = value;
            for key in path {
                cur = cur.get(key)?;
            }
            (!cur.is_null()).then_some(cur)
        };
        if let Some(v) = get(&["patient", "age_years"]) {
            d.age_years = s(v);
            d.age_source = AgeSource::Entered;
        }
        if let Some(v) = get(&["patient", "weight", "value"]) {
            d.weight = s(v);
        }
        if get(&["patient", "weight", "unit"]).and_then(Value::as_str) == Some("lb") {
            d.weight_unit = WeightUnitChoice::Lb;
        }
        if let Some(v) = get(&["patient", "height_cm"]) {
            d.height = s(v);
        }
        d.sex = get(&["patient", "sex"])
            .and_then(Value::as_str)
            .and_then(Sex::parse);
        d.condition = get(&["condition"])
            .and_then(Value::as_str)
            .map(String::from);
        if let Some(v) = get(&["condition_detail"]) {
            d.condition_detail = s(v);
        }
        for (key, yes) in [("screening", true), ("screening_no", false)] {
            if let Some(Value::Array(items)) = get(&[key]) {
                for code in items.iter().filter_map(Value::as_str) {
                    d.answers.insert(code.to_string(), yes);
                    d.answer_order.push(code.to_string());
                }
            }
        }
        d.risk_scores_in_file = get(&["risk_scores"]).is_some();
        if let Some(v) = get(&["risk_scores", "ort"]) {
            d.ort = s(v);
        }
        if let Some(v) = get(&["risk_scores", "soapp_r"]) {
            d.soapp_r = s(v);
        }
        d.setting = get(&["regimen", "setting"])
            .and_then(Value::as_str)
            .and_then(Setting::parse);
        d.course = get(&["regimen", "course"])
            .and_then(Value::as_str)
            .and_then(Course::parse);
        if let Some(b) = get(&["regimen", "dosing_weight"])
            .and_then(Value::as_str)
            .and_then(DosingWeightBasis::parse)
        {
            d.dosing_weight = b;
        }
        if let Some(v) = get(&["regimen", "bolus", "value"]) {
            d.bolus_on = true;
            d.bolus_value = s(v);
        }
        if let Some(u) = get(&["regimen", "bolus", "unit"])
            .and_then(Value::as_str)
            .and_then(BolusUnit::parse)
        {
            d.bolus_unit = u;
        }
        if let Some(v) = get(&["regimen", "bolus", "minutes"]) {
            d.bolus_minutes = s(v);
        }
        if let Some(v) = get(&["regimen", "infusion", "value"]) {
            d.infusion_value = s(v);
        }
        if let Some(u) = get(&["regimen", "infusion", "unit"])
            .and_then(Value::as_str)
            .and_then(RateUnit::parse)
        {
            d.infusion_unit = u;
        }
        if let Some(v) = get(&["regimen", "max_infusion", "value"]) {
            d.ceiling_on = true;
            d.ceiling_value = s(v);
        }
        if let Some(u) = get(&["regimen", "max_infusion", "unit"])
            .and_then(Value::as_str)
            .and_then(RateUnit::parse)
        {
            d.ceiling_unit = u;
        }
        if let Some(v) = get(&["regimen", "duration_h"]) {
            d.duration_h = s(v);
        }
        if let Some(v) = get(&["regimen", "concentration_mg_per_ml"]) {
            d.concentration_mg_per_ml = s(v);
        }
        if let Some(v) = get(&["history", "treatments_past_12_months"]) {
            d.treatments_past_12_months = s(v);
        }
        d.lft_raised_unresolved = get(&["history", "lft_raised_unresolved"])
            .and_then(Value::as_bool)
            .unwrap_or(false);
        d.follow_up = get(&["follow_up"]).cloned();
        let order_text = |key: &str| get(&["order", key]).map(s).unwrap_or_default();
        d.patient_name = order_text("patient_name");
        d.mrn = order_text("mrn");
        d.date_of_birth = order_text("date_of_birth");
        // A saved case whose age is the one its date of birth gives keeps "age from date of
        // birth" on reopening (the age then follows the date, as when it was typed).
        if let Some(born) = super::parse_date(&d.date_of_birth)
            && super::age_on(born, today).map(|a| a.to_string()) == Some(d.age_years.clone())
        {
            d.age_source = AgeSource::FromDateOfBirth;
        }
        if let Some(w) = get(&["order", "weighed_on"]) {
            d.weighed_on = s(w);
        }
        d.prescriber = order_text("prescriber");
        d.clinic = order_text("clinic");
        d.clinic_phone = order_text("clinic_phone");
        d.supervising_physician_name = order_text("supervising_physician_name");
        d.administering_clinician_name = order_text("administering_clinician_name");
        d.airway_clinician_name = order_text("airway_clinician_name");
        d.order_number = get(&["order", "order_number"]).map(s);
        d.order_in_file = get(&["order"]).is_some();
        match get(&["order", "allergies"]).map(s) {
            Some(a) if a.trim().eq_ignore_ascii_case(NO_KNOWN_ALLERGIES) => {
                d.allergy_answer = AllergyAnswer::NoneKnown;
            }
            Some(a) if !a.trim().is_empty() => {
                d.allergy_answer = AllergyAnswer::Listed;
                d.allergies = a;
            }
            _ => {}
        }
        let flag = |key: &str| get(&["order", "attest", key]).and_then(Value::as_bool);
        d.attest_supervising_physician = flag("supervising_physician");
        d.attest_administering_clinician = flag("administering_clinician");
        d.attest_resuscitation_ready = flag("resuscitation_ready");
        d.attest_airway_clinician_available = flag("airway_clinician_available");
        if let Some(Value::Object(map)) = get(&["justifications"]) {
            for (code, text) in map {
                if let Some(text) = text.as_str() {
                    let scope = scope_for_code(code);
                    let fingerprint = d.fingerprint(protocol, code, &scope);
                    d.justifications.insert(
                        code.clone(),
                        Justification {
                            text: text.to_string(),
                            scope,
                            fingerprint,
                        },
                    );
                }
            }
        }
        if d.order_number.is_some() {
            let content = d.value_without_order_number(protocol, today);
            d.order_number_content = Some(content_key(&content));
        }
        d
    }
}

/// The scope of a loaded justification, from the alert codes' dose field.
fn scope_for_code(code: &str) -> JustificationScope {
    if code == "weight_unusual" {
        JustificationScope::Dose(DoseField::Weight)
    } else if code == "pump_rate_above_maximum" || code.starts_with("concentration_") {
        JustificationScope::Dose(DoseField::Concentration)
    } else if code.starts_with("bolus_") {
        JustificationScope::Dose(DoseField::Bolus)
    } else if code.starts_with("infusion_") && code != "infusion_below_studied_range" {
        JustificationScope::Dose(DoseField::Infusion)
    } else if code.starts_with("pump_") {
        JustificationScope::Dose(DoseField::Pump)
    } else {
        JustificationScope::Finding
    }
}
