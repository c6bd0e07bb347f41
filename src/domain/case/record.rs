//! The typed case (`ketaplan.case/1`): the patient, condition, screening answers, regimen,
//! history, follow-up, justifications and the order's identifiers and attestations.

use super::regimen::{Course, Regimen, Setting};
use crate::domain::patient::Patient;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const CASE_SCHEMA: &str = "ketaplan.case/1";

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

/// A validated case. Build it with [`parse_case`](super::parse_case) or
/// [`case_from_value`](super::case_from_value).
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

/// Parse a `YYYY-MM-DD` date (exactly that form).
pub fn parse_date(s: &str) -> Option<chrono::NaiveDate> {
    if s.len() != 10 {
        return None;
    }
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}
