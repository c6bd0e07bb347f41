//! The protocol pack: every threshold, code, message and source the engine uses.
//!
//! The pack is a RON file (`protocols/*.ron`). The built-in pack is embedded with
//! `include_str!`; a clinic may load its own. Every pack is validated at load: an
//! inconsistent value is an error that names the field and its `line:column`.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;

mod sheet_rules;
mod validate;

pub use sheet_rules::{
    DrugLibrary, EmergencyNumber, Rewrite, SheetRules, TallMan, TitrationGoal, apply_tall_man,
};

use validate::validate_pack;

pub use crate::domain::kinds::{AlertKind, Severity};
use crate::domain::kinds::MonitoringTier;

/// The exact bytes of the built-in pack (its sha256 is reported in every plan).
pub const BUILT_IN_PACK: &str = include_str!("../../../protocols/asra-aapm-asa-2018.ron");

/// A number from the guideline (or an institution default) with where it comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Threshold {
    pub value: f64,
    /// Guideline section (`L358`, `Table 6`, `Q6`) or "institution default".
    pub source: String,
    /// True when the guideline leaves the value open and the clinic chose it.
    #[serde(default)]
    pub institution_default: bool,
}

/// When a finding is raised at a stronger severity than its default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum EscalationWhen {
    /// The course is a series or continuous infusion, or there were earlier sessions this year.
    SerialOrRepeated,
    /// Another screening code is answered Yes as well.
    WithCode(String),
    /// The patient has had ketamine before: earlier sessions this year, or substance abuse
    /// (illicit ketamine) answered Yes.
    PriorExposure,
    /// The bolus or the ceiling reaches the patient's own monitored-tier thresholds
    /// (halved for age or comorbidity as the tier rule does).
    AtMonitoredDose,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Escalation {
    pub when: EscalationWhen,
    pub severity: Severity,
    pub message: String,
    pub source: String,
}

/// A screening question shown to the clinician (answered Yes or No).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScreeningQuestion {
    /// Group on the screening page (cardiovascular, neurological, …).
    pub group: String,
    /// The question as a nurse reads it.
    pub question: String,
    /// May stay unanswered: never listed in `unanswered_screening`, not needed for an order.
    #[serde(default)]
    pub optional: bool,
}

/// A finding the engine can raise: a screening code or a rule of the contract.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FindingDef {
    pub code: String,
    /// A short title in plain words, shown before the message on every screen and printout.
    pub title: String,
    pub severity: Severity,
    pub message: String,
    pub source: String,
    /// Present for screening codes (answered Yes/No); absent for rule-made findings.
    #[serde(default)]
    pub screening: Option<ScreeningQuestion>,
    #[serde(default)]
    pub escalation: Option<Escalation>,
    #[serde(default)]
    pub institution_default: bool,
    /// How the course summary raises the same code when it differs from the plan
    /// (`lft_raised`: [avoid] in a plan, [caution] on the course record).
    #[serde(default)]
    pub in_course: Option<CourseVariant>,
}

/// A finding's severity and wording on the course record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CourseVariant {
    pub severity: Severity,
    pub message: String,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertDef {
    pub code: String,
    /// A short title in plain words, shown before the message on every screen and printout.
    pub title: String,
    pub kind: AlertKind,
    pub message: String,
    pub source: String,
    #[serde(default)]
    pub institution_default: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConditionDef {
    pub code: String,
    pub name: String,
    pub grade: String,
    pub certainty: String,
    /// One line a clinician reads beside the choice.
    pub summary: String,
    /// Rule-made finding raised for this condition (`weak_evidence`, `limited_evidence`).
    #[serde(default)]
    pub finding: Option<String>,
    pub source: String,
}

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
    pub text: String,
    pub source: String,
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
    pub dose: String,
    pub max: String,
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
    pub drug: String,
    #[serde(rename = "for")]
    pub indication: String,
    pub category: RescueCategory,
    pub dose: String,
    pub route: String,
    #[serde(default)]
    pub repeat: String,
    /// Maximum per session (or per dose), as text.
    #[serde(default)]
    pub max: String,
    /// Dose and maximum at or above the elderly age; absent = not age-adjusted.
    #[serde(default)]
    pub elderly_dose: Option<String>,
    #[serde(default)]
    pub elderly_max: Option<String>,
    #[serde(default)]
    pub weight_based: Option<WeightBasedDose>,
    /// Fixed doses by actual body weight, heaviest band first; the first band admitting the
    /// weight is ordered, below every band `below_bands_dose` is printed instead.
    #[serde(default)]
    pub weight_bands: Vec<WeightBand>,
    #[serde(default)]
    pub below_bands_dose: Option<String>,
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
    pub source: String,
    #[serde(default)]
    pub institution_default: bool,
}

