//! The case draft: exactly what the user typed (numbers stay strings, so "7O" stays "7O"),
//! and its translation into a `ketaplan.case/1` value for the engine's validator.
//!
//! Nothing here computes a clinical number. The only arithmetic is unit conversion of an
//! *entry* the user asked for (kg↔lb, in→cm) and the age from the date of birth.

use crate::domain::case::{BolusUnit, Course, DosingWeightBasis, RateUnit, Setting, Sex};
use crate::domain::findings::DoseField;
use crate::domain::protocol::{EscalationWhen, Protocol};
use crate::domain::units::{CM_PER_IN, KG_PER_LB};
use crate::order::format;
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
    /// The entry before the last unit switch (unit, text, converted text), so switching
    /// back restores exactly what was typed instead of a rounded round trip.
    pub weight_switch_origin: Option<(WeightUnitChoice, String, String)>,
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
            weight_switch_origin: None,
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
    pub fn set_weight_unit(&mut self, unit: WeightUnitChoice) {
        if unit == self.weight_unit {
            return;
        }
        if let Some((origin_unit, origin_text, converted)) = self.weight_switch_origin.take()
            && origin_unit == unit
            && converted == self.weight
        {
            self.weight = origin_text;
        } else if let Some(x) = parse_number(&self.weight) {
            let converted = match unit {
                WeightUnitChoice::Lb => x / KG_PER_LB,
                WeightUnitChoice::Kg => x * KG_PER_LB,
            };
            // 9 significant digits: the same weight to well under a milligram.
            let text = format::number(converted).replace(',', "");
            self.weight_switch_origin = Some((
                self.weight_unit,
                std::mem::replace(&mut self.weight, text.clone()),
                text,
            ));
        }
        self.weight_unit = unit;
    }

    /// The screening answer for a code: Some(true) Yes, Some(false) No, None unanswered.
    pub fn answer(&self, code: &str) -> Option<bool> {
        self.answers.get(code).copied()
    }

    /// The draft as a `ketaplan.case/1` value. Empty optional fields are left out.
    pub fn to_value(&self, protocol: &Protocol, today: NaiveDate) -> Value {
        let mut case = self.value_without_order_number(protocol, today);
        if let Some(number) = &self.order_number
            && self.order_number_content.as_deref() == Some(content_key(&case).as_str())
            && let Some(Value::Object(order)) = case.get_mut("order")
        {
            order.insert("order_number".into(), json!(number));
        }
        Value::Object(case)
    }

    /// The case as it is saved: [`to_value`](Self::to_value) with every reason typed,
    /// including those still too short to count (the validator flags them beside their
    /// box when the file is opened again). The live plan never counts a short reason.
    pub fn to_saved_value(&self, protocol: &Protocol, today: NaiveDate) -> Value {
        let mut value = self.to_value(protocol, today);
        if let Some(Value::Object(saved)) = value.get_mut("justifications") {
            for (code, j) in &self.justifications {
                if !j.text.trim().is_empty() && !saved.contains_key(code) {
                    saved.insert(code.clone(), json!(j.text));
                }
            }
        }
        value
    }

    /// The order number the case carries as it stands: the loaded one while nothing has
    /// changed, else none (a new number is derived from the new content).
    pub fn order_number_in_force(&self, protocol: &Protocol, today: NaiveDate) -> Option<String> {
        let case = self.value_without_order_number(protocol, today);
        self.order_number
            .clone()
            .filter(|_| self.order_number_content.as_deref() == Some(content_key(&case).as_str()))
    }

    fn value_without_order_number(
        &self,
        protocol: &Protocol,
        today: NaiveDate,
    ) -> Map<String, Value> {
        let mut patient = Map::new();
        if let Some(age) = self.age_value(today) {
            patient.insert("age_years".into(), age);
        }
        let mut weight = Map::new();
        if let Some(w) = number_value(&self.weight) {
            weight.insert("value".into(), w);
        }
        weight.insert("unit".into(), json!(self.weight_unit.as_str()));
        patient.insert("weight".into(), Value::Object(weight));
        if let Some(h) = self.height_cm_value() {
            patient.insert("height_cm".into(), h);
        }
        if let Some(sex) = self.sex {
            patient.insert("sex".into(), json!(sex.as_str()));
        }

        let mut case = Map::new();
        case.insert("schema".into(), json!(crate::domain::case::CASE_SCHEMA));
        case.insert("patient".into(), Value::Object(patient));
        if let Some(c) = &self.condition {
            case.insert("condition".into(), json!(c));
        }
        // Exactly as typed (the validator counts its length as typed).
        if !self.condition_detail.trim().is_empty() {
            case.insert("condition_detail".into(), json!(self.condition_detail));
        }
        // Answers in the loaded file's order, then in pack order, so error paths
        // (`screening[i]`) are stable and an opened case is written back as it was.
        let mut codes: Vec<&str> = protocol
            .screening_codes()
            .map(|d| d.code.as_str())
            .collect();
        codes.sort_by_key(|c| {
            self.answer_order
                .iter()
                .position(|o| o == c)
                .unwrap_or(usize::MAX)
        });
        let yes: Vec<&str> = codes
            .iter()
            .copied()
            .filter(|c| self.answer(c) == Some(true))
            .collect();
        let no: Vec<&str> = codes
            .iter()
            .copied()
            .filter(|c| self.answer(c) == Some(false))
            .collect();
        case.insert("screening".into(), json!(yes));
        case.insert("screening_no".into(), json!(no));
        // Scores typed are kept whatever the answer (the engine reads them as the CLI does;
        // the Screening page shows them whenever there are any).
        let mut scores = Map::new();
        if let Some(v) = number_value(&self.ort) {
            scores.insert("ort".into(), v);
        }
        if let Some(v) = number_value(&self.soapp_r) {
            scores.insert("soapp_r".into(), v);
        }
        if !scores.is_empty() || self.risk_scores_in_file {
            case.insert("risk_scores".into(), Value::Object(scores));
        }

        let mut regimen = Map::new();
        if let Some(s) = self.setting {
            regimen.insert("setting".into(), json!(s.as_str()));
        }
        if let Some(c) = self.course {
            regimen.insert("course".into(), json!(c.as_str()));
        }
        regimen.insert("dosing_weight".into(), json!(self.dosing_weight.as_str()));
        if self.bolus_on {
            let mut bolus = Map::new();
            if let Some(v) = number_value(&self.bolus_value) {
                bolus.insert("value".into(), v);
            }
            bolus.insert("unit".into(), json!(self.bolus_unit.as_str()));
            if let Some(m) = number_value(&self.bolus_minutes) {
                bolus.insert("minutes".into(), m);
            }
            regimen.insert("bolus".into(), Value::Object(bolus));
        }
        regimen.insert(
            "infusion".into(),
            rate_value(&self.infusion_value, self.infusion_unit),
        );
        if self.ceiling_on {
            regimen.insert(
                "max_infusion".into(),
                rate_value(&self.ceiling_value, self.ceiling_unit),
            );
        }
        if let Some(d) = number_value(&self.duration_h) {
            regimen.insert("duration_h".into(), d);
        }
        if let Some(c) = number_value(&self.concentration_mg_per_ml) {
            regimen.insert("concentration_mg_per_ml".into(), c);
        }
        case.insert("regimen".into(), Value::Object(regimen));
        let mut history = Map::new();
        if let Some(n) = number_value(&self.treatments_past_12_months) {
            history.insert("treatments_past_12_months".into(), n);
        }
        case.insert("history".into(), Value::Object(history));
        if let Some(f) = &self.follow_up {
            case.insert("follow_up".into(), f.clone());
        }

        // Only reasons long enough go in; shorter ones are flagged beside their box.
        let min_chars = protocol.pack.input_limits.justification_min_chars.value;
        let mut justifications = Map::new();
        for (code, j) in &self.justifications {
            if j.text.trim().chars().count() as f64 >= min_chars {
                justifications.insert(code.clone(), json!(j.text));
            }
        }
        case.insert("justifications".into(), Value::Object(justifications));

        let mut order = Map::new();
        let texts = [
            ("patient_name", &self.patient_name),
            ("mrn", &self.mrn),
            ("date_of_birth", &self.date_of_birth),
            ("weighed_on", &self.weighed_on),
            ("prescriber", &self.prescriber),
            ("clinic", &self.clinic),
            ("clinic_phone", &self.clinic_phone),
            (
                "supervising_physician_name",
                &self.supervising_physician_name,
            ),
            (
                "administering_clinician_name",
                &self.administering_clinician_name,
            ),
            ("airway_clinician_name", &self.airway_clinician_name),
        ];
        for (key, text) in texts {
            if let Some(v) = non_empty(text) {
                order.insert(key.into(), v);
            }
        }
        match self.allergy_answer {
            AllergyAnswer::Unanswered => {}
            AllergyAnswer::NoneKnown => {
                order.insert("allergies".into(), json!(NO_KNOWN_ALLERGIES));
            }
            AllergyAnswer::Listed => {
                if let Some(v) = non_empty(&self.allergies) {
                    order.insert("allergies".into(), v);
                }
            }
        }
        let mut attest = Map::new();
        for (key, flag) in [
            ("supervising_physician", self.attest_supervising_physician),
            (
                "administering_clinician",
                self.attest_administering_clinician,
            ),
            ("resuscitation_ready", self.attest_resuscitation_ready),
            (
                "airway_clinician_available",
                self.attest_airway_clinician_available,
            ),
        ] {
            if let Some(given) = flag {
                attest.insert(key.into(), json!(given));
            }
        }
        if !attest.is_empty() {
            order.insert("attest".into(), Value::Object(attest));
        }
        // A case that never had an order block gets one only when something is entered.
        if !order.is_empty() || self.order_in_file {
            case.insert("order".into(), Value::Object(order));
        }
        case
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
    pub fn clear_stale_justifications(&mut self, protocol: &Protocol) {
        let stale: Vec<String> = self
            .justifications
            .iter()
            .filter(|(code, j)| self.fingerprint(protocol, code, &j.scope) != j.fingerprint)
            .map(|(code, _)| code.clone())
            .collect();
        for code in stale {
            self.justifications.remove(&code);
        }
    }

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
        d.follow_up = get(&["follow_up"]).cloned();
        let order_text = |key: &str| get(&["order", key]).map(s).unwrap_or_default();
        d.patient_name = order_text("patient_name");
        d.mrn = order_text("mrn");
        d.date_of_birth = order_text("date_of_birth");
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

/// What identifies a case's content (its value as text; maps are ordered by key).
fn content_key(case: &Map<String, Value>) -> String {
    serde_json::to_string(case).unwrap_or_default()
}

/// The scope of a loaded justification, from the alert codes' dose field.
fn scope_for_code(code: &str) -> JustificationScope {
    if code.starts_with("bolus_") {
        JustificationScope::Dose(DoseField::Bolus)
    } else if code.starts_with("infusion_") && code != "infusion_below_studied_range" {
        JustificationScope::Dose(DoseField::Infusion)
    } else if code.starts_with("pump_") {
        JustificationScope::Dose(DoseField::Pump)
    } else {
        JustificationScope::Finding
    }
}

fn rate_value(text: &str, unit: RateUnit) -> Value {
    let mut m = Map::new();
    if let Some(v) = number_value(text) {
        m.insert("value".into(), v);
    }
    m.insert("unit".into(), json!(unit.as_str()));
    Value::Object(m)
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
