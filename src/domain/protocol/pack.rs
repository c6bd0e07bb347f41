//! The whole pack as written in RON: one field per section.

use super::catalogue::{AlertDef, ConditionDef, FindingDef};
use super::concentrations::{PreparationDef, StandardConcentration};
use super::course_rules::{CourseRules, FollowOnRules, ResponseRules};
use super::limits::{
    AnnualRules, DoseLimits, DosingWeightRules, FirstInfusionRules, InputLimits, OrderRules,
    PopulationRules,
};
use super::monitoring::{
    AdverseEffectDef, MonitoringPlanDef, MonitoringRules, PersonnelDef, TitrationRules,
};
use super::preinfusion_tests::TestRules;
use super::rescue::RescueDef;
use super::sheet_rules::SheetRules;
use super::sourced::SourcedText;
use crate::domain::text::Text;
use serde::{Deserialize, Serialize};

/// The whole pack as written in RON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProtocolPack {
    pub id: Text,
    pub version: Text,
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
    /// The predicted-concentration preview's models and reported ranges (step 13).
    pub pharmacokinetics: super::PkRules,
}

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