/// Who must be there, for which tiers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonnelDef {
    pub role: String,
    pub requirement: String,
    pub tiers: Vec<MonitoringTier>,
    pub source: String,
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
    pub meaning: String,
    pub source: String,
}

/// A monitored parameter; included for the listed tiers, or when any of `when_codes` is Yes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MonitoringItemDef {
    pub name: String,
    pub detail: String,
    pub tiers: Vec<MonitoringTier>,
    #[serde(default)]
    pub when_codes: Vec<String>,
    pub source: String,
    #[serde(default)]
    pub institution_default: bool,
}

/// A line of text with its source (frequencies, criteria, instructions).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourcedText {
    /// Short heading ("Baseline", "Clear liquids"); may be empty.
    #[serde(default)]
    pub label: String,
    pub text: String,
    pub source: String,
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
    pub instruction: String,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdverseEffectDef {
    pub effect: String,
    pub detail: String,
    pub source: String,
    /// Only for these tiers; empty = every tier.
    #[serde(default)]
    pub tiers: Vec<MonitoringTier>,
}

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
pub struct MonitoringRules {
    pub bolus_monitored_from_mg_per_kg: Threshold,
    pub infusion_monitored_from_mg_per_kg_per_h: Threshold,
    pub elderly_from_age_years: Threshold,
    /// Multiplier for both thresholds for elderly or comorbid patients.
    pub reduced_threshold_factor: Threshold,
    /// Screening codes that lower the thresholds.
    pub lowering_codes: Vec<String>,
}

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
pub struct ResponseRules {
    pub positive_reduction_from_pct: Threshold,
    pub odi_improvement_from_points: Threshold,
    pub mme_reduction_from_pct: Threshold,
    /// Durable after a single outpatient session: more than this many weeks.
    pub durable_single_outpatient_above_weeks: Threshold,
    /// Durable after an inpatient/ICU session, a series or a continuous infusion.
    pub durable_other_above_weeks: Threshold,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrderRules {
    /// The weight must have been taken at most this many days before the order date.
    pub weight_max_age_days: Threshold,
    /// An order may be valid for a date at most this many days after the print date.
    pub valid_for_max_days_ahead: Threshold,
}

/// Treatment-course rules (course tracking).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CourseRules {
    /// Sessions in this many days before the planned date count toward the yearly total.
    pub window_days: Threshold,
    /// A session at most this many days after a continuous infusion or series is a re-exposure.
    pub reexposure_within_days: Threshold,
    /// Follow-up is due this many weeks after a single outpatient session…
    pub follow_up_single_after_weeks: Threshold,
    /// … and this many weeks after any other session.
    pub follow_up_other_after_weeks: Threshold,
    /// The follow-up call is due this many weeks after a single outpatient session…
    pub follow_up_call_single_weeks: Threshold,
    /// … and this many weeks after any other session.
    pub follow_up_call_other_weeks: Threshold,
    /// Screening answers that can change day to day: asked again at every visit.
    pub day_to_day_codes: Vec<String>,
    /// The 12-month cumulative dose (mg) at or above which the course prompts a review (V4-16).
    pub cumulative_mg_prompt_from: Threshold,
    /// An LFT result at or above this multiple of the baseline (or of its ULN when there is
    /// no baseline) is raised (V4-18).
    pub lft_raised_from_factor: Threshold,
    /// An LFT value (U/L) must be below this: a larger figure is a typing slip.
    pub lft_value_below_u_per_l: Threshold,
    /// Words in a recorded adverse effect that mean cystitis or urinary symptoms (V4-08),
    /// matched case-insensitively; a clause that negates them ("no dysuria") does not count.
    pub urinary_adverse_effect_words: Vec<String>,
}

