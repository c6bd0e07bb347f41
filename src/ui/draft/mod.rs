//! The case draft: exactly what the user typed (numbers stay strings, so "7O" stays "7O"),
//! and its translation into a `ketaplan.case/1` value for the engine's validator.
//!
//! Nothing here computes a clinical number. The only arithmetic is unit conversion of an
//! *entry* the user asked for (kg↔lb, in→cm) and the age from the date of birth.

mod from_value;
mod to_value;

use crate::domain::case::{BolusUnit, Course, DosingWeightBasis, RateUnit, Setting, Sex};
use crate::domain::findings::DoseField;
use crate::domain::protocol::{EscalationWhen, Protocol};
use crate::domain::units::CM_PER_IN;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum WeightUnitChoice {
    #[default]
    Kg,
    Lb,
}

impl WeightUnitChoice {
    pub fn as_str(self) -> &'static str {
        match self {
            WeightUnitChoice::Kg => "kg",
            WeightUnitChoice::Lb => "lb",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum HeightUnit {
    #[default]
    Cm,
    In,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum AgeSource {
    /// Age computed from the date of birth (on `today`).
    #[default]
    FromDateOfBirth,
    /// Age typed in (date of birth unknown or not yet entered).
    Entered,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum AllergyAnswer {
    #[default]
    Unanswered,
    NoneKnown,
    Listed,
}

/// The words the contract asks for when there are no known allergies.
pub const NO_KNOWN_ALLERGIES: &str = "no known allergies";

/// What a justification was written for; the text is dropped when those inputs change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum JustificationScope {
    /// A limit alert on a dose field.
    Dose(DoseField),
    /// A finding (screening answer or rule).
    Finding,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Justification {
    pub text: String,
    pub scope: JustificationScope,
    /// The inputs the text was written against (see [`CaseDraft::fingerprint`]).
    pub fingerprint: String,
}

/// Everything the wizard edits. Persistable; old fields never break loading.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CaseDraft {
    // Patient
    pub patient_name: String,
    pub mrn: String,
    pub date_of_birth: String,
    pub age_source: AgeSource,
    pub age_years: String,
    pub weight: String,
    pub weight_unit: WeightUnitChoice,
    pub weighed_on: String,
    pub height: String,
    pub height_unit: HeightUnit,
    pub sex: Option<Sex>,
    pub allergy_answer: AllergyAnswer,
    pub allergies: String,
    pub dosing_weight: DosingWeightBasis,
    // Indication
    pub condition: Option<String>,
    pub condition_detail: String,
    // Screening: code → Yes (true) / No (false); absent = unanswered.
    pub answers: BTreeMap<String, bool>,
    /// The codes in the order the loaded file listed them, which the case keeps (codes
    /// answered since follow in pack order).
    pub answer_order: Vec<String>,
    pub ort: String,
    pub soapp_r: String,
    // Regimen
    pub setting: Option<Setting>,
    pub course: Option<Course>,
    pub bolus_on: bool,
    pub bolus_value: String,
    pub bolus_unit: BolusUnit,
    pub bolus_minutes: String,
    pub infusion_value: String,
    pub infusion_unit: RateUnit,
    pub ceiling_on: bool,
    pub ceiling_value: String,
    pub ceiling_unit: RateUnit,
    pub duration_h: String,
    pub concentration_custom: bool,
    pub concentration_mg_per_ml: String,
    pub treatments_past_12_months: String,
    /// From the course: a raised liver test with no normal result since (V4-18).
    pub lft_raised_unresolved: bool,
    // Review
    pub justifications: BTreeMap<String, Justification>,
    pub prescriber: String,
    pub clinic: String,
    /// The clinic's telephone, for the handout and the order sheet (optional).
    pub clinic_phone: String,
    pub supervising_physician_name: String,
    pub administering_clinician_name: String,
    /// The airway/ACLS-trained clinician's name, beside that attestation (kept at every
    /// tier, so switching tiers loses nothing).
    pub airway_clinician_name: String,
    /// Attestations: `None` = never answered (absent from the file), `Some(false)` = a
    /// box the user or the file left unticked.
    #[serde(deserialize_with = "flag::deserialize")]
    pub attest_supervising_physician: Option<bool>,
    #[serde(deserialize_with = "flag::deserialize")]
    pub attest_administering_clinician: Option<bool>,
    #[serde(deserialize_with = "flag::deserialize")]
    pub attest_resuscitation_ready: Option<bool>,
    #[serde(deserialize_with = "flag::deserialize")]
    pub attest_airway_clinician_available: Option<bool>,
    /// The order number a loaded case carries: opaque, written back exactly as read while
    /// the case is as it was opened. A changed case is a new order and gets a new number
    /// (the Review page says which one it supersedes), so an old number is never printed
    /// on different content.
    pub order_number: Option<String>,
    /// The case (without its number) the order number was issued for.
    pub order_number_content: Option<String>,
    /// The loaded file had an `order` block (even an empty one): it is written back.
    pub order_in_file: bool,
    /// The loaded file had a `risk_scores` block (even an empty one): it is written back.
    pub risk_scores_in_file: bool,
    /// Parts of a loaded case the wizard does not edit yet (follow-up), passed through.
    pub follow_up: Option<Value>,
}

/// Attestation flags: read as `Option<bool>`, and also from a bare `true`/`false` (restore
/// files written when they were plain booleans), so no saved tick is lost.
mod flag {
    use serde::Deserializer;
    use serde::de::{self, Visitor};
    use std::fmt;

    struct FlagVisitor;

    impl<'de> Visitor<'de> for FlagVisitor {
        type Value = Option<bool>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("true, false, Some(true/false) or None")
        }
        fn visit_bool<E: de::Error>(self, b: bool) -> Result<Option<bool>, E> {
            Ok(Some(b))
        }
        fn visit_none<E: de::Error>(self) -> Result<Option<bool>, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Option<bool>, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<bool>, D::Error> {
            d.deserialize_any(FlagVisitor)
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
        d.deserialize_any(FlagVisitor)
    }
}

impl Default for CaseDraft {
    fn default() -> Self {
        Self {
            patient_name: String::new(),
            mrn: String::new(),
            date_of_birth: String::new(),
            age_source: AgeSource::default(),
            age_years: String::new(),
            weight: String::new(),
            weight_unit: WeightUnitChoice::Kg,
            weighed_on: String::new(),
            height: String::new(),
            height_unit: HeightUnit::Cm,
            sex: None,
            allergy_answer: AllergyAnswer::Unanswered,
            allergies: String::new(),
            dosing_weight: DosingWeightBasis::Actual,
            condition: None,
            condition_detail: String::new(),
            answers: BTreeMap::new(),
            answer_order: Vec::new(),
            ort: String::new(),
            soapp_r: String::new(),
            setting: None,
            course: None,
            bolus_on: false,
            bolus_value: String::new(),
            bolus_unit: BolusUnit::MgPerKg,
            bolus_minutes: String::new(),
            infusion_value: String::new(),
            infusion_unit: RateUnit::MgPerKgPerHour,
            ceiling_on: false,
            ceiling_value: String::new(),
            ceiling_unit: RateUnit::MgPerKgPerHour,
            duration_h: String::new(),
            concentration_custom: false,
            concentration_mg_per_ml: String::new(),
            treatments_past_12_months: "0".to_string(),
            lft_raised_unresolved: false,
            justifications: BTreeMap::new(),
            prescriber: String::new(),
            clinic: String::new(),
            clinic_phone: String::new(),
            supervising_physician_name: String::new(),
            administering_clinician_name: String::new(),
            airway_clinician_name: String::new(),
            attest_supervising_physician: None,
            attest_administering_clinician: None,
            attest_resuscitation_ready: None,
            attest_airway_clinician_available: None,
            order_number: None,
            order_number_content: None,
            order_in_file: false,
            risk_scores_in_file: false,
            follow_up: None,
        }
    }
}

/// A typed number: a JSON number when it parses, else the text itself, so that the
/// validator names the field ("must be a number, not text"). `None` when empty.
fn number_value(text: &str) -> Option<Value> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    match t.parse::<f64>() {
        Ok(x) if x.is_finite() => serde_json::Number::from_f64(x).map(Value::Number),
        _ => Some(Value::String(t.to_string())),
    }
}

fn parse_number(text: &str) -> Option<f64> {
    text.trim().parse::<f64>().ok().filter(|x| x.is_finite())
}

fn non_empty(text: &str) -> Option<Value> {
    let t = text.trim();
    (!t.is_empty()).then(|| Value::String(t.to_string()))
}

/// Whole years between `born` and `on` (birthday not yet reached this year: one less).
pub fn age_on(born: NaiveDate, on: NaiveDate) -> Option<u32> {
    let mut years = on.year() - born.year();
    if (on.month(), on.day()) < (born.month(), born.day()) {
        years -= 1;
    }
    u32::try_from(years).ok()
}

pub fn parse_date(text: &str) -> Option<NaiveDate> {
    crate::domain::case::parse_date(text.trim())
}

impl CaseDraft {
    /// A fresh draft for a new patient: weighed today, no bolus, standard bag.
    pub fn new(today: NaiveDate) -> Self {
        Self {
            weighed_on: today.format("%Y-%m-%d").to_string(),
            ..Self::default()
        }
    }

    /// The age in years that goes into the case: computed from the date of birth, or typed.
    pub fn age_value(&self, today: NaiveDate) -> Option<Value> {
        match self.age_source {
            AgeSource::Entered => number_value(&self.age_years),
            AgeSource::FromDateOfBirth => parse_date(&self.date_of_birth)
                .and_then(|born| age_on(born, today))
                .map(|age| json!(age)),
        }
    }

    /// Height in cm as the contract wants it (converted from inches when entered so).
    fn height_cm_value(&self) -> Option<Value> {
        match self.height_unit {
            HeightUnit::Cm => number_value(&self.height),
            HeightUnit::In => match parse_number(&self.height) {
                Some(inches) => serde_json::Number::from_f64(inches * CM_PER_IN).map(Value::Number),
                None => number_value(&self.height),
            },
        }
    }

    /// Switch the weight entry between kg and lb, converting what was typed so the
    /// dose stays the same. Unparseable text is left as it is.
    /// Switching kg/lb relabels the number as typed (the nurse read it off a scale in that
    /// unit); converting it would give a 2.2-fold dose to anyone who types first and picks
    /// the unit after. The line under the field shows what the number means in kg.
    pub fn set_weight_unit(&mut self, unit: WeightUnitChoice) {
        self.weight_unit = unit;
    }

    /// The screening answer for a code: Some(true) Yes, Some(false) No, None unanswered.
    pub fn answer(&self, code: &str) -> Option<bool> {
        self.answers.get(code).copied()
    }
    /// The inputs a justification for `code` depends on. When this string changes, the
    /// clinician's reason no longer refers to what is on screen and is dropped.
    pub fn fingerprint(
        &self,
        protocol: &Protocol,
        code: &str,
        scope: &JustificationScope,
    ) -> String {
        let rate = |v: &str, u: RateUnit| format!("{}|{}", v.trim(), u.as_str());
        let weight = format!(
            "{}|{}|{:?}|{}|{:?}",
            self.weight.trim(),
            self.weight_unit.as_str(),
            self.dosing_weight,
            self.height.trim(),
            self.sex
        );
        match scope {
            JustificationScope::Dose(DoseField::Bolus) => format!(
                "bolus:{}|{}|{}|{:?}|{weight}",
                self.bolus_on,
                self.bolus_value.trim(),
                self.bolus_unit.as_str(),
                self.bolus_minutes.trim()
            ),
            JustificationScope::Dose(DoseField::Infusion) => format!(
                "infusion:{}|{}|{}|{:?}|{weight}",
                rate(&self.infusion_value, self.infusion_unit),
                self.ceiling_on,
                rate(&self.ceiling_value, self.ceiling_unit),
                self.setting
            ),
            JustificationScope::Dose(DoseField::Pump) => format!(
                "pump:{}|{}|{}|{}|{weight}",
                rate(&self.infusion_value, self.infusion_unit),
                self.ceiling_on,
                rate(&self.ceiling_value, self.ceiling_unit),
                self.concentration_mg_per_ml.trim()
            ),
            JustificationScope::Dose(DoseField::Concentration) => format!(
                "concentration:{}|{}|{}|{}|{weight}",
                rate(&self.infusion_value, self.infusion_unit),
                self.ceiling_on,
                rate(&self.ceiling_value, self.ceiling_unit),
                self.concentration_mg_per_ml.trim()
            ),
            JustificationScope::Dose(DoseField::Weight) => {
                format!("weight:{}|{weight}", self.age_years.trim())
            }
            JustificationScope::Finding => {
                let mut parts = vec![format!("answer:{:?}", self.answer(code))];
                if let Some(esc) = protocol.finding(code).and_then(|d| d.escalation.as_ref()) {
                    match &esc.when {
                        EscalationWhen::WithCode(other) => {
                            parts.push(format!("{other}:{:?}", self.answer(other)));
                        }
                        EscalationWhen::SerialOrRepeated => {
                            parts.push(format!(
                                "course:{:?}|{}",
                                self.course,
                                self.treatments_past_12_months.trim()
                            ));
                        }
                        EscalationWhen::PriorExposure => {
                            parts.push(format!(
                                "prior:{}|{:?}|{:?}",
                                self.treatments_past_12_months.trim(),
                                self.answer("history_substance_abuse"),
                                self.answer("active_substance_abuse")
                            ));
                        }
                        EscalationWhen::AtMonitoredDose => {
                            // The dose decides the severity: any dose change re-asks.
                            parts.push(self.fingerprint(
                                protocol,
                                code,
                                &JustificationScope::Dose(DoseField::Bolus),
                            ));
                            parts.push(self.fingerprint(
                                protocol,
                                code,
                                &JustificationScope::Dose(DoseField::Infusion),
                            ));
                            parts.push(format!("age:{}", self.age_years.trim()));
                        }
                    }
                }
                if protocol.is_screening_code(code) {
                    parts.join("|")
                } else {
                    // Rule-made findings (evidence, annual count…): the inputs of those rules.
                    format!(
                        "rule:{:?}|{}|{:?}|{:?}",
                        self.condition,
                        self.treatments_past_12_months.trim(),
                        self.setting,
                        self.course
                    )
                }
            }
        }
    }

    /// Drop every justification whose inputs changed since it was written.
    /// Returns the codes whose reason was dropped, so the app can say so.
    pub fn clear_stale_justifications(&mut self, protocol: &Protocol) -> Vec<String> {
        let stale: Vec<String> = self
            .justifications
            .iter()
            .filter(|(code, j)| self.fingerprint(protocol, code, &j.scope) != j.fingerprint)
            .map(|(code, _)| code.clone())
            .collect();
        for code in &stale {
            self.justifications.remove(code);
        }
        stale
    }
}

/// What identifies a case's content (its value as text; maps are ordered by key).
fn content_key(case: &Map<String, Value>) -> String {
    serde_json::to_string(case).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 20).unwrap_or_default()
    }

