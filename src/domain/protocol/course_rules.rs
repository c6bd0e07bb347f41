//! The pack's rules over time: the treatment course, the response to an infusion, and the
//! oral or intranasal follow-on options.

use super::rescue::DrugWarningDef;
use super::sourced::{SourcedNote, Threshold};
use serde::{Deserialize, Serialize};

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