/// Oral or intranasal follow-on therapy (information, not a prescription).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FollowOnDef {
    pub name: String,
    pub product: String,
    pub route: String,
    #[serde(default)]
    pub mg_per_kg_low: Option<f64>,
    #[serde(default)]
    pub mg_per_kg_high: Option<f64>,
    #[serde(default)]
    pub fixed_mg_low: Option<f64>,
    #[serde(default)]
    pub fixed_mg_high: Option<f64>,
    #[serde(default)]
    pub every_hours: Option<f64>,
    #[serde(default)]
    pub as_needed: bool,
    /// The dose is a daily amount.
    #[serde(default)]
    pub per_day: bool,
    /// Doses are rounded to a measurable amount: a multiple of this many mg.
    pub round_to_mg: f64,
    pub racemic: bool,
    pub note: String,
    pub source: String,
    /// The most in 24 hours whatever the weight (V4-19).
    #[serde(default)]
    pub daily_cap_mg: Option<Threshold>,
    /// Shown with the option (e.g. dextromethorphan's serotonergic interaction).
    #[serde(default)]
    pub warning: Option<SourcedNote>,
}

/// A note and where it comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourcedNote {
    pub text: String,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FollowOnRules {
    pub heading: String,
    pub options: Vec<FollowOnDef>,
    pub abuse_caution: DrugWarningDef,
    /// Shown instead of doses when the last infusion gave no positive response.
    pub responders_only: SourcedNote,
    /// Oral and intranasal ketamine impair driving and judgment.
    pub driving_caution: SourcedNote,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StandardConcentration {
    pub mg_per_ml: f64,
    pub label: String,
    pub source: String,
    #[serde(default)]
    pub institution_default: bool,
    /// How the pharmacy or nurse makes it; absent = prepared by the pharmacist on request.
    #[serde(default)]
    pub preparation: Option<PreparationDef>,
}

/// A standard preparation: container, vial used, diluent and beyond-use time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreparationDef {
    /// "bag" or "syringe".
    pub container: String,
    pub container_ml: f64,
    pub vial_mg_per_ml: f64,
    pub vial_ml: f64,
    pub diluent: String,
    pub beyond_use_hours: f64,
    pub source: String,
    /// Container sizes stocked (mL), chosen by need; empty: only `container_ml`.
    #[serde(default)]
    pub container_sizes_ml: Vec<f64>,
    /// Vials stocked, chosen by need (fewest vials, then least drug left in them); empty: only
    /// `vial_mg_per_ml` × `vial_ml`.
    #[serde(default)]
    pub vial_options: Vec<VialDef>,
}

/// A vial stocked by the pharmacy.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VialDef {
    pub mg_per_ml: f64,
    pub ml: f64,
}

/// The whole pack as written in RON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProtocolPack {
    pub id: String,
    pub version: String,
    pub title: String,
    pub product: String,
    pub guideline: String,
    pub input_limits: InputLimits,
    pub dosing_weight: DosingWeightRules,
    pub dose_limits: DoseLimits,
    pub first_infusion: FirstInfusionRules,
    pub annual: AnnualRules,
    pub monitoring: MonitoringRules,
    pub tests: TestRules,
    pub population: PopulationRules,
    pub response: ResponseRules,
    pub order: OrderRules,
    pub course: CourseRules,
    pub follow_on: FollowOnRules,
    /// What the printed order sheet and handout add (drug library, titration goal, emergency number, tall-man names).
    pub sheet: SheetRules,
    pub concentrations: Vec<StandardConcentration>,
    pub conditions: Vec<ConditionDef>,
    pub findings: Vec<FindingDef>,
    pub alerts: Vec<AlertDef>,
    pub rescue_medications: Vec<RescueDef>,
    pub personnel: Vec<PersonnelDef>,
    pub monitoring_plan: MonitoringPlanDef,
    pub titration: TitrationRules,
    pub adverse_effects: Vec<AdverseEffectDef>,
    pub patient_instructions: Vec<SourcedText>,
}