    #[test]
    fn half_typed_number_goes_in_as_text() {
        assert_eq!(number_value("7O"), Some(json!("7O")));
        assert_eq!(number_value(" 70 "), Some(json!(70.0)));
        assert_eq!(number_value(""), None);
    }

    #[test]
    fn kg_lb_round_trip_keeps_the_entry() {
        let mut d = CaseDraft::new(today());
        d.weight = "80".into();
        d.set_weight_unit(WeightUnitChoice::Lb);
        d.set_weight_unit(WeightUnitChoice::Kg);
        assert_eq!(d.weight, "80");
    }

    #[test]
    fn restore_files_with_plain_boolean_attestations_still_load() {
        let mut d = CaseDraft::new(today());
        d.attest_supervising_physician = Some(true);
        d.attest_resuscitation_ready = Some(false);
        let text = ron::ser::to_string(&d).unwrap_or_default();
        assert_eq!(ron::from_str::<CaseDraft>(&text).ok(), Some(d));
        // Written when the flags were plain booleans.
        let old = "(attest_supervising_physician: true, attest_administering_clinician: false)";
        let read: CaseDraft = ron::from_str(old).unwrap_or_default();
        assert_eq!(read.attest_supervising_physician, Some(true));
        assert_eq!(read.attest_administering_clinician, Some(false));
        assert_eq!(read.attest_resuscitation_ready, None);
    }

    #[test]
    fn age_from_birthday() {
        let born = NaiveDate::from_ymd_opt(1971, 3, 2).unwrap_or_default();
        assert_eq!(age_on(born, today()), Some(55));
        let on = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default();
        assert_eq!(age_on(born, on), Some(54));
    }
}
