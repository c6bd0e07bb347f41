//! The treatment course the app has open: the document, its file, what was last saved,
//! autosave, the bedside flowsheets (kept in each session's `bedside`, so saves, backups
//! and the autosave cover them; an old `FILE.ketaplan.flowsheet` sidecar is moved in once)
//! and the entries the Course page edits.
//!
//! Everything clinical comes from the engine (`summarize`, `follow_up_calls_due`,
//! `next_visit_case`, `follow_on`, the plan). The one piece of arithmetic here is the
//! bedside record's "what was given" (rate × time, in `widgets::flowsheet`).
//!
//! This module holds the in-memory state; reading and writing files is in `files`, the
//! old sidecar's migration in `sidecar`.

use crate::domain::Protocol;
use crate::domain::case::{Case, FieldError, case_from_value};
use crate::domain::course::{
    BedsideRecord, CallDue, CourseDocument, CourseIdentity, OrderedPlan, Session, next_visit_case,
};
use crate::domain::findings::Proceed;
use crate::domain::order_identity::order_number;
use crate::store::fs::{Clock, SystemClock};
use crate::ui::actions::{Page, View};
use crate::ui::draft::CaseDraft;
use crate::ui::files::{DialogPoll, DialogThread, NO_DIALOG_WITHIN, block_on};
use crate::ui::widgets::flowsheet::{BedsidePart, Flowsheet};
use crate::ui::widgets::path_entry::PathEntryState;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

mod files;
mod lft;
mod sidecar;

pub use files::{course_save_path, is_course_path, suggested_course_name};
pub use lft::{LFT_FIELDS, LftDraft};
use sidecar::LegacySidecar;
pub use sidecar::flowsheet_path;

/// Course files end in `.ketaplan`.
pub const COURSE_EXTENSION: &str = "ketaplan";
/// While a course has unsaved changes it is autosaved this often (and on every page change).
pub const AUTOSAVE_EVERY: Duration = Duration::from_secs(60);

/// The tabs of the Course page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CourseTab {
    #[default]
    Sessions,
    Calls,
    FollowOn,
}

impl CourseTab {
    pub fn parse(s: &str) -> Option<CourseTab> {
        match s.trim().to_ascii_lowercase().as_str() {
            "sessions" => Some(CourseTab::Sessions),
            "calls" => Some(CourseTab::Calls),
            "follow-on" | "followon" => Some(CourseTab::FollowOn),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CourseNoticeKind {
    Done,
    Warning,
    Error,
}

/// What the Course page asks of the app around it.
#[derive(Debug, Clone, PartialEq)]
pub enum CourseRequest {
    /// Put a course file on the app's recent-files list.
    Remember(PathBuf),
    /// Replace the wizard's case with the next visit, pre-filled from the last session.
    NextVisit {
        draft: Box<CaseDraft>,
        /// Day-to-day screening codes → last time's answer (Yes = true).
        previous: BTreeMap<String, bool>,
    },
    /// Ask where, then export this session's monitoring chart as PDF.
    ExportChart(u32),
}

/// The typed-path prompt for course files (with an optional system dialog behind "Browse…").
pub struct CoursePrompt {
    pub save: bool,
    pub entry: PathEntryState,
    browse: Option<DialogThread>,
}

impl CoursePrompt {
    pub fn new(save: bool, text: String) -> Self {
        Self {
            save,
            entry: PathEntryState::new(text),
            browse: None,
        }
    }

    pub fn title(&self) -> &'static str {
        if self.save {
            "Save the course as"
        } else {
            "Open a course"
        }
    }

    pub fn path_label(&self) -> &'static str {
        if self.save {
            "Path to save the course to"
        } else {
            "Path of the course file to open"
        }
    }

    pub fn confirm_text(&self) -> &'static str {
        if self.save {
            "Save the course to this path"
        } else {
            "Open this course"
        }
    }

    /// Start the platform's file dialog on its own thread.
    pub fn browse(&mut self, ctx: &egui::Context) {
        let save = self.save;
        let start = PathBuf::from(self.entry.text.trim());
        let thread = DialogThread::spawn("ketaplan-course-dialog", ctx.clone(), move || {
            let mut dialog = rfd::AsyncFileDialog::new()
                .add_filter("ketaplan course", &[COURSE_EXTENSION])
                .add_filter("All files", &["*"]);
            if let Some(dir) = start.parent().filter(|d| d.is_dir()) {
                dialog = dialog.set_directory(dir);
            }
            let chosen = if save {
                block_on(dialog.save_file())
            } else {
                block_on(dialog.pick_file())
            };
            chosen.map(|h| h.path().to_path_buf())
        });
        if thread.is_some() {
            self.browse = thread;
        } else {
            self.entry.problem =
                Some("No system file dialog is available here: type the path.".into());
        }
    }

