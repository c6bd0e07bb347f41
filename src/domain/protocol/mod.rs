//! The protocol pack: every threshold, code, message and source the engine uses.
//!
//! The pack is a RON file (`protocols/*.ron`). The built-in pack is embedded with
//! `include_str!`; a clinic may load its own. Every pack is validated at load: an
//! inconsistent value is an error that names the field and its `line:column`.

mod approval;
mod catalogue;
mod codes;
mod concentrations;
mod course_rules;
mod digest;
mod error;
mod limits;
mod lines;
mod load;
mod monitoring;
mod pack;
mod paths;
mod pharmacokinetics;
mod preinfusion_tests;
mod rescue;
mod sheet_rules;
mod sourced;
mod validate;

pub use crate::domain::kinds::{AlertKind, Severity};
pub use approval::{
    ApprovalError, PackApproval, TrustedKey, comment_field, key_id_hex, pack_trusted_comment,
    verify_pack,
};
pub use catalogue::{
    AlertDef, ConditionDef, CourseVariant, Escalation, EscalationWhen, FindingDef,
    ScreeningQuestion,
};
pub use codes::{
    ALERT_CODES, CONTRACT_CONDITIONS, CONTRACT_SCREENING_CODES, COURSE_FINDING_CODES,
    RULE_FINDING_CODES,
};
pub use concentrations::{PreparationDef, StandardConcentration, VialDef};
pub use course_rules::{CourseRules, FollowOnDef, FollowOnRules, ResponseRules};
pub use error::ProtocolError;
pub use limits::{
    AnnualRules, DoseLimits, DosingWeightRules, FirstInfusionRules, InputLimits, OrderRules,
    PopulationRules,
};
pub use lines::{
    AdverseEffect, LineContext, LineSets, MonitoringItem, PersonnelRequirement, PlanLines,
    SourcedLine, line, monitoring_item,
};
pub use load::{BUILT_IN_PACK, Protocol, sha256_hex};
pub use monitoring::{
    AdverseEffectDef, MonitoringItemDef, MonitoringPlanDef, MonitoringRules, PersonnelDef, TierDef,
    TitrationRules, VitalLimits,
};
pub use pack::ProtocolPack;
pub use pharmacokinetics::{PkModel, PkRules, ReportedRange};
pub use preinfusion_tests::{TestName, TestRules};
pub use rescue::{DrugWarningDef, RescueCategory, RescueDef, WeightBand, WeightBasedDose};
pub use sheet_rules::{
    DrugLibrary, EmergencyNumber, Rewrite, SheetRules, TallMan, TitrationGoal, apply_tall_man,
};
pub use sourced::{LineExposure, SourcedNote, SourcedText, Threshold};