/// A validated pack with the hash of its exact bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct Protocol {
    pub pack: ProtocolPack,
    pub sha256: String,
    pub built_in: bool,
}

/// An error in a pack: the field, where it is in the file, and what is wrong.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct ProtocolError {
    pub field: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for ProtocolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            write!(f, "{}:{}: {}", self.line, self.column, self.message)
        } else {
            write!(
                f,
                "{}:{}: {}: {}",
                self.line, self.column, self.field, self.message
            )
        }
    }
}

/// Rule-made finding codes the engine raises; a pack must define each of them.
pub const RULE_FINDING_CODES: [&str; 15] = [
    "repeat_not_supported",
    "start_with_single_infusion",
    "lft_raised",
    "lft_due",
    "reexposure_within_90_days",
    "follow_up_missing",
    "seizure_rescue_without_benzodiazepine",
    "limited_evidence",
    "weak_evidence",
    "outside_population",
    "abuse_risk_high",
    "infusion_below_studied_range",
    "first_infusion_below_minimum",
    "annual_treatments_high",
    "annual_treatments_exceeded",
];

/// Finding codes the course summary raises; a pack must define each of them.
pub const COURSE_FINDING_CODES: [&str; 8] = [
    "annual_treatments_exceeded",
    "annual_treatments_high",
    "lft_raised",
    "urinary_symptoms_on_record",
    "cumulative_dose_high",
    "lft_due",
    "reexposure_within_90_days",
    "follow_up_missing",
];

/// Limit-alert codes and the kind the engine gives each; a pack must define each of them.
pub const ALERT_CODES: [(&str, AlertKind); 10] = [
    ("bolus_above_guideline", AlertKind::Soft),
    ("bolus_anesthetic_range", AlertKind::Hard),
    ("infusion_above_guideline", AlertKind::Soft),
    ("infusion_requires_icu", AlertKind::Hard),
    ("infusion_above_maximum", AlertKind::Hard),
    ("pump_rate_imprecise", AlertKind::Soft),
    ("pump_rate_unachievable", AlertKind::Hard),
    ("pump_rate_above_maximum", AlertKind::Hard),
    ("concentration_below_standard", AlertKind::Hard),
    ("weight_unusual", AlertKind::Soft),
];

/// Screening codes of the contract (v3), in the contract's table order.
pub const CONTRACT_SCREENING_CODES: [&str; 28] = [
    "ketamine_allergy",
    "unstable_angina",
    "uncontrolled_hypertension",
    "high_risk_coronary_disease",
    "cardiovascular_risk",
    "stable_angina",
    "elevated_icp",
    "elevated_iop",
    "hyperthyroidism",
    "pheochromocytoma",
    "severe_liver_disease",
    "moderate_liver_disease",
    "liver_toxicity_risk",
    "full_stomach",
    "pregnancy",
    "intoxication",
    "active_substance_abuse",
    "history_substance_abuse",
    "delirium",
    "psychosis",
    "history_of_psychosis",
    "unable_to_consent",
    "benzodiazepine_contraindication",
    "psychomimetic_history",
    "significant_comorbidity",
    "seizure_disorder",
    "concurrent_sedatives",
    "urinary_symptoms",
];

/// Condition codes of the contract.
pub const CONTRACT_CONDITIONS: [&str; 11] = [
    "crps",
    "spinal_cord_injury",
    "mixed_neuropathic",
    "phantom_limb",
    "postherpetic_neuralgia",
    "fibromyalgia",
    "cancer",
    "ischemic",
    "headache",
    "spinal_pain",
    "other",
];

