//! A treatment course over time (`ketaplan.course/1`): sessions as ordered and as given,
//! their follow-ups, and what is derived from them through the engine's own rules — the
//! yearly count that feeds `treatments_past_12_months`, cumulative dose, response,
//! durability and the course findings. Nothing derived is ever stored or typed.

use crate::domain::case::{Case, Course, FollowUp};
use crate::domain::findings::Finding;
use crate::domain::protocol::Protocol;
use crate::domain::response::{self, Response};
use crate::domain::units::cmp_value;
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const COURSE_SCHEMA: &str = "ketaplan.course/1";
pub const COURSE_SUMMARY_SCHEMA: &str = "ketaplan.course-summary/1";

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

    /// Replace a saved session, appending one audit entry per changed field.
    /// Returns false when no session has that id.
    pub fn update_session(&mut self, updated: Session, now: NaiveDateTime) -> bool {
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

/// What the course says on a planned date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CourseSummary {
    pub schema: &'static str,
    pub on: NaiveDate,
    pub treatments_past_12_months: u32,
    pub cumulative_mg_12_months: f64,
    pub infusion_hours_12_months: f64,
    pub last_response: Option<Response>,
    pub repeat_supported: bool,
    pub findings: Vec<Finding>,
    /// Response of every session with a follow-up, by session id.
    pub responses: Vec<SessionResponse>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SessionResponse {
    pub session_id: u32,
    pub response: Response,
}

/// Days from `earlier` to `later` (negative when `earlier` is after `later`).
fn days_between(earlier: NaiveDate, later: NaiveDate) -> i64 {
    (later - earlier).num_days()
}

/// Sessions in the window before `on`: on or after `on − window_days + 1` and before or
/// on `on`... precisely: 0 ≤ days before `on` < window_days (a session exactly one window
/// ago is a year old and no longer counts).
pub fn sessions_in_window<'a>(
    protocol: &Protocol,
    doc: &'a CourseDocument,
    on: NaiveDate,
) -> Vec<&'a Session> {
    let window = protocol.pack.course.window_days.value;
    doc.sessions
        .iter()
        .filter(|s| {
            let days = days_between(s.date(), on) as f64;
            days >= 0.0 && days < window
        })
        .collect()
}

/// Everything derived from the course for a session planned on `on`.
pub fn summarize(protocol: &Protocol, doc: &CourseDocument, on: NaiveDate) -> CourseSummary {
    let pack = &protocol.pack;
    let window = sessions_in_window(protocol, doc, on);
    let treatments = u32::try_from(window.len()).unwrap_or(u32::MAX);
    let cumulative_mg: f64 = window.iter().map(|s| s.mg()).sum();
    let hours: f64 = window.iter().map(|s| s.hours()).sum();

    // The session a follow-up describes is judged on that session's own setting and course.
    let count_within_limit =
        f64::from(treatments.saturating_add(1)) <= pack.annual.exceeded_above.value;
    let responses: Vec<SessionResponse> = doc
        .sessions
        .iter()
        .filter(|s| s.date() <= on)
        .filter_map(|s| {
            s.follow_up.as_ref().map(|f| SessionResponse {
                session_id: s.id,
                response: response::assess(
                    &pack.response,
                    f,
                    s.case.regimen.setting,
                    s.case.regimen.course,
                    count_within_limit,
                ),
            })
        })
        .collect();
    let last_session = doc
        .sessions
        .iter()
        .filter(|s| s.date() <= on)
        .max_by_key(|s| s.started_at);
    let last_response = last_session
        .and_then(|s| responses.iter().find(|r| r.session_id == s.id))
        .map(|r| r.response.clone());
    let repeat_supported = last_response.as_ref().is_some_and(|r| r.repeat_supported);

    let mut codes: Vec<&str> = Vec::new();
    if let Some(last) = last_session {
        // The contract's LFT rule applied to the last session.
        let tests = &pack.tests;
        let regimen = &last.case.regimen;
        let weight = crate::domain::weight::dosing_weight(
            &pack.dosing_weight,
            &last.case.patient,
            regimen.dosing_weight,
        )
        .map(|w| w.dosing_kg)
        .unwrap_or_else(|| last.case.patient.weight.kilograms());
        let ceiling = regimen
            .max_infusion
            .as_ref()
            .unwrap_or(&regimen.infusion)
            .mg_per_kg_per_h(weight)
            .for_comparison();
        let lft = tests.lft_codes.iter().any(|c| last.case.answered_yes(c))
            || (regimen.course == Course::Continuous && tests.lft_for_continuous_course)
            || (regimen.course == Course::Series
                && ceiling >= tests.lft_series_ceiling_from_mg_per_kg_per_h.value);
        if lft {
            codes.push("lft_due");
        }
        if last.follow_up.is_none() {
            let single_outpatient = regimen.course == Course::Single
                && regimen.setting == crate::domain::case::Setting::Outpatient;
            let weeks = if single_outpatient {
                pack.course.follow_up_single_after_weeks.value
            } else {
                pack.course.follow_up_other_after_weeks.value
            };
            let days_since = days_between(last.date(), on) as f64;
            if cmp_value(days_since / 7.0) >= weeks {
                codes.push("follow_up_missing");
            }
        }
    }
    let reexposure = doc.sessions.iter().any(|s| {
        let days = days_between(s.date(), on) as f64;
        s.is_serial() && days > 0.0 && days <= pack.course.reexposure_within_days.value
    });
    if reexposure {
        codes.push("reexposure_within_90_days");
    }
    let mut findings: Vec<Finding> = codes
        .into_iter()
        .filter_map(|c| protocol.finding(c))
        .map(Finding::from_def)
        .collect();
    findings.sort_by_key(|f| (f.severity, protocol.finding_index(&f.code)));

    CourseSummary {
        schema: COURSE_SUMMARY_SCHEMA,
        on,
        treatments_past_12_months: treatments,
        cumulative_mg_12_months: cumulative_mg,
        infusion_hours_12_months: hours,
        last_response,
        repeat_supported,
        findings,
        responses,
    }
}

