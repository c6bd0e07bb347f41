//! The course file's contents: identity, sessions as ordered and as given, the bedside
//! record, LFT results and the audit trail of changes to saved sessions.

use super::lft_result::LftResult;
use crate::domain::case::{Case, Course, FollowUp};
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const COURSE_SCHEMA: &str = "ketaplan.course/1";

/// Who the course belongs to.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CourseIdentity {
    pub patient_name: String,
    pub mrn: String,
    #[serde(default)]
    pub date_of_birth: Option<String>,
}

/// The plan as it was ordered: enough to know what was prescribed, with which pack.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrderedPlan {
    pub protocol_id: String,
    pub protocol_sha256: String,
    #[serde(default)]
    pub order_number: Option<String>,
    pub infusion_mg_per_h: f64,
    pub pump_ml_per_h: f64,
    pub max_infusion_mg_per_kg_per_h: f64,
    pub total_mg: f64,
    pub monitoring_tier: String,
    /// The dosing weight the order used (to convert charted mg/h to mg/kg/h).
    #[serde(default)]
    pub dosing_weight_kg: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateChange {
    /// 24-hour clock time, `HH:MM`.
    pub at: String,
    pub mg_per_kg_per_h: f64,
    #[serde(default)]
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RescueGiven {
    pub at: String,
    pub drug: String,
    pub dose: String,
}

/// What was actually given (from the bedside record).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Given {
    pub total_mg: f64,
    pub infusion_hours: f64,
    #[serde(default)]
    pub rate_changes: Vec<RateChange>,
    #[serde(default)]
    pub adverse_effects: Vec<String>,
    #[serde(default)]
    pub rescue_given: Vec<RescueGiven>,
}

/// One row of the bedside flowsheet, as charted (text exactly as typed, so nothing a nurse
/// wrote is reinterpreted): every 15 minutes during a session.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FlowsheetRow {
    /// 24-hour clock time, `HH:MM`.
    pub time: String,
    pub rate_mg_per_h: String,
    pub bp: String,
    pub hr: String,
    pub rr: String,
    pub spo2: String,
    pub sedation: String,
    pub pain: String,
    pub initials: String,
    pub note: String,
}

/// The bedside record of a session: flowsheet rows, rescue drugs and adverse effects.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BedsideRecord {
    pub rows: Vec<FlowsheetRow>,
    pub rescue: Vec<RescueGiven>,
    pub adverse_effects: String,
    /// The bolus as charted (mg, as typed; empty = none given) and when (`HH:MM`).
    pub bolus_mg: String,
    pub bolus_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Session {
    pub id: u32,
    /// `YYYY-MM-DDTHH:MM`
    pub started_at: NaiveDateTime,
    pub case: Case,
    pub ordered: OrderedPlan,
    #[serde(default)]
    pub given: Option<Given>,
    #[serde(default)]
    pub justifications: BTreeMap<String, String>,
    /// The response to *this* session, recorded at follow-up.
    #[serde(default)]
    pub follow_up: Option<FollowUp>,
    /// The bedside flowsheet; part of the course file, so saves and autosaves keep it.
    #[serde(default)]
    pub bedside: Option<BedsideRecord>,
    /// Liver function test results recorded with this session (V4-18).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lft: Vec<LftResult>,
}

impl Session {
    pub fn date(&self) -> NaiveDate {
        self.started_at.date()
    }
    /// mg given, or the ordered total when nothing is recorded yet.
    pub fn mg(&self) -> f64 {
        self.given
            .as_ref()
            .map_or(self.ordered.total_mg, |g| g.total_mg)
    }
    /// Hours given (from the bedside record's "what was given"), or else the ordered duration.
    pub fn hours(&self) -> f64 {
        self.given
            .as_ref()
            .map_or(self.case.regimen.duration_h, |g| g.infusion_hours)
    }
    /// A continuous infusion or a series (the re-exposure and LFT rules look for these).
    pub fn is_serial(&self) -> bool {
        matches!(
            self.case.regimen.course,
            Course::Continuous | Course::Series
        )
    }
}

/// One change to a saved session: when, what, old → new.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditEntry {
    pub at: NaiveDateTime,
    pub session_id: u32,
    pub field: String,
    pub old: String,
    pub new: String,
    /// Who changed it: the signed-in user (step 12); absent where no one signs in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CourseDocument {
    pub schema: String,
    pub identity: CourseIdentity,
    #[serde(default)]
    pub sessions: Vec<Session>,
    #[serde(default)]
    pub audit: Vec<AuditEntry>,
}

impl Default for CourseDocument {
    fn default() -> Self {
        CourseDocument {
            schema: COURSE_SCHEMA.to_string(),
            identity: CourseIdentity::default(),
            sessions: Vec::new(),
            audit: Vec::new(),
        }
    }
}

impl CourseDocument {
    pub fn new(identity: CourseIdentity) -> Self {
        CourseDocument {
            identity,
            ..CourseDocument::default()
        }
    }

    /// Add a session; returns its id.
    pub fn add_session(&mut self, mut session: Session) -> u32 {
        let id = self.sessions.iter().map(|s| s.id).max().unwrap_or(0) + 1;
        session.id = id;
        self.sessions.push(session);
        self.sessions.sort_by_key(|s| (s.started_at, s.id));
        id
    }

    /// Replace a saved session, appending one audit entry per changed field, naming `by`
    /// (the signed-in user). Returns false when no session has that id.
    pub fn update_session(
        &mut self,
        updated: Session,
        now: NaiveDateTime,
        by: Option<&str>,
    ) -> bool {
        let Some(index) = self.sessions.iter().position(|s| s.id == updated.id) else {
            return false;
        };
        let old = serde_json::to_value(&self.sessions[index]).unwrap_or_default();
        let new = serde_json::to_value(&updated).unwrap_or_default();
        let mut changes = Vec::new();
        diff_values("", &old, &new, &mut changes);
        for (field, old, new) in changes {
            self.audit.push(AuditEntry {
                at: now,
                session_id: updated.id,
                field,
                old,
                new,
                by: by.map(str::to_string),
            });
        }
        self.sessions[index] = updated;
        self.sessions.sort_by_key(|s| (s.started_at, s.id));
        true
    }
}

fn diff_values(
    path: &str,
    old: &serde_json::Value,
    new: &serde_json::Value,
    out: &mut Vec<(String, String, String)>,
) {
    use serde_json::Value;
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => {
            let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for k in keys {
                let child = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                diff_values(
                    &child,
                    a.get(k).unwrap_or(&Value::Null),
                    b.get(k).unwrap_or(&Value::Null),
                    out,
                );
            }
        }
        (a, b) if a != b => out.push((path.to_string(), a.to_string(), b.to_string())),
        _ => {}
    }
}