impl ProtocolPack {
    /// The standard preparation (container, vials) of a concentration, when it is one of the
    /// pack's standard concentrations (compared after the 9-digit rule).
    pub fn standard_preparation(&self, concentration_mg_per_ml: f64) -> Option<&PreparationDef> {
        use crate::domain::units::cmp_value;
        self.concentrations
            .iter()
            .find(|c| cmp_value(c.mg_per_ml) == cmp_value(concentration_mg_per_ml))
            .and_then(|c| c.preparation.as_ref())
    }
}

impl Protocol {
    /// The embedded pack. It is validated by the test suite; should it ever fail, the
    /// error is returned rather than panicking so the app can show it.
    pub fn built_in() -> Result<Protocol, ProtocolError> {
        let mut protocol = Protocol::from_ron_str(BUILT_IN_PACK)?;
        protocol.built_in = true;
        Ok(protocol)
    }

    /// Parse and validate a pack from its exact text.
    /// A leading byte-order mark is ignored (V4-23; the sha256 is still of the exact
    /// text); a key given twice is refused, naming it.
    pub fn from_ron_str(exact: &str) -> Result<Protocol, ProtocolError> {
        let text = crate::domain::file_text::without_bom(exact);
        if let Some(dup) =
            crate::domain::duplicate_keys::ron_duplicate_key(text, &ron::Options::default())
        {
            return Err(ProtocolError {
                field: if dup.within.is_empty() {
                    dup.key.clone()
                } else {
                    format!("{}.{}", dup.within, dup.key)
                },
                line: dup.line,
                column: dup.column,
                message: dup.reason(),
            });
        }
        let pack: ProtocolPack = ron::Options::default().from_str(text).map_err(|e| {
            let field = syntax_error_field(&e.code);
            ProtocolError {
                field,
                line: e.span.start.line,
                column: e.span.start.col,
                message: e.code.to_string(),
            }
        })?;
        validate_pack(&pack, text)?;
        Ok(Protocol {
            pack,
            sha256: sha256_hex(exact.as_bytes()),
            built_in: exact == BUILT_IN_PACK,
        })
    }

    pub fn finding(&self, code: &str) -> Option<&FindingDef> {
        self.pack.findings.iter().find(|f| f.code == code)
    }

    pub fn finding_index(&self, code: &str) -> usize {
        self.pack
            .findings
            .iter()
            .position(|f| f.code == code)
            .unwrap_or(usize::MAX)
    }

    /// The readable name of a preinfusion test code (the code itself when unnamed).
    pub fn test_name<'a>(&'a self, code: &'a str) -> &'a str {
        self.pack
            .tests
            .names
            .iter()
            .find(|t| t.code == code)
            .map_or(code, |t| t.name.as_str())
    }

    pub fn alert(&self, code: &str) -> Option<&AlertDef> {
        self.pack.alerts.iter().find(|a| a.code == code)
    }

    pub fn condition(&self, code: &str) -> Option<&ConditionDef> {
        self.pack.conditions.iter().find(|c| c.code == code)
    }

    /// Screening codes in pack order.
    pub fn screening_codes(&self) -> impl Iterator<Item = &FindingDef> {
        self.pack.findings.iter().filter(|f| f.screening.is_some())
    }

    /// The plain-words title of a finding or alert code (the code itself when unknown).
    pub fn title_for<'a>(&'a self, code: &'a str) -> &'a str {
        self.finding(code)
            .map(|f| f.title.as_str())
            .or_else(|| self.alert(code).map(|a| a.title.as_str()))
            .filter(|t| !t.trim().is_empty())
            .unwrap_or(code)
    }

    /// The label of the reason box for a code, on the Review page and in error lists.
    pub fn reason_label(&self, code: &str) -> String {
        format!("Reason for {} ({code})", self.title_for(code))
    }

    /// Screening codes that must be answered (optional questions left out, V4-15).
    pub fn required_screening_codes(&self) -> impl Iterator<Item = &FindingDef> {
        self.screening_codes()
            .filter(|f| !f.screening.as_ref().is_some_and(|q| q.optional))
    }

    pub fn is_screening_code(&self, code: &str) -> bool {
        self.finding(code).is_some_and(|f| f.screening.is_some())
    }

