//! The codes of the contract a pack must define: rule-made and course findings, limit alerts
//! with their kinds, screening codes and conditions.

use crate::domain::kinds::AlertKind;

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
