//! The case draft: exactly what the user typed (numbers stay strings, so "7O" stays "7O"),
//! and its translation into a `ketaplan.case/1` value for the engine's validator.
//!
//! Nothing here computes a clinical number. The only arithmetic is unit conversion of an
//! *entry* the user asked for (kg↔lb, in→cm) and the age from the date of birth.

mod fingerprint;
mod from_value;
mod to_value;
mod types;
mod values;

pub use types::{
    AgeSource, AllergyAnswer, HeightUnit, Justification, JustificationScope, NO_KNOWN_ALLERGIES,
    WeightUnitChoice,
};
pub use values::{age_on, parse_date};

use crate::domain::case::{BolusUnit, Course, DosingWeightBasis, RateUnit, Setting, Sex};
use crate::domain::units::CM_PER_IN;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use values::{content_key, non_empty, number_value, parse_number};

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
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 20).unwrap_or_default()
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
}