    /// First 12 hex digits of the sha256, for headers and banners.
    pub fn short_sha256(&self) -> &str {
        self.sha256.get(..12).unwrap_or(&self.sha256)
    }

    /// Every threshold marked as an institution default, with its path.
    pub fn institution_defaults(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (path, t) in self.thresholds() {
            if t.institution_default {
                out.push((path, format_threshold_value(t.value)));
            }
        }
        for c in &self.pack.concentrations {
            if c.institution_default {
                out.push((
                    format!("concentrations[{}]", c.label),
                    format_threshold_value(c.mg_per_ml),
                ));
            }
        }
        for f in &self.pack.findings {
            if f.institution_default {
                out.push((format!("findings[{}]", f.code), f.severity.as_str().into()));
            }
        }
        for a in &self.pack.alerts {
            if a.institution_default {
                out.push((format!("alerts[{}]", a.code), a.kind.as_str().into()));
            }
        }
        for r in &self.pack.rescue_medications {
            if r.institution_default {
                out.push((format!("rescue_medications[{}]", r.drug), r.dose.clone()));
            }
        }
        for person in &self.pack.personnel {
            if person.institution_default {
                out.push((
                    format!("personnel[{}]", person.role),
                    person.requirement.clone(),
                ));
            }
        }
        let mp = &self.pack.monitoring_plan;
        for item in &mp.items {
            if item.institution_default {
                out.push((
                    format!("monitoring_plan.items[{}]", item.name),
                    item.detail.clone(),
                ));
            }
        }
        let texts = text_sections(&self.pack);
        for (section, items) in texts {
            for (i, t) in items.iter().enumerate() {
                if t.institution_default {
                    out.push((format!("{section}[{i}]"), t.text.clone()));
                }
            }
        }
        out
    }

    /// Every numeric threshold of the pack with its dotted path.
    pub fn thresholds(&self) -> Vec<(String, &Threshold)> {
        pack_thresholds(&self.pack)
    }
}

