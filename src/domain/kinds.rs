//! The shared vocabulary of the pack and the engine's findings: severities, limit-alert
//! kinds and monitoring tiers (below both `protocol` and `findings`, so neither imports the other).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Stop,
    Avoid,
    Caution,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Stop => "stop",
            Severity::Avoid => "avoid",
            Severity::Caution => "caution",
            Severity::Info => "info",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    Soft,
    Hard,
}

impl AlertKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AlertKind::Soft => "soft",
            AlertKind::Hard => "hard",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MonitoringTier {
    Standard,
    Monitored,
    Icu,
}

impl MonitoringTier {
    pub fn as_str(self) -> &'static str {
        match self {
            MonitoringTier::Standard => "standard",
            MonitoringTier::Monitored => "monitored",
            MonitoringTier::Icu => "icu",
        }
    }
}
