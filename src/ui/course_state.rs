//! The treatment course the app has open: the document, its file, what was last saved,
//! autosave, the bedside flowsheets (kept in each session's `bedside`, so saves, backups
//! and the autosave cover them; an old `FILE.ketaplan.flowsheet` sidecar is moved in once)
//! and the entries the Course page edits.
//!
//! Everything clinical comes from the engine (`summarize`, `follow_up_calls_due`,
//! `next_visit_case`, `follow_on`, the plan). The one piece of arithmetic here is the
//! bedside record's "what was given" (rate × time, in `widgets::flowsheet`).

use crate::domain::Protocol;
use crate::domain::case::{Case, FieldError, case_from_value};
use crate::domain::course::{
    BedsideRecord, CallDue, CourseDocument, CourseIdentity, OrderedPlan, Session,
    follow_up_calls_due, next_visit_case,
};
use crate::domain::findings::Proceed;
use crate::domain::order_identity::order_number;
use crate::store::course_store::{autosave_course, autosave_path, open_course, save_course};
use crate::store::fs::{Clock, FileSystem, RealFs, SystemClock, sibling};
use crate::ui::actions::{Page, View};
use crate::ui::draft::CaseDraft;
use crate::ui::files::{
    DialogPoll, DialogThread, NO_DIALOG_WITHIN, block_on, file_name_slug, has_extension,
};
use crate::ui::widgets::flowsheet::{BedsidePart, Flowsheet};
use crate::ui::widgets::path_entry::PathEntryState;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

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

    // ------------------------------------------------------------ files

    /// Start a new, empty course (the first session names the patient).
    pub fn new_course(&mut self) {
        *self = CourseState {
            tab: self.tab,
            requests: std::mem::take(&mut self.requests),
            fixed_now: self.fixed_now,
            ..CourseState::default()
        };
        self.notify(
            CourseNoticeKind::Done,
            "New course: add the first session from the current plan.",
        );
    }

    /// Open a course file. A file that fails to open is reported (file, line:column) and
    /// nothing changes; the file itself is never written.
    pub fn open(&mut self, protocol: &Protocol, path: &Path) -> bool {
        match open_course(&RealFs, protocol, path) {
            Ok(file_doc) => {
                let recovery = autosave_path(path);
                let autosave_differs =
                    open_course(&RealFs, protocol, &recovery).is_ok_and(|a| a != file_doc);
                let mut doc = file_doc.clone();
                let migration = migrate_sidecar(&mut doc, path, self.now());
                *self = CourseState {
                    tab: self.tab,
                    requests: std::mem::take(&mut self.requests),
                    fixed_now: self.fixed_now,
                    calls: self.calls.take(),
                    search: std::mem::take(&mut self.search),
                    ..CourseState::default()
                };
                self.selected = doc.sessions.last().map(|s| s.id);
                // What is on disk: records moved in from a sidecar are an unsaved change.
                self.saved = Some(file_doc);
                self.doc = Some(doc);
                self.file = Some(path.to_path_buf());
                self.recovery = autosave_differs.then_some(recovery);
                self.requests
                    .push(CourseRequest::Remember(path.to_path_buf()));
                self.notify(
                    CourseNoticeKind::Done,
                    format!("Opened {}.", path.display()),
                );
                if let Some(m) = migration {
                    let message = m.message();
                    if !message.is_empty() {
                        self.notify(CourseNoticeKind::Warning, message);
                    }
                    self.legacy_sidecar = Some(m.sidecar);
                }
                true
            }
            Err(e) => {
                self.open_error = Some(e.to_string());
                false
            }
        }
    }

    /// Replace the course with its autosave (then it has unsaved changes).
    pub fn recover(&mut self, protocol: &Protocol) {
        let Some(path) = self.recovery.take() else {
            return;
        };
        match open_course(&RealFs, protocol, &path) {
            Ok(doc) => {
                self.doc = Some(doc);
                // The editor shows the recovered records.
                self.flowsheets.clear();
                self.notify(
                    CourseNoticeKind::Warning,
                    "Recovered the autosave. It is not saved to the course file yet.",
                );
            }
            Err(e) => self.open_error = Some(e.to_string()),
        }
    }

    /// Save to `path` (`.ketaplan` added when missing): atomic, the old version kept as
    /// `.bak`, owner-only. A clean save removes the autosave.
    pub fn save_to(&mut self, path: &Path) -> Result<PathBuf, String> {
        let path = course_save_path(path);
        // Entries still in the flowsheet editor are saved too.
        self.commit_all_bedside();
        let Some(doc) = self.doc.clone() else {
            return Err("No course is open.".into());
        };
        if let Err(e) = save_course(&RealFs, &path, &doc) {
            self.notify(CourseNoticeKind::Error, e.clone());
            return Err(e);
        }
        self.notify(CourseNoticeKind::Done, format!("Saved {}.", path.display()));
        // An old sidecar goes once the course file itself holds every record it had.
        if let Some(legacy) = self.legacy_sidecar.take() {
            match legacy.retire(&path, &doc) {
                Ok(true) => {}
                Ok(false) => self.legacy_sidecar = Some(legacy),
                Err(e) => {
                    self.notify(
                        CourseNoticeKind::Warning,
                        format!(
                            "Saved {}; the old bedside file {} could not be removed: {e}",
                            path.display(),
                            legacy.path.display()
                        ),
                    );
                    self.legacy_sidecar = Some(legacy);
                }
            }
        }
        self.saved = self.doc.clone();
        self.file = Some(path.clone());
        self.clear_autosave();
        self.calls = None;
        self.requests.push(CourseRequest::Remember(path.clone()));
        Ok(path)
    }

    fn clear_autosave(&mut self) {
        if let Some(file) = &self.file {
            let auto = autosave_path(file);
            if RealFs.exists(&auto) {
                let _ = RealFs.remove(&auto);
            }
        }
        self.autosaved = None;
        self.recovery = None;
    }

    /// Write the autosave now when there are unsaved changes (needs a course file).
    pub fn autosave_now(&mut self) -> Result<bool, String> {
        if self.file.is_some() {
            self.commit_all_bedside();
        }
        let (Some(file), Some(doc)) = (&self.file, &self.doc) else {
            return Ok(false);
        };
        if !self.is_dirty() || self.autosaved.as_ref() == Some(doc) {
            return Ok(false);
        }
        autosave_course(&RealFs, file, doc)?;
        self.autosaved = Some(doc.clone());
        self.autosave_last = Some(Instant::now());
        Ok(true)
    }

    /// Once a frame: autosave every minute and on a page change while there are unsaved
    /// changes.
    pub fn tick(&mut self, ctx: &egui::Context, place: (View, Page)) {
        // Focus left a flowsheet row (or the flowsheet): record that row's edits.
        let focus = self.bedside_focus_now.take();
        if let Some((id, part)) = self.bedside_focus
            && focus != Some((id, part))
        {
            self.commit_bedside(id);
        }
        self.bedside_focus = focus;
        let moved = self.last_place.is_some_and(|p| p != place);
        self.last_place = Some(place);
        if !self.is_dirty() {
            self.autosave_last = None;
            return;
        }
        // The minute starts with the first unsaved change.
        let started = *self.autosave_last.get_or_insert_with(Instant::now);
        let due = started.elapsed() >= AUTOSAVE_EVERY;
        if (moved || due)
            && let Err(e) = self.autosave_now()
        {
            self.autosave_last = Some(Instant::now());
            if !self.autosave_error_shown {
                self.autosave_error_shown = true;
                self.notify(
                    CourseNoticeKind::Warning,
                    format!("The course could not be autosaved: {e}"),
                );
            }
        }
        ctx.request_repaint_after(AUTOSAVE_EVERY);
    }

    /// Read the courses on the recent-files list (and the open one) for the calls due.
    pub fn refresh_calls(&mut self, protocol: &Protocol, recent: &[String], today: NaiveDate) {
        let mut list = CallsList {
            from: recent.to_vec(),
            read_on: Some(today),
            ..CallsList::default()
        };
        for text in recent {
            let path = PathBuf::from(text);
            if !is_course_path(&path) {
                continue;
            }
            if self.file.as_deref() == Some(path.as_path()) {
                continue;
            }
            match open_course(&RealFs, protocol, &path) {
                Ok(doc) => list.courses.push((path, doc)),
                Err(e) => list.unreadable.push(e.to_string()),
            }
        }
        if let Some(doc) = &self.doc {
            list.courses
                .insert(0, (self.file.clone().unwrap_or_default(), doc.clone()));
        }
        let docs: Vec<&CourseDocument> = list.courses.iter().map(|(_, d)| d).collect();
        let due = follow_up_calls_due(protocol, &docs, today);
        list.calls = due
            .into_iter()
            .map(|c| {
                let path = list
                    .courses
                    .iter()
                    .find(|(_, d)| {
                        d.identity.mrn == c.mrn && d.identity.patient_name == c.patient_name
                    })
                    .map(|(p, _)| p.clone())
                    .unwrap_or_default();
                (path, c)
            })
            .collect();
        self.calls = Some(list);
    }

    /// Debug builds: `KETAPLAN_COURSE=path` opens a course, `KETAPLAN_COURSE_TAB=follow-on`
    /// a tab, `KETAPLAN_COURSE_SESSION=N` selects a session, `KETAPLAN_COURSE_SCROLL=charts|session`
    /// scrolls there. Returns whether a course was asked for.
    pub fn open_debug(&mut self, protocol: &Protocol) -> bool {
        if !cfg!(debug_assertions) {
            return false;
        }
        let Some(path) = std::env::var_os("KETAPLAN_COURSE") else {
            return false;
        };
        let path = PathBuf::from(path);
        if !self.open(protocol, &path) {
            eprintln!(
                "ketaplan: KETAPLAN_COURSE: {}",
                self.open_error.clone().unwrap_or_default()
            );
        }
        if let Some(tab) = std::env::var("KETAPLAN_COURSE_TAB")
            .ok()
            .and_then(|t| CourseTab::parse(&t))
        {
            self.tab = tab;
            self.follow_on_from_course = true;
        }
        if let Some(id) = std::env::var("KETAPLAN_COURSE_SESSION")
            .ok()
            .and_then(|s| s.trim().parse::<u32>().ok())
        {
            self.selected = Some(id);
        }
        self.scroll_to = std::env::var("KETAPLAN_COURSE_SCROLL").ok();
        true
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

pub fn is_course_path(path: &Path) -> bool {
    has_extension(path, COURSE_EXTENSION)
}

/// `name` → `name.ketaplan`; a path already ending in `.ketaplan` is kept.
pub fn course_save_path(path: &Path) -> PathBuf {
    if is_course_path(path) {
        return path.to_path_buf();
    }
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    if name.is_empty() {
        name.push("course");
    }
    name.push(".");
    name.push(COURSE_EXTENSION);
    path.with_file_name(name)
}

/// A file name offered for a new course: the patient's name and MRN.
pub fn suggested_course_name(doc: &CourseDocument) -> String {
    let name = file_name_slug(&format!(
        "{} {}",
        doc.identity.patient_name, doc.identity.mrn
    ));
    if name.is_empty() {
        format!("course.{COURSE_EXTENSION}")
    } else {
        format!("{name}.{COURSE_EXTENSION}")
    }
}

/// The old sidecar of a course: `FILE.ketaplan.flowsheet` (RON). Read once to move its
/// records into the sessions; never written.
pub fn flowsheet_path(course: &Path) -> PathBuf {
    sibling(course, "flowsheet")
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
struct FlowsheetFile {
    schema: String,
    sessions: BTreeMap<u32, Flowsheet>,
}

const FLOWSHEET_SCHEMA: &str = "ketaplan.flowsheet/1";

/// The sidecar's records: `Ok(None)` when there is no sidecar.
fn read_flowsheets(course: &Path) -> Result<Option<BTreeMap<u32, Flowsheet>>, String> {
    let path = flowsheet_path(course);
    if !RealFs.exists(&path) {
        return Ok(None);
    }
    let bytes = RealFs.read(&path).map_err(|e| e.to_string())?;
    let text = String::from_utf8(bytes).map_err(|e| e.to_string())?;
    let file = ron::from_str::<FlowsheetFile>(&text).map_err(|e| e.to_string())?;
    if file.schema != FLOWSHEET_SCHEMA {
        return Err(format!(
            "schema \"{}\" is not \"{FLOWSHEET_SCHEMA}\"",
            file.schema
        ));
    }
    Ok(Some(file.sessions))
}

/// A sidecar whose records were moved into the sessions.
#[derive(Debug, Clone)]
struct LegacySidecar {
    path: PathBuf,
    /// The course file it belongs to.
    course: PathBuf,
    /// Its non-empty records, by session id (checked against the saved course).
    records: BTreeMap<u32, BedsideRecord>,
    /// It could be read (an unreadable one is never removed).
    readable: bool,
}

impl LegacySidecar {
    /// Remove the sidecar when `saved` (just written to `saved_to`) holds every record it
    /// had. Returns whether it is gone.
    fn retire(&self, saved_to: &Path, saved: &CourseDocument) -> Result<bool, String> {
        if !self.readable || saved_to != self.course {
            return Ok(false);
        }
        let all_kept = self.records.iter().all(|(id, record)| {
            saved
                .sessions
                .iter()
                .any(|s| s.id == *id && s.bedside.as_ref() == Some(record))
        });
        if !all_kept {
            return Ok(false);
        }
        if RealFs.exists(&self.path) {
            RealFs.remove(&self.path).map_err(|e| e.to_string())?;
        }
        Ok(true)
    }
}

/// What moving a sidecar's records in did.
struct Migration {
    sidecar: LegacySidecar,
    moved: usize,
    /// Session ids whose sidecar record could not be moved (no such session, or the
    /// course already holds a different record).
    kept: Vec<u32>,
    unreadable: Option<String>,
}

impl Migration {
    fn message(&self) -> String {
        let name = self.sidecar.path.display();
        if let Some(e) = &self.unreadable {
            return format!(
                "The old bedside file {name} could not be read ({e}); it is kept as it is."
            );
        }
        let mut text = String::new();
        if self.moved > 0 {
            text.push_str(&format!(
                "The bedside records of {} session(s) were moved from {name} into the course: save the course to keep them there (the old file is removed after that save).",
                self.moved
            ));
        }
        if !self.kept.is_empty() {
            let ids: Vec<String> = self.kept.iter().map(u32::to_string).collect();
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(&format!(
                "{name} also holds records for session(s) {} that the course has no place for or records differently; it is kept.",
                ids.join(", ")
            ));
        }
        text
    }
}

/// Move an old sidecar's records into the sessions that have none (audited). `None` when
/// there is no sidecar or it holds nothing.
fn migrate_sidecar(
    doc: &mut CourseDocument,
    course: &Path,
    now: NaiveDateTime,
) -> Option<Migration> {
    let path = flowsheet_path(course);
    let mut sidecar = LegacySidecar {
        path: path.clone(),
        course: course.to_path_buf(),
        records: BTreeMap::new(),
        readable: true,
    };
    let sheets = match read_flowsheets(course) {
        Ok(None) => return None,
        Ok(Some(sheets)) => sheets,
        Err(e) => {
            // Never removed: what it holds cannot be checked against the course.
            sidecar.readable = false;
            return Some(Migration {
                sidecar,
                moved: 0,
                kept: Vec::new(),
                unreadable: Some(e),
            });
        }
    };
    let mut moved = 0;
    let mut kept = Vec::new();
    for (id, sheet) in sheets.iter().filter(|(_, f)| !f.is_empty()) {
        let record = sheet.to_bedside();
        sidecar.records.insert(*id, record.clone());
        match doc.sessions.iter().find(|s| s.id == *id) {
            Some(s) if s.bedside.is_none() => {
                let mut updated = s.clone();
                updated.bedside = Some(record);
                doc.update_session(updated, now);
                moved += 1;
            }
            Some(s) if s.bedside.as_ref() == Some(&record) => {}
            _ => kept.push(*id),
        }
    }
    Some(Migration {
        sidecar,
        moved,
        kept,
        unreadable: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