fn format_threshold_value(v: f64) -> String {
    let s = format!("{v}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

fn syntax_error_field(code: &ron::Error) -> String {
    match code {
        ron::Error::MissingStructField { field, .. } => field.to_string(),
        ron::Error::NoSuchStructField { found, .. } => found.clone(),
        ron::Error::DuplicateStructField { field, .. } => field.to_string(),
        _ => String::new(),
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in digest.iter() {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

fn pack_thresholds(p: &ProtocolPack) -> Vec<(String, &Threshold)> {
    let il = &p.input_limits;
    let dw = &p.dosing_weight;
    let dl = &p.dose_limits;
    let mon = &p.monitoring;
    let pop = &p.population;
    let resp = &p.response;
    macro_rules! t {
        ($($section:ident . $field:ident = $e:expr),* $(,)?) => {
            vec![$((concat!(stringify!($section), ".", stringify!($field)).to_string(), $e)),*]
        };
    }
    let mut out = t![
        input_limits.age_years_max = &il.age_years_max,
        input_limits.weight_kg_min = &il.weight_kg_min,
        input_limits.weight_kg_max = &il.weight_kg_max,
        input_limits.height_cm_min = &il.height_cm_min,
        input_limits.height_cm_max = &il.height_cm_max,
        input_limits.bolus_minutes_default = &il.bolus_minutes_default,
        input_limits.bolus_minutes_min = &il.bolus_minutes_min,
        input_limits.bolus_minutes_max = &il.bolus_minutes_max,
        input_limits.bolus_implausible_above_mg_per_kg = &il.bolus_implausible_above_mg_per_kg,
        input_limits.infusion_implausible_above_mg_per_kg_per_h =
            &il.infusion_implausible_above_mg_per_kg_per_h,
        input_limits.duration_h_max = &il.duration_h_max,
        input_limits.outpatient_duration_h_max = &il.outpatient_duration_h_max,
        input_limits.concentration_mg_per_ml_max = &il.concentration_mg_per_ml_max,
        input_limits.concentration_mg_per_ml_min = &il.concentration_mg_per_ml_min,
        input_limits.condition_detail_max_chars = &il.condition_detail_max_chars,
        input_limits.justification_min_chars = &il.justification_min_chars,
        input_limits.justification_max_chars = &il.justification_max_chars,
        input_limits.identifier_max_chars = &il.identifier_max_chars,
        input_limits.allergies_max_chars = &il.allergies_max_chars,
        input_limits.ort_max = &il.ort_max,
        input_limits.soapp_r_max = &il.soapp_r_max,
        input_limits.pain_score_max = &il.pain_score_max,
        input_limits.odi_max = &il.odi_max,
        dosing_weight.devine_male_base_kg = &dw.devine_male_base_kg,
        dosing_weight.devine_female_base_kg = &dw.devine_female_base_kg,
        dosing_weight.devine_base_height_cm = &dw.devine_base_height_cm,
        dosing_weight.devine_kg_per_cm = &dw.devine_kg_per_cm,
        dosing_weight.adjusted_fraction = &dw.adjusted_fraction,
        dose_limits.bolus_soft_above_mg_per_kg = &dl.bolus_soft_above_mg_per_kg,
        dose_limits.bolus_hard_from_mg_per_kg = &dl.bolus_hard_from_mg_per_kg,
        dose_limits.infusion_icu_above_mg_per_kg_per_h = &dl.infusion_icu_above_mg_per_kg_per_h,
        dose_limits.infusion_maximum_above_mg_per_kg_per_h =
            &dl.infusion_maximum_above_mg_per_kg_per_h,
        dose_limits.infusion_studied_from_mg_per_kg_per_h =
            &dl.infusion_studied_from_mg_per_kg_per_h,
        dose_limits.pump_soft_tolerance_fraction = &dl.pump_soft_tolerance_fraction,
        dose_limits.pump_hard_tolerance_fraction = &dl.pump_hard_tolerance_fraction,
        dose_limits.pump_step_ml_per_h = &dl.pump_step_ml_per_h,
        dose_limits.pump_max_bag_ml_per_h = &dl.pump_max_bag_ml_per_h,
        dose_limits.pump_max_syringe_ml_per_h = &dl.pump_max_syringe_ml_per_h,
        first_infusion.min_total_mg = &p.first_infusion.min_total_mg,
        first_infusion.min_duration_above_h = &p.first_infusion.min_duration_above_h,
        annual.high_above = &p.annual.high_above,
        annual.exceeded_above = &p.annual.exceeded_above,
        monitoring.bolus_monitored_from_mg_per_kg = &mon.bolus_monitored_from_mg_per_kg,
        monitoring.infusion_monitored_from_mg_per_kg_per_h =
            &mon.infusion_monitored_from_mg_per_kg_per_h,
        monitoring.elderly_from_age_years = &mon.elderly_from_age_years,
        monitoring.reduced_threshold_factor = &mon.reduced_threshold_factor,
        tests.lft_series_ceiling_from_mg_per_kg_per_h =
            &p.tests.lft_series_ceiling_from_mg_per_kg_per_h,
        tests.continuous_exposure_above_h = &p.tests.continuous_exposure_above_h,
        population.adult_from_age_years = &pop.adult_from_age_years,
        population.ort_moderate_from = &pop.ort_moderate_from,
        population.ort_high_from = &pop.ort_high_from,
        population.soapp_r_high_from = &pop.soapp_r_high_from,
        population.adult_weight_unusual_below_kg = &pop.adult_weight_unusual_below_kg,
        population.bmi_unusual_below = &pop.bmi_unusual_below,
        response.positive_reduction_from_pct = &resp.positive_reduction_from_pct,
        response.odi_improvement_from_points = &resp.odi_improvement_from_points,
        response.mme_reduction_from_pct = &resp.mme_reduction_from_pct,
        response.durable_single_outpatient_above_weeks =
            &resp.durable_single_outpatient_above_weeks,
        response.durable_other_above_weeks = &resp.durable_other_above_weeks,
        order.weight_max_age_days = &p.order.weight_max_age_days,
        order.valid_for_max_days_ahead = &p.order.valid_for_max_days_ahead,
        course.window_days = &p.course.window_days,
        course.reexposure_within_days = &p.course.reexposure_within_days,
        course.follow_up_single_after_weeks = &p.course.follow_up_single_after_weeks,
        course.follow_up_other_after_weeks = &p.course.follow_up_other_after_weeks,
        course.follow_up_call_single_weeks = &p.course.follow_up_call_single_weeks,
        course.follow_up_call_other_weeks = &p.course.follow_up_call_other_weeks,
        course.cumulative_mg_prompt_from = &p.course.cumulative_mg_prompt_from,
        course.lft_raised_from_factor = &p.course.lft_raised_from_factor,
        course.lft_value_below_u_per_l = &p.course.lft_value_below_u_per_l,
        monitoring_plan.discharge_aldrete_from = &p.monitoring_plan.discharge_aldrete_from,
        vital_limits.spo2_below_pct = &p.monitoring_plan.vital_limits.spo2_below_pct,
        vital_limits.rr_below_per_min = &p.monitoring_plan.vital_limits.rr_below_per_min,
        vital_limits.rr_above_per_min = &p.monitoring_plan.vital_limits.rr_above_per_min,
        vital_limits.systolic_from_mmhg = &p.monitoring_plan.vital_limits.systolic_from_mmhg,
        vital_limits.diastolic_from_mmhg = &p.monitoring_plan.vital_limits.diastolic_from_mmhg,
        vital_limits.systolic_below_mmhg = &p.monitoring_plan.vital_limits.systolic_below_mmhg,
        vital_limits.heart_rate_from_per_min =
            &p.monitoring_plan.vital_limits.heart_rate_from_per_min,
        vital_limits.heart_rate_below_per_min =
            &p.monitoring_plan.vital_limits.heart_rate_below_per_min,
        vital_limits.rass_sedation_from_minus =
            &p.monitoring_plan.vital_limits.rass_sedation_from_minus,
        vital_limits.rass_agitation_from = &p.monitoring_plan.vital_limits.rass_agitation_from,
        titration.step_mg_per_kg_per_h = &p.titration.step_mg_per_kg_per_h,
        titration.interval_min = &p.titration.interval_min,
        titration.hold_reduction_fraction = &p.titration.hold_reduction_fraction,
    ];
    out.push((
        "sheet.titration_goal.pain_score_at_most".to_string(),
        &p.sheet.titration_goal.pain_score_at_most,
    ));
    for o in &p.follow_on.options {
        if let Some(t) = &o.daily_cap_mg {
            out.push((format!("follow_on.options[{}].daily_cap_mg", o.name), t));
        }
    }
    for (i, r) in p.rescue_medications.iter().enumerate() {
        for (b, band) in r.weight_bands.iter().enumerate() {
            let path = format!("rescue_medications[{i}:{}].weight_bands[{b}]", r.drug);
            if let Some(t) = &band.above_kg {
                out.push((format!("{path}.above_kg"), t));
            }
            if let Some(t) = &band.from_kg {
                out.push((format!("{path}.from_kg"), t));
            }
        }
    }
    out
}

/// The pack's sections of sourced text lines, with their paths.
fn text_sections(p: &ProtocolPack) -> [(&'static str, &[SourcedText]); 8] {
    let mp = &p.monitoring_plan;
    [
        (
            "monitoring_plan.sedation_scale",
            std::slice::from_ref(&mp.sedation_scale),
        ),
        ("monitoring_plan.frequencies", &mp.frequencies),
        ("monitoring_plan.fasting", &mp.fasting),
        ("monitoring_plan.oxygen", std::slice::from_ref(&mp.oxygen)),
        ("monitoring_plan.discharge_criteria", &mp.discharge_criteria),
        ("monitoring_plan.do_not_start", &mp.do_not_start),
        ("monitoring_plan.stop_criteria", &mp.stop_criteria),
        ("patient_instructions", &p.patient_instructions),
    ]
}
