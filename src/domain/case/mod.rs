//! A patient case (`ketaplan.case/1`) and its validation.
//!
//! Reading is in three steps so that *every* error is reported, each with its path:
//! parse the text (JSON or RON) to a generic value, validate the whole document against
//! the contract and the protocol pack, then build the typed [`Case`]. The app reuses
//! [`case_from_value`] for half-typed input.

use crate::domain::protocol::Protocol;
use crate::domain::str_enum::str_enum;
use crate::domain::units::{Kilograms, MgPerHour, MgPerKg, MgPerKgPerHour, Milligrams};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt;

pub mod allergies;
pub mod order_fields;
pub mod printable;
mod validate;

pub use crate::domain::patient::{DosingWeightBasis, Patient, Sex, WeightEntry, WeightUnit};
pub use validate::case_from_value;

pub const CASE_SCHEMA: &str = "ketaplan.case/1";

/// An input error: the dotted path of the field and a message a clinician understands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.field, self.message)
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Setting {
    Outpatient,
    Inpatient,
    Icu,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Course {
    Single,
    Series,
    Continuous,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum BolusUnit {
    MgPerKg,
    Mg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum RateUnit {
    MgPerKgPerHour,
    McgPerKgPerMin,
    MgPerHour,
}

str_enum!(Setting {
    Outpatient = "outpatient",
    Inpatient = "inpatient",
    Icu = "icu"
});
str_enum!(Course {
    Single = "single",
    Series = "series",
    Continuous = "continuous"
});
str_enum!(BolusUnit {
    MgPerKg = "mg/kg",
    Mg = "mg"
});
str_enum!(RateUnit {
    MgPerKgPerHour = "mg/kg/h",
    McgPerKgPerMin = "mcg/kg/min",
    MgPerHour = "mg/h"
});

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BolusEntry {
    pub value: f64,
    pub unit: BolusUnit,
    pub minutes: f64,
}

impl BolusEntry {
    /// The bolus per kg of dosing weight, whatever unit it was entered in.
    pub fn mg_per_kg(&self, dosing_weight: Kilograms) -> MgPerKg {
        match self.unit {
            BolusUnit::MgPerKg => MgPerKg(self.value),
            BolusUnit::Mg => Milligrams(self.value).per_weight(dosing_weight),
        }
    }
    pub fn mg(&self, dosing_weight: Kilograms) -> Milligrams {
        match self.unit {
            BolusUnit::MgPerKg => MgPerKg(self.value).times_weight(dosing_weight),
            BolusUnit::Mg => Milligrams(self.value),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RateEntry {
    pub value: f64,
    pub unit: RateUnit,
}

impl RateEntry {
    pub fn mg_per_kg_per_h(&self, dosing_weight: Kilograms) -> MgPerKgPerHour {
        match self.unit {
            RateUnit::MgPerKgPerHour => MgPerKgPerHour(self.value),
            RateUnit::McgPerKgPerMin => {
                crate::domain::units::McgPerKgPerMin(self.value).to_mg_per_kg_per_h()
            }
            RateUnit::MgPerHour => MgPerHour(self.value).per_weight(dosing_weight),
        }
    }
    pub fn mg_per_h(&self, dosing_weight: Kilograms) -> MgPerHour {
        match self.unit {
            RateUnit::MgPerHour => MgPerHour(self.value),
            _ => self
                .mg_per_kg_per_h(dosing_weight)
                .times_weight(dosing_weight),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Regimen {
    pub setting: Setting,
    pub course: Course,
    #[serde(default)]
    pub dosing_weight: DosingWeightBasis,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bolus: Option<BolusEntry>,
    pub infusion: RateEntry,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_infusion: Option<RateEntry>,
    pub duration_h: f64,
    pub concentration_mg_per_ml: f64,
}

impl Regimen {
    /// The bolus to give, if any (a value of 0 means no bolus).
    pub fn given_bolus(&self) -> Option<&BolusEntry> {
        self.bolus.as_ref().filter(|b| b.value > 0.0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct History {
    pub treatments_past_12_months: u32,
    /// A liver test after ketamine was raised and no normal result has followed (V4-18;
    /// the app fills it from the course).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub lft_raised_unresolved: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct RiskScores {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ort: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub soapp_r: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct FollowUp {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pain_before: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pain_after: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub satisfied: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relief_ongoing: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub odi_before: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub odi_after: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opioid_mme_before: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opioid_mme_after: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weeks_of_relief: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub setting: Option<Setting>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub course: Option<Course>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Attestations {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supervising_physician: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub administering_clinician: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resuscitation_ready: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub airway_clinician_available: Option<bool>,
}

/// Identifiers, names and attestations for the printed order.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct OrderInfo {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patient_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mrn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_of_birth: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weighed_on: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allergies: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prescriber: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clinic: Option<String>,
    /// The clinic's telephone, printed on the handout and the order sheet when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clinic_phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supervising_physician_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub administering_clinician_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub airway_clinician_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attest: Option<Attestations>,
}

/// A validated case. Build it with [`parse_case`] or [`case_from_value`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Case {
    pub schema: String,
    pub patient: Patient,
    pub condition: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition_detail: Option<String>,
    pub screening: Vec<String>,
    #[serde(default)]
    pub screening_no: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk_scores: Option<RiskScores>,
    pub regimen: Regimen,
    #[serde(default)]
    pub history: History,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up: Option<FollowUp>,
    #[serde(default)]
    pub justifications: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<OrderInfo>,
}

impl Case {
    pub fn answered_yes(&self, code: &str) -> bool {
        self.screening.iter().any(|c| c == code)
    }
    pub fn answered(&self, code: &str) -> bool {
        self.answered_yes(code) || self.screening_no.iter().any(|c| c == code)
    }
}

/// The text format of a case file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseFormat {
    Json,
    Ron,
}

impl CaseFormat {
    /// `.ron` files are RON; everything else is read as JSON.
    pub fn from_path(path: &std::path::Path) -> CaseFormat {
        match path.extension().and_then(|e| e.to_str()) {
            Some(ext) if ext.eq_ignore_ascii_case("ron") => CaseFormat::Ron,
            _ => CaseFormat::Json,
        }
    }
}

/// Parse a case file's text to a generic value (syntax errors name the field `""` and give
/// line:column), then validate it.
pub fn parse_case(
    protocol: &Protocol,
    text: &str,
    format: CaseFormat,
) -> Result<Case, Vec<FieldError>> {
    let value = parse_value(text, format).map_err(|e| vec![e])?;
    case_from_value(protocol, &value)
}

/// Parse text to a generic JSON value. RON is converted (structs and maps become objects).
/// A leading byte-order mark is ignored (V4-23); a key given twice in one object is
/// rejected, naming it and its line:column.
pub fn parse_value(text: &str, format: CaseFormat) -> Result<Value, FieldError> {
    let text = crate::domain::file_text::without_bom(text);
    let duplicate = |dup: crate::domain::duplicate_keys::DuplicateKey| FieldError {
        field: join_path(&dup.within, &dup.key),
        message: dup.to_string(),
    };
    match format {
        CaseFormat::Json => {
            if let Some(dup) = crate::domain::duplicate_keys::json_duplicate_key(text) {
                return Err(duplicate(dup));
            }
            serde_json::from_str::<Value>(text).map_err(|e| FieldError {
                field: String::new(),
                message: format!(
                    "the file is not valid JSON at {}:{}: {}",
                    e.line(),
                    e.column(),
                    json_error_text(&e)
                ),
            })
        }
        CaseFormat::Ron => {
            let options = ron::Options::default()
                .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
            if let Some(dup) = crate::domain::duplicate_keys::ron_duplicate_key(text, &options) {
                return Err(duplicate(dup));
            }
            let value: ron::Value = options.from_str(text).map_err(|e| FieldError {
                field: String::new(),
                message: format!(
                    "the file is not valid RON at {}:{}: {}",
                    e.span.start.line, e.span.start.col, e.code
                ),
            })?;
            ron_to_json(value)
        }
    }
}

fn join_path(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn json_error_text(e: &serde_json::Error) -> String {
    // serde_json appends " at line L column C"; keep only the description.
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

fn ron_to_json(value: ron::Value) -> Result<Value, FieldError> {
    Ok(match value {
        ron::Value::Bool(b) => Value::Bool(b),
        ron::Value::Char(c) => Value::String(c.to_string()),
        ron::Value::String(s) => Value::String(s),
        ron::Value::Unit => Value::Null,
        ron::Value::Option(None) => Value::Null,
        ron::Value::Option(Some(inner)) => ron_to_json(*inner)?,
        ron::Value::Number(n) => {
            let f = n.into_f64();
            // Non-finite numbers cannot be JSON; reject them here with a clear message.
            match serde_json::Number::from_f64(f) {
                Some(num) if f.fract() != 0.0 || f.abs() > 9.0e15 => Value::Number(num),
                Some(_) => Value::Number(serde_json::Number::from(f as i64)),
                None => {
                    return Err(FieldError {
                        field: String::new(),
                        message: format!("the file contains a number that is not finite ({f})"),
                    });
                }
            }
        }
        ron::Value::Bytes(_) => {
            return Err(FieldError {
                field: String::new(),
                message: "the file contains a byte string, which no field accepts".into(),
            });
        }
        ron::Value::Seq(items) => Value::Array(
            items
                .into_iter()
                .map(ron_to_json)
                .collect::<Result<Vec<_>, _>>()?,
        ),
        ron::Value::Map(map) => {
            let mut out = Map::new();
            for (k, v) in map.into_iter() {
                let key = match k {
                    ron::Value::String(s) => s,
                    other => {
                        return Err(FieldError {
                            field: String::new(),
                            message: format!("a map key is not a string: {other:?}"),
                        });
                    }
                };
                out.insert(key, ron_to_json(v)?);
            }
            Value::Object(out)
        }
    })
}

/// Parse a `YYYY-MM-DD` date (exactly that form).
pub fn parse_date(s: &str) -> Option<chrono::NaiveDate> {
    if s.len() != 10 {
        return None;
    }
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// Write a case in the contract's RON form (`*.case.ron`), readable by `ketaplan plan`.
pub fn case_to_ron(case: &Case) -> Result<String, String> {
    let config = ron::ser::PrettyConfig::new().struct_names(false);
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .to_string_pretty(case, config)
        .map(|body| format!("#![enable(implicit_some)]\n{body}\n"))
        .map_err(|e| e.to_string())
}
