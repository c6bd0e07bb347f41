//! The pack's rescue, seizure, reversal and premedication drugs: doses (fixed, weight-based or
//! by weight band), the tiers and answers they are listed for, and their warnings.

use super::sourced::Threshold;
use crate::domain::kinds::MonitoringTier;
use crate::domain::text::Text;
use serde::{Deserialize, Serialize};

/// A weight-based dose: mg/kg of dosing weight, capped per dose.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeightBasedDose {
    pub mg_per_kg: f64,
    pub max_mg: f64,
}

/// A warning attached to a drug when any of `when_codes` is answered Yes (always when empty).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DrugWarningDef {
    #[serde(default)]
    pub when_codes: Vec<String>,
    pub text: Text,
    pub source: Text,
}

/// A fixed dose for a band of actual body weight (RAMPART-style intramuscular doses).
/// Exactly one of `above_kg` (weight > value) or `from_kg` (weight ≥ value) is given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeightBand {
    #[serde(default)]
    pub above_kg: Option<Threshold>,
    #[serde(default)]
    pub from_kg: Option<Threshold>,
    pub dose_mg: f64,
    pub dose: Text,
    pub max: Text,
}

impl WeightBand {
    /// True when `weight_kg` (already rounded for comparison) falls in this band or above.
    pub fn admits(&self, weight_kg: f64) -> bool {
        match (&self.above_kg, &self.from_kg) {
            (Some(t), _) => weight_kg > t.value,
            (None, Some(t)) => weight_kg >= t.value,
            (None, None) => false,
        }
    }
}

/// What a drug in the rescue list is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RescueCategory {
    /// At the bedside for adverse effects.
    Rescue,
    /// Seizure plan.
    Seizure,
    /// Reversal of a benzodiazepine.
    Reversal,
    /// Optional premedication, ticked by the physician.
    Premedication,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RescueDef {
    pub drug: Text,
    #[serde(rename = "for")]
    pub indication: Text,
    pub category: RescueCategory,
    pub dose: Text,
    pub route: Text,
    #[serde(default)]
    pub repeat: Text,
    /// Maximum per session (or per dose), as text.
    #[serde(default)]
    pub max: Text,
    /// Dose and maximum at or above the elderly age; absent = not age-adjusted.
    #[serde(default)]
    pub elderly_dose: Option<Text>,
    #[serde(default)]
    pub elderly_max: Option<Text>,
    #[serde(default)]
    pub weight_based: Option<WeightBasedDose>,
    /// Fixed doses by actual body weight, heaviest band first; the first band admitting the
    /// weight is ordered, below every band `below_bands_dose` is printed instead.
    #[serde(default)]
    pub weight_bands: Vec<WeightBand>,
    #[serde(default)]
    pub below_bands_dose: Option<Text>,
    /// Listed only at these monitoring tiers (empty = every tier).
    #[serde(default)]
    pub only_tiers: Vec<MonitoringTier>,
    /// Listed only when one of these screening codes is answered Yes (empty = always).
    #[serde(default)]
    pub only_when_codes: Vec<String>,
    /// Reverses a benzodiazepine: left out when no benzodiazepine can be given.
    #[serde(default)]
    pub benzodiazepine_reversal: bool,
    #[serde(default)]
    pub benzodiazepine: bool,
    /// Listed only when benzodiazepines are contraindicated (the alternative first line).
    #[serde(default)]
    pub only_when_benzodiazepine_contraindicated: bool,
    #[serde(default)]
    pub warnings: Vec<DrugWarningDef>,
    pub source: Text,
    #[serde(default)]
    pub institution_default: bool,
}