/// Read a course document from RON, with line:column on syntax errors and a clear message
/// for a newer schema.
pub fn parse_course(text: &str) -> Result<CourseDocument, String> {
    if text.trim().is_empty() {
        return Err("the file is empty".to_string());
    }
    let options =
        ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
    // Check the schema first so a newer file says so rather than failing on a new field.
    if let Ok(ron::Value::Map(map)) = options.from_str::<ron::Value>(text) {
        let schema = map
            .iter()
            .find(|(k, _)| matches!(k, ron::Value::String(s) if s == "schema"))
            .and_then(|(_, v)| match v {
                ron::Value::String(s) => Some(s.clone()),
                _ => None,
            });
        if let Some(schema) = schema
            && schema != COURSE_SCHEMA
        {
            return Err(format!(
                "1:1: schema \"{schema}\" is not \"{COURSE_SCHEMA}\" (written by a newer or different program); the file was not changed"
            ));
        }
    }
    let doc: CourseDocument = options
        .from_str(text)
        .map_err(|e| format!("{}:{}: {}", e.span.start.line, e.span.start.col, e.code))?;
    Ok(doc)
}

/// Write a course document as RON (the app and the CLI read it back with `parse_course`).
pub fn course_to_ron(doc: &CourseDocument) -> Result<String, String> {
    let config = ron::ser::PrettyConfig::new()
        .depth_limit(12)
        .struct_names(false)
        .enumerate_arrays(false);
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .to_string_pretty(doc, config)
        .map(|body| format!("#![enable(implicit_some)]\n{body}\n"))
        .map_err(|e| e.to_string())
}

/// A follow-up call that is due.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CallDue {
    pub patient_name: String,
    pub mrn: String,
    pub session_id: u32,
    pub session_date: NaiveDate,
    pub due_on: NaiveDate,
    pub days_overdue: i64,
}

/// Sessions without a follow-up whose call is due on or before `today`, across courses,
/// most overdue first.
pub fn follow_up_calls_due(
    protocol: &Protocol,
    courses: &[&CourseDocument],
    today: NaiveDate,
) -> Vec<CallDue> {
    let rules = &protocol.pack.course;
    let mut due = Vec::new();
    for doc in courses {
        for s in doc.sessions.iter().filter(|s| s.follow_up.is_none()) {
            let regimen = &s.case.regimen;
            let single = regimen.course == Course::Single
                && regimen.setting == crate::domain::case::Setting::Outpatient;
            let weeks = if single {
                rules.follow_up_call_single_weeks.value
            } else {
                rules.follow_up_call_other_weeks.value
            };
            // Whole days; the pack gives whole weeks.
            let due_on = s.date() + chrono::Duration::days((weeks * 7.0).round() as i64);
            if due_on <= today {
                due.push(CallDue {
                    patient_name: doc.identity.patient_name.clone(),
                    mrn: doc.identity.mrn.clone(),
                    session_id: s.id,
                    session_date: s.date(),
                    due_on,
                    days_overdue: (today - due_on).num_days(),
                });
            }
        }
    }
    due.sort_by(|a, b| b.days_overdue.cmp(&a.days_overdue).then(a.mrn.cmp(&b.mrn)));
    due
}

/// Courses whose patient name or MRN contains `query` (case-insensitive).
pub fn matches_search(doc: &CourseDocument, query: &str) -> bool {
    let q = query.trim().to_lowercase();
    q.is_empty()
        || doc.identity.patient_name.to_lowercase().contains(&q)
        || doc.identity.mrn.to_lowercase().contains(&q)
}

/// The next visit's case, pre-filled from the last session: the yearly count from the
/// course, no follow-up, no justifications, no attestations, and the day-to-day answers
/// returned to unanswered. Also returns last time's answers for those codes (Yes = true).
pub fn next_visit_case(
    protocol: &Protocol,
    doc: &CourseDocument,
    on: NaiveDate,
) -> Option<(Case, Vec<(String, bool)>)> {
    let last = doc.sessions.iter().max_by_key(|s| s.started_at)?;
    let mut case = last.case.clone();
    let mut previous = Vec::new();
    for code in &protocol.pack.course.day_to_day_codes {
        let yes = case.screening.iter().any(|c| c == code);
        let no = case.screening_no.iter().any(|c| c == code);
        if yes || no {
            previous.push((code.clone(), yes));
        }
        case.screening.retain(|c| c != code);
        case.screening_no.retain(|c| c != code);
    }
    case.history.treatments_past_12_months = summarize(protocol, doc, on).treatments_past_12_months;
    // The follow-up of the last session is the response this visit judges.
    case.follow_up = last.follow_up.clone();
    case.justifications.clear();
    if let Some(order) = case.order.as_mut() {
        order.attest = None;
        order.order_number = None;
    }
    Some((case, previous))
}
