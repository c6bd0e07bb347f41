//! Values the pack gives with where they come from: thresholds, text lines (with the tiers,
//! exposure and setting they are for) and notes.

use crate::domain::kinds::MonitoringTier;
use crate::domain::text::Text;
use serde::{Deserialize, Serialize};

/// A number from the guideline (or an institution default) with where it comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Threshold {
    pub value: f64,
    /// Guideline section (`L358`, `Table 6`, `Q6`) or "institution default".
    pub source: Text,
    /// True when the guideline leaves the value open and the clinic chose it.
    #[serde(default)]
    pub institution_default: bool,
}

/// A line of text with its source (frequencies, criteria, instructions).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourcedText {
    /// Short heading ("Baseline", "Clear liquids"); may be empty.
    #[serde(default)]
    pub label: Text,
    pub text: Text,
    pub source: Text,
    #[serde(default)]
    pub institution_default: bool,
    /// Only for these tiers; empty = every tier.
    #[serde(default)]
    pub tiers: Vec<MonitoringTier>,
    /// Only for a single-day or a multi-day exposure (default: either).
    #[serde(default)]
    pub exposure: LineExposure,
    /// Some(true): only in the ICU (setting or tier); Some(false): only outside it.
    #[serde(default)]
    pub in_icu: Option<bool>,
}

/// Which exposure a text line is for (V4-21).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineExposure {
    #[default]
    Any,
    SingleDay,
    MultiDay,
}

/// A note and where it comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourcedNote {
    pub text: Text,
    pub source: Text,
}