    /// A path chosen in the system dialog fills the entry.
    pub fn poll_browse(&mut self) {
        let Some(thread) = &self.browse else {
            return;
        };
        match thread.poll() {
            DialogPoll::Chosen(path) => {
                self.entry.text = path.display().to_string();
                self.browse = None;
            }
            DialogPoll::Cancelled { elapsed } => {
                if elapsed < NO_DIALOG_WITHIN {
                    self.entry.problem =
                        Some("No system file dialog is available here: type the path.".into());
                }
                self.browse = None;
            }
            DialogPoll::Waiting => {}
        }
    }

    pub fn browsing(&self) -> bool {
        self.browse.is_some()
    }
}

/// The follow-up of one session as typed (numbers stay text until the validator reads them).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FollowUpDraft {
    pub session_id: u32,
    pub pain_before: String,
    pub pain_after: String,
    pub satisfied: Option<bool>,
    pub odi_before: String,
    pub odi_after: String,
    pub mme_before: String,
    pub mme_after: String,
    pub weeks_of_relief: String,
    pub relief_ongoing: Option<bool>,
    pub errors: Vec<FieldError>,
}

fn number_text(x: Option<f64>) -> String {
    x.map(|v| crate::order::format::number(v).replace(',', ""))
        .unwrap_or_default()
}

fn number_value(text: &str) -> Option<Value> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    match t.parse::<f64>() {
        Ok(x) if x.is_finite() => serde_json::Number::from_f64(x).map(Value::Number),
        // Text goes in as text so the validator names the field.
        _ => Some(Value::String(t.to_string())),
    }
}

impl FollowUpDraft {
    pub fn from_session(session: &Session) -> Self {
        let f = session.follow_up.clone().unwrap_or_default();
        Self {
            session_id: session.id,
            pain_before: number_text(f.pain_before),
            pain_after: number_text(f.pain_after),
            satisfied: f.satisfied,
            odi_before: number_text(f.odi_before),
            odi_after: number_text(f.odi_after),
            mme_before: number_text(f.opioid_mme_before),
            mme_after: number_text(f.opioid_mme_after),
            weeks_of_relief: number_text(f.weeks_of_relief),
            relief_ongoing: f.relief_ongoing,
            errors: Vec::new(),
        }
    }

    /// The follow-up as the contract's `follow_up` object.
    pub fn to_value(&self) -> Value {
        let mut m = serde_json::Map::new();
        for (key, text) in [
            ("pain_before", &self.pain_before),
            ("pain_after", &self.pain_after),
            ("odi_before", &self.odi_before),
            ("odi_after", &self.odi_after),
            ("opioid_mme_before", &self.mme_before),
            ("opioid_mme_after", &self.mme_after),
            ("weeks_of_relief", &self.weeks_of_relief),
        ] {
            if let Some(v) = number_value(text) {
                m.insert(key.into(), v);
            }
        }
        if let Some(s) = self.satisfied {
            m.insert("satisfied".into(), Value::Bool(s));
        }
        if let Some(r) = self.relief_ongoing {
            m.insert("relief_ongoing".into(), Value::Bool(r));
        }
        Value::Object(m)
    }
}

/// Follow-up calls due across the recent courses, read when the list is shown.
#[derive(Debug, Clone, Default)]
pub struct CallsList {
    /// The recent-files list it was read from.
    pub from: Vec<String>,
    pub courses: Vec<(PathBuf, CourseDocument)>,
    pub calls: Vec<(PathBuf, CallDue)>,
    /// Course files on the list that could not be read.
    pub unreadable: Vec<String>,
    pub read_on: Option<NaiveDate>,
}

