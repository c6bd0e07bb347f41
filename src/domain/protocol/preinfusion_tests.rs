//! The pack's preinfusion tests: which answers and regimens call for an ECG or liver tests,
//! and each test's readable name.

use super::sourced::Threshold;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestRules {
    pub ecg_codes: Vec<String>,
    pub lft_codes: Vec<String>,
    pub lft_for_continuous_course: bool,
    /// A series whose ceiling is at or above this (mg/kg/h) gets LFTs.
    pub lft_series_ceiling_from_mg_per_kg_per_h: Threshold,
    /// An infusion lasting more than this (h) is a continuous exposure whatever its label.
    pub continuous_exposure_above_h: Threshold,
    pub source: String,
    /// A readable name and detail for each test code (`ecg`, `lft_baseline`, `lft_post`).
    pub names: Vec<TestName>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestName {
    pub code: String,
    pub name: String,
    pub detail: String,
}
