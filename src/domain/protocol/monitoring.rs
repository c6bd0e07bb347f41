//! The pack's monitoring: the tier thresholds, who must be there, what is monitored and how
//! often, the stop criteria's numbers, titration and adverse effects.

use super::sourced::{SourcedText, Threshold};
use crate::domain::kinds::MonitoringTier;
use crate::domain::text::Text;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MonitoringRules {
    pub bolus_monitored_from_mg_per_kg: Threshold,
    pub infusion_monitored_from_mg_per_kg_per_h: Threshold,
    pub elderly_from_age_years: Threshold,
    /// Multiplier for both thresholds for elderly or comorbid patients.
    pub reduced_threshold_factor: Threshold,
    /// Screening codes that lower the thresholds.
    pub lowering_codes: Vec<String>,
}

/// Who must be there, for which tiers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonnelDef {
    pub role: Text,
    pub requirement: Text,
    pub tiers: Vec<MonitoringTier>,
    pub source: Text,
    #[serde(default)]
    pub institution_default: bool,
    /// Only for an infusion longer than a day (`tests.continuous_exposure_above_h`) or a
    /// continuous course: left off a single-day order sheet.
    #[serde(default)]
    pub multi_day_only: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierDef {
    pub tier: MonitoringTier,
    pub meaning: Text,
    pub source: Text,
}

/// A monitored parameter; included for the listed tiers, or when any of `when_codes` is Yes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MonitoringItemDef {
    pub name: Text,
    pub detail: Text,
    pub tiers: Vec<MonitoringTier>,
    #[serde(default)]
    pub when_codes: Vec<String>,
    pub source: Text,
    #[serde(default)]
    pub institution_default: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MonitoringPlanDef {
    pub tiers: Vec<TierDef>,
    pub sedation_scale: SourcedText,
    pub items: Vec<MonitoringItemDef>,
    pub frequencies: Vec<SourcedText>,
    pub fasting: Vec<SourcedText>,
    pub oxygen: SourcedText,
    /// Modified Aldrete score at or above which a patient may be discharged.
    pub discharge_aldrete_from: Threshold,
    pub discharge_criteria: Vec<SourcedText>,
    pub do_not_start: Vec<SourcedText>,
    pub stop_criteria: Vec<SourcedText>,
    /// The stop criteria's numbers, to flag charted values past them.
    pub vital_limits: VitalLimits,
}

/// The numbers of the stop criteria (the flowsheet flags a value past any of them).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VitalLimits {
    pub spo2_below_pct: Threshold,
    pub rr_below_per_min: Threshold,
    pub rr_above_per_min: Threshold,
    pub systolic_from_mmhg: Threshold,
    pub diastolic_from_mmhg: Threshold,
    pub systolic_below_mmhg: Threshold,
    pub heart_rate_from_per_min: Threshold,
    pub heart_rate_below_per_min: Threshold,
    /// RASS at or below minus this value (deep sedation) stops the infusion.
    pub rass_sedation_from_minus: Threshold,
    pub rass_agitation_from: Threshold,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TitrationRules {
    pub step_mg_per_kg_per_h: Threshold,
    pub interval_min: Threshold,
    /// On a hold criterion, reduce the rate by this fraction (or stop) and call.
    pub hold_reduction_fraction: Threshold,
    pub instruction: Text,
    pub source: Text,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdverseEffectDef {
    pub effect: Text,
    pub detail: Text,
    pub source: Text,
    /// Only for these tiers; empty = every tier.
    #[serde(default)]
    pub tiers: Vec<MonitoringTier>,
}