/// A session that is being entered: its flowsheet and follow-up entries.
#[derive(Default)]
pub struct CourseState {
    /// Where courses are opened and saved.
    pub store: crate::store::SharedStore,
    pub doc: Option<CourseDocument>,
    pub file: Option<PathBuf>,
    /// The course as last opened or saved (None: never saved).
    saved: Option<CourseDocument>,
    /// The bedside records being edited, by session id. Edits are recorded on the
    /// session's `bedside` (audited) when focus leaves a row, on "Record", on adding or
    /// removing a row, and before every save and autosave.
    pub flowsheets: BTreeMap<u32, Flowsheet>,
    /// The part of a flowsheet that had keyboard focus last frame, and this frame (set by
    /// the page while it draws).
    bedside_focus: Option<(u32, BedsidePart)>,
    pub bedside_focus_now: Option<(u32, BedsidePart)>,
    /// An old sidecar file whose records were moved into the sessions: removed once the
    /// course holding them is saved to the same file.
    legacy_sidecar: Option<LegacySidecar>,
    pub selected: Option<u32>,
    pub tab: CourseTab,
    pub follow_up: Option<FollowUpDraft>,
    /// The LFT result being entered for the selected session.
    pub lft: Option<LftDraft>,
    pub search: String,
    pub notice: Option<(CourseNoticeKind, String)>,
    /// A course file that failed to open: file, line:column, what is wrong.
    pub open_error: Option<String>,
    /// An autosave newer than the file was found when the course was opened.
    pub recovery: Option<PathBuf>,
    pub prompt: Option<CoursePrompt>,
    pub requests: Vec<CourseRequest>,
    /// "Prepare the next visit" while the case has unsaved changes: asks first.
    pub confirm_next_visit: bool,
    /// Shown as a printable monitoring chart (session id).
    pub print_view: Option<u32>,
    /// The monitoring chart's lines last drawn in the printable view (tests compare them
    /// with the text rendering of the chart that is exported).
    pub chart_lines: Vec<String>,
    pub calls: Option<CallsList>,
    /// The follow-on planner: the last session of the course (true) or the case on the
    /// Case pages (false).
    pub follow_on_from_course: bool,
    autosave_last: Option<Instant>,
    autosaved: Option<CourseDocument>,
    autosave_error_shown: bool,
    last_place: Option<(View, Page)>,
    /// Scroll the Sessions tab once to "charts" or "session" (debug screenshots).
    pub scroll_to: Option<String>,
    /// Fixed clock (tests); the system clock otherwise.
    pub fixed_now: Option<NaiveDateTime>,
}

impl CourseState {
    pub fn now(&self) -> NaiveDateTime {
        self.fixed_now.unwrap_or_else(|| SystemClock.now())
    }

    pub fn notify(&mut self, kind: CourseNoticeKind, text: impl Into<String>) {
        self.notice = Some((kind, text.into()));
    }

    /// The course differs from what was last opened or saved (bedside entries not yet
    /// recorded on their session count too).
    pub fn is_dirty(&self) -> bool {
        match &self.doc {
            None => false,
            Some(doc) => self.saved.as_ref() != Some(doc) || self.has_pending_bedside(),
        }
    }

    // ------------------------------------------------------------ bedside record

    /// The flowsheet editor's copy of a session's bedside record.
    pub fn sheet_mut(&mut self, session: &Session) -> &mut Flowsheet {
        self.flowsheets
            .entry(session.id)
            .or_insert_with(|| Flowsheet::from_bedside(session.bedside.as_ref()))
    }

    /// The bedside record of a session as it stands (edits not yet recorded included).
    pub fn sheet(&self, session: &Session) -> Flowsheet {
        self.flowsheets
            .get(&session.id)
            .cloned()
            .unwrap_or_else(|| Flowsheet::from_bedside(session.bedside.as_ref()))
    }

    /// The session with the bedside entries on screen (recorded or not).
    pub fn session_as_shown(&self, id: u32) -> Option<Session> {
        let session = self.session(id)?;
        let mut shown = session.clone();
        if let Some(sheet) = self.flowsheets.get(&id) {
            shown.bedside = bedside_value(sheet, session.bedside.as_ref());
        }
        Some(shown)
    }

    /// The session's monitoring chart with what is on screen, printed now on `paper`: the
    /// printable view shows its text, and the PDF export (after recording the entries)
    /// renders the same sheet.
    pub fn monitoring_chart(
        &self,
        protocol: &Protocol,
        session_id: u32,
        paper: crate::order::Paper,
    ) -> Option<crate::order::OrderSheet> {
        let doc = self.doc.as_ref()?;
        let session = self.session_as_shown(session_id)?;
        Some(crate::order::chart::monitoring_chart(
            protocol,
            doc,
            &session,
            self.now(),
            paper,
        ))
    }

    /// Edits in the flowsheet editor that are not on their session yet.
    pub fn has_pending_bedside(&self) -> bool {
        self.flowsheets.iter().any(|(id, sheet)| {
            self.session(*id)
                .is_some_and(|s| bedside_value(sheet, s.bedside.as_ref()) != s.bedside)
        })
    }

