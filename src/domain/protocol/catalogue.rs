//! The pack's catalogue of codes: findings (with their screening questions and escalations),
//! limit alerts and the conditions treated.

use crate::domain::kinds::{AlertKind, Severity};
use crate::domain::text::Text;
use serde::{Deserialize, Serialize};

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
    pub message: Text,
    pub source: Text,
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
    pub code: Text,
    /// A short title in plain words, shown before the message on every screen and printout.
    pub title: Text,
    pub severity: Severity,
    pub message: Text,
    pub source: Text,
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
    pub message: Text,
    pub source: Text,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertDef {
    pub code: Text,
    /// A short title in plain words, shown before the message on every screen and printout.
    pub title: Text,
    pub kind: AlertKind,
    pub message: Text,
    pub source: Text,
    #[serde(default)]
    pub institution_default: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConditionDef {
    pub code: Text,
    pub name: Text,
    pub grade: Text,
    pub certainty: Text,
    /// One line a clinician reads beside the choice.
    pub summary: Text,
    /// Rule-made finding raised for this condition (`weak_evidence`, `limited_evidence`).
    #[serde(default)]
    pub finding: Option<Text>,
    pub source: Text,
}
