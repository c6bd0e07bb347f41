//! The pack's limits: input ranges, the dosing weight, dose limits, the first infusion, the
//! yearly count, the population and the order's dating.

use super::sourced::Threshold;
use serde::{Deserialize, Serialize};

/// Ranges outside which a case is rejected as input (not alerted).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputLimits {
    pub age_years_max: Threshold,
    pub weight_kg_min: Threshold,
    pub weight_kg_max: Threshold,
    pub height_cm_min: Threshold,
    pub height_cm_max: Threshold,
    pub bolus_minutes_default: Threshold,
    pub bolus_minutes_min: Threshold,
    pub bolus_minutes_max: Threshold,
    /// Implausible entries (tenfold slips) are rejected above these.
    pub bolus_implausible_above_mg_per_kg: Threshold,
    pub infusion_implausible_above_mg_per_kg_per_h: Threshold,
    pub duration_h_max: Threshold,
    pub outpatient_duration_h_max: Threshold,
    pub concentration_mg_per_ml_max: Threshold,
    /// Below this the concentration is an input error (V4-24).
    pub concentration_mg_per_ml_min: Threshold,
    pub condition_detail_max_chars: Threshold,
    pub justification_min_chars: Threshold,
    /// A reason longer than this is refused (printed in full on the order).
    pub justification_max_chars: Threshold,
    /// Longest identifier or name printed in the header and signature lines.
    pub identifier_max_chars: Threshold,
    /// Longest allergy text.
    pub allergies_max_chars: Threshold,
    pub ort_max: Threshold,
    pub soapp_r_max: Threshold,
    pub pain_score_max: Threshold,
    pub odi_max: Threshold,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DosingWeightRules {
    pub devine_male_base_kg: Threshold,
    pub devine_female_base_kg: Threshold,
    pub devine_base_height_cm: Threshold,
    pub devine_kg_per_cm: Threshold,
    pub adjusted_fraction: Threshold,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DoseLimits {
    /// Bolus above this (mg/kg): soft `bolus_above_guideline`.
    pub bolus_soft_above_mg_per_kg: Threshold,
    /// Bolus at or above this (mg/kg): hard `bolus_anesthetic_range`.
    pub bolus_hard_from_mg_per_kg: Threshold,
    /// Infusion above this (mg/kg/h): ICU only.
    pub infusion_icu_above_mg_per_kg_per_h: Threshold,
    /// Infusion above this (mg/kg/h): never.
    pub infusion_maximum_above_mg_per_kg_per_h: Threshold,
    /// Starting rate below this (mg/kg/h): info `infusion_below_studied_range`.
    pub infusion_studied_from_mg_per_kg_per_h: Threshold,
    /// Delivered vs ordered mg/h differs by more than this fraction: soft.
    pub pump_soft_tolerance_fraction: Threshold,
    /// … by more than this fraction: hard.
    pub pump_hard_tolerance_fraction: Threshold,
    /// The pump is programmed in steps of this many mL/h.
    pub pump_step_ml_per_h: Threshold,
    /// Highest infusion pump rate from a bag, and for a concentration without a standard
    /// container (mL/h): above it, hard `pump_rate_above_maximum`.
    pub pump_max_bag_ml_per_h: Threshold,
    /// … from a syringe.
    pub pump_max_syringe_ml_per_h: Threshold,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FirstInfusionRules {
    pub min_total_mg: Threshold,
    /// The first infusion must last more than this.
    pub min_duration_above_h: Threshold,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnnualRules {
    /// More treatments than this in 12 months (this one included): caution.
    pub high_above: Threshold,
    /// More than this: avoid.
    pub exceeded_above: Threshold,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PopulationRules {
    pub adult_from_age_years: Threshold,
    /// ORT 0 to this − 1 is low risk, from this up to `ort_high_from` − 1 moderate.
    pub ort_moderate_from: Threshold,
    pub ort_high_from: Threshold,
    pub soapp_r_high_from: Threshold,
    /// An adult under this weight (kg) raises soft `weight_unusual`.
    pub adult_weight_unusual_below_kg: Threshold,
    /// A BMI under this (height known) raises soft `weight_unusual`.
    pub bmi_unusual_below: Threshold,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrderRules {
    /// The weight must have been taken at most this many days before the order date.
    pub weight_max_age_days: Threshold,
    /// An order may be valid for a date at most this many days after the print date.
    pub valid_for_max_days_ahead: Threshold,
}
