//! What the engine tells the clinician: findings, limit alerts, the proceed verdict.

pub use crate::domain::kinds::MonitoringTier;
use crate::domain::kinds::{AlertKind, Severity};
use crate::domain::protocol::FindingDef;
use crate::domain::text::Text;
use serde::{Deserialize, Serialize};

/// A finding raised by a screening answer or a rule, with the guideline section it comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub code: Text,
    /// Plain-words title from the pack (older saved files lack it).
    #[serde(default)]
    pub title: Text,
    pub severity: Severity,
    pub message: Text,
    pub source: Text,
}

/// The plain-words title, or the code for one saved before titles existed.
fn title_or_code<'a>(title: &'a str, code: &'a str) -> &'a str {
    if title.trim().is_empty() { code } else { title }
}

impl LimitAlert {
    pub fn display_title(&self) -> &str {
        title_or_code(&self.title, &self.code)
    }
}

impl Finding {
    pub fn display_title(&self) -> &str {
        title_or_code(&self.title, &self.code)
    }

    /// The finding as the course summary raises it (its course variant, if any).
    pub fn from_course_def(def: &FindingDef) -> Self {
        match &def.in_course {
            Some(v) => Finding {
                severity: v.severity,
                message: v.message.clone(),
                source: v.source.clone(),
                ..Finding::from_def(def)
            },
            None => Finding::from_def(def),
        }
    }

    /// The finding exactly as the pack defines it (no escalation).
    pub fn from_def(def: &FindingDef) -> Self {
        Finding {
            code: def.code.clone(),
            title: def.title.clone(),
            severity: def.severity,
            message: def.message.clone(),
            source: def.source.clone(),
        }
    }
}

/// Which dose field a limit alert belongs to (one alert per field).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DoseField {
    Bolus,
    Infusion,
    Pump,
    /// The concentration itself (pump maximum, below the standard concentrations).
    Concentration,
    /// The patient's weight (plausibility).
    Weight,
}

/// A dose limit crossed, as a smart pump would show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LimitAlert {
    pub code: Text,
    /// Plain-words title from the pack (older saved files lack it).
    #[serde(default)]
    pub title: Text,
    pub kind: AlertKind,
    pub message: Text,
    pub source: Text,
    pub field: DoseField,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Proceed {
    Yes,
    NeedsJustification,
    No,
}

impl Proceed {
    pub fn as_str(self) -> &'static str {
        match self {
            Proceed::Yes => "yes",
            Proceed::NeedsJustification => "needs_justification",
            Proceed::No => "no",
        }
    }
}

/// `no` with any [stop] finding or hard alert; else `needs_justification` with any [avoid]
/// finding or soft alert; else `yes`.
pub fn proceed(findings: &[Finding], alerts: &[LimitAlert]) -> Proceed {
    let stop = findings.iter().any(|f| f.severity == Severity::Stop)
        || alerts.iter().any(|a| a.kind == AlertKind::Hard);
    let avoid = findings.iter().any(|f| f.severity == Severity::Avoid)
        || alerts.iter().any(|a| a.kind == AlertKind::Soft);
    if stop {
        Proceed::No
    } else if avoid {
        Proceed::NeedsJustification
    } else {
        Proceed::Yes
    }
}

/// Codes that need a written justification before an order can print:
/// every [avoid] finding and every soft alert.
pub fn codes_needing_justification(findings: &[Finding], alerts: &[LimitAlert]) -> Vec<String> {
    findings
        .iter()
        .filter(|f| f.severity == Severity::Avoid)
        .map(|f| f.code.to_string())
        .chain(
            alerts
                .iter()
                .filter(|a| a.kind == AlertKind::Soft)
                .map(|a| a.code.to_string()),
        )
        .collect()
}