    /// Record the flowsheet editor's entries on the session (one audited update). Returns
    /// whether anything changed.
    pub fn commit_bedside(&mut self, session_id: u32) -> bool {
        let Some(sheet) = self.flowsheets.get(&session_id) else {
            return false;
        };
        let Some(session) = self.session(session_id) else {
            return false;
        };
        let record = bedside_value(sheet, session.bedside.as_ref());
        if record == session.bedside {
            return false;
        }
        let mut updated = session.clone();
        updated.bedside = record;
        let now = self.now();
        self.doc
            .as_mut()
            .is_some_and(|doc| doc.update_session(updated, now))
    }

    /// Record every pending flowsheet edit (before a save or an autosave).
    pub fn commit_all_bedside(&mut self) {
        let ids: Vec<u32> = self.flowsheets.keys().copied().collect();
        for id in ids {
            self.commit_bedside(id);
        }
    }

    pub fn has_modal(&self) -> bool {
        self.prompt.is_some() || self.confirm_next_visit
    }

    pub fn session(&self, id: u32) -> Option<&Session> {
        self.doc.as_ref()?.sessions.iter().find(|s| s.id == id)
    }

    // ------------------------------------------------------------ sessions

    /// Add the case on the Case pages as a session, with the plan as ordered. Refused when
    /// the case is incomplete, the plan says do not proceed, or it is another patient.
    pub fn add_session_from_plan(
        &mut self,
        protocol: &Protocol,
        case: Option<&Case>,
        plan: Option<&crate::domain::Plan>,
        today: NaiveDate,
    ) -> Result<u32, String> {
        let (Some(case), Some(plan)) = (case, plan) else {
            return Err(
                "The case on the Case pages is not complete: finish it before adding it as a session."
                    .into(),
            );
        };
        if plan.proceed == Proceed::No {
            return Err(
                "The plan says do not proceed (a stop finding): it cannot be added as a session."
                    .into(),
            );
        }
        let order = case.order.clone().unwrap_or_default();
        let identity = CourseIdentity {
            patient_name: order.patient_name.clone().unwrap_or_default(),
            mrn: order.mrn.clone().unwrap_or_default(),
            date_of_birth: order.date_of_birth.clone(),
        };
        if identity.mrn.trim().is_empty() {
            return Err("The case has no MRN: enter it on the Patient page first.".into());
        }
        if let Some(doc) = &self.doc
            && !doc.identity.mrn.trim().is_empty()
            && doc.identity.mrn.trim() != identity.mrn.trim()
        {
            return Err(format!(
                "This course is for MRN {}, the case is for MRN {}: open that patient's course or start a new one.",
                doc.identity.mrn, identity.mrn
            ));
        }
        let now = self.now();
        let time = NaiveTime::from_hms_opt(now.hour(), now.minute(), 0).unwrap_or_default();
        let mut case = case.clone();
        // The course records no follow-up inside the case: each session has its own.
        case.follow_up = None;
        let number = order
            .order_number
            .clone()
            .unwrap_or_else(|| order_number(protocol, &case, today));
        let session = Session {
            id: 0,
            started_at: today.and_time(time),
            justifications: case.justifications.clone(),
            ordered: OrderedPlan {
                protocol_id: protocol.pack.id.clone(),
                protocol_sha256: protocol.sha256.clone(),
                order_number: Some(number),
                infusion_mg_per_h: plan.infusion_mg_per_h,
                pump_ml_per_h: plan.pump_ml_per_h,
                max_infusion_mg_per_kg_per_h: plan.max_infusion_mg_per_kg_per_h,
                total_mg: plan.total_mg,
                monitoring_tier: plan.monitoring_tier.as_str().to_string(),
                dosing_weight_kg: Some(plan.dosing_weight_kg),
            },
            case,
            given: None,
            follow_up: None,
            bedside: None,
            lft: Vec::new(),
        };
        let doc = self
            .doc
            .get_or_insert_with(|| CourseDocument::new(identity.clone()));
        if doc.identity.mrn.trim().is_empty() {
            doc.identity = identity;
        }
        let id = doc.add_session(session);
        self.selected = Some(id);
        self.follow_up = None;
        Ok(id)
    }

