//! The treatment course the app has open: the document, its file, what was last saved,
//! autosave, the bedside flowsheets (kept in each session's `bedside`, so saves, backups
//! and the autosave cover them; an old `FILE.ketaplan.flowsheet` sidecar is moved in once)
//! and the entries the Course page edits.
//!
//! Everything clinical comes from the engine (`summarize`, `follow_up_calls_due`,
//! `next_visit_case`, `follow_on`, the plan). The one piece of arithmetic here is the
//! bedside record's "what was given" (rate × time, in `widgets::flowsheet`).
//!
//! This module holds the in-memory state; its children add to it by idea: `files` (open,
//! save, autosave through the store), `bedside` (the flowsheet editor), `follow_up`,
//! `visits` (sessions from the Case pages), `lft`, `prompt` and the old `sidecar`.

use crate::domain::Protocol;
use crate::domain::case::{Case, FieldError, case_from_value};
use crate::domain::course::{BedsideRecord, CallDue, CourseDocument, Session, next_visit_case};
use crate::domain::findings::Proceed;
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

mod bedside;
mod clinic;
mod files;
mod follow_up;
mod lft;
mod prompt;
mod sidecar;
mod visits;

pub use clinic::ClinicRecord;
pub use files::{course_save_path, is_course_path, suggested_course_name};
pub use follow_up::FollowUpDraft;
pub use lft::{LFT_FIELDS, LftDraft};
pub use prompt::CoursePrompt;
use sidecar::LegacySidecar;
pub use sidecar::flowsheet_path;
pub use visits::next_visit_draft;

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
    /// Ask where, then export the course as a FHIR R4 Bundle (JSON) for the EHR.
    ExportFhir,
    /// Save the course (opened from the clinic database) back to it.
    SaveToClinic,
    /// Read the stored course again after a conflict, keeping the unsaved edits.
    ReloadFromClinic,
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
    /// The signed-in user, named in every change this workstation records (set by the app).
    pub acting_user: Option<String>,
    pub doc: Option<CourseDocument>,
    pub file: Option<PathBuf>,
    /// Opened from the clinic database (then saved back to it, not to a file).
    pub record: Option<ClinicRecord>,
    /// The course as sent to the clinic database, until it answers.
    clinic_saving: Option<CourseDocument>,
    /// The last save was refused because someone else saved first: who and when.
    pub clinic_conflict: Option<String>,
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
    /// Now: the test clock, else the clinic's wall clock for a course from the clinic
    /// database, else this computer's.
    pub fn now(&self) -> NaiveDateTime {
        if let Some(fixed) = self.fixed_now {
            return fixed;
        }
        match self.record.as_ref().and_then(|r| r.time_zone.as_deref()) {
            Some(zone) => crate::store::db::now_in(Some(zone)),
            None => SystemClock.now(),
        }
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

    pub fn has_modal(&self) -> bool {
        self.prompt.is_some() || self.confirm_next_visit
    }

    pub fn session(&self, id: u32) -> Option<&Session> {
        self.doc.as_ref()?.sessions.iter().find(|s| s.id == id)
    }
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
}