    /// Record the typed follow-up on its session (audited). The engine's validator checks
    /// every value; on errors nothing changes and they are kept beside the entries.
    pub fn save_follow_up(&mut self, protocol: &Protocol) -> bool {
        let Some(draft) = self.follow_up.as_mut() else {
            return false;
        };
        let Some(doc) = self.doc.as_ref() else {
            return false;
        };
        let Some(session) = doc.sessions.iter().find(|s| s.id == draft.session_id) else {
            return false;
        };
        let mut value = serde_json::to_value(&session.case).unwrap_or(Value::Null);
        if let Value::Object(map) = &mut value {
            map.insert("follow_up".into(), draft.to_value());
        }
        match case_from_value(protocol, &value) {
            Ok(case) => {
                draft.errors.clear();
                let mut updated = session.clone();
                updated.follow_up = case.follow_up;
                let now = self.now();
                if let Some(doc) = self.doc.as_mut() {
                    doc.update_session(updated, now);
                }
                self.notify(CourseNoticeKind::Done, "Follow-up recorded.");
                true
            }
            Err(errors) => {
                draft.errors = errors;
                false
            }
        }
    }

    /// Fill the session's "what was given" from its flowsheet (audited).
    pub fn fill_given(&mut self, protocol: &Protocol, session_id: u32) -> Result<(), Vec<String>> {
        // The record the numbers come from is on the session first.
        self.commit_bedside(session_id);
        let Some(session) = self.session(session_id).cloned() else {
            return Err(vec!["No such session.".into()]);
        };
        let sheet = self.sheet(&session);
        // The dosing weight the order used; older sessions without it are planned again.
        let weight = session
            .ordered
            .dosing_weight_kg
            .unwrap_or_else(|| crate::domain::plan(protocol, &session.case).dosing_weight_kg);
        let given = sheet.given(crate::domain::units::Kilograms(weight))?;
        let mut updated = session;
        updated.given = Some(given);
        let now = self.now();
        if let Some(doc) = self.doc.as_mut() {
            doc.update_session(updated, now);
        }
        self.notify(
            CourseNoticeKind::Done,
            "What was given is filled from the bedside record.",
        );
        Ok(())
    }

    /// Pre-fill the wizard for the next visit from the last session.
    pub fn request_next_visit(&mut self, protocol: &Protocol, today: NaiveDate) {
        let Some(doc) = &self.doc else {
            return;
        };
        let Some((case, previous)) = next_visit_case(protocol, doc, today) else {
            self.notify(CourseNoticeKind::Warning, "The course has no session yet.");
            return;
        };
        let last_date = doc
            .sessions
            .iter()
            .max_by_key(|s| s.started_at)
            .map(|s| s.date());
        let draft = next_visit_draft(protocol, &case, last_date, today);
        self.requests.push(CourseRequest::NextVisit {
            draft: Box::new(draft),
            previous: previous.into_iter().collect(),
        });
    }
}

/// What the session's `bedside` becomes from the editor: an editor left empty on a
/// session without a record adds none.
fn bedside_value(sheet: &Flowsheet, current: Option<&BedsideRecord>) -> Option<BedsideRecord> {
    if sheet.is_empty() && current.is_none() {
        None
    } else {
        Some(sheet.to_bedside())
    }
}

/// The wizard's draft for the next visit. A date weighed that the case does not carry is
/// taken as the last session's date, so an old weight is flagged, never hidden.
pub fn next_visit_draft(
    protocol: &Protocol,
    case: &Case,
    last_session: Option<NaiveDate>,
    today: NaiveDate,
) -> CaseDraft {
    let value = serde_json::to_value(case).unwrap_or(Value::Null);
    let mut draft = CaseDraft::from_case_value(protocol, &value, today);
    let weighed = case.order.as_ref().and_then(|o| o.weighed_on.clone());
    if weighed.is_none()
        && let Some(date) = last_session
    {
        draft.weighed_on = crate::order::format::date(date);
    }
    draft
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn course_paths_end_in_ketaplan() {
        assert_eq!(
            course_save_path(Path::new("/t/jane")),
            Path::new("/t/jane.ketaplan")
        );
        assert_eq!(
            course_save_path(Path::new("/t/jane.ketaplan")),
            Path::new("/t/jane.ketaplan")
        );
        assert!(is_course_path(Path::new("a.KETAPLAN")));
        assert!(!is_course_path(Path::new("a.case.ron")));
    }

    #[test]
    fn follow_up_text_goes_to_the_validator_as_text() {
        let d = FollowUpDraft {
            pain_before: "8".into(),
            pain_after: "x".into(),
            satisfied: Some(true),
            ..FollowUpDraft::default()
        };
        let v = d.to_value();
        assert_eq!(v["pain_before"], serde_json::json!(8.0));
        assert_eq!(v["pain_after"], serde_json::json!("x"));
        assert_eq!(v["satisfied"], serde_json::json!(true));
        assert!(v.get("odi_before").is_none());
    }
}
