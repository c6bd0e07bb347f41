//! A course opened from the clinic database: it remembers the row version it was read at,
//! saves back through the app's clinic desk, and after a conflict reloads the stored course
//! with this workstation's unsaved edits carried onto it.

use super::{CourseNoticeKind, CourseRequest, CourseState};
use crate::domain::course::{CourseDocument, reapply_edits};
use crate::store::db::RecordVersion;

/// Where a course from the clinic database came from: its MRN and the version read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClinicRecord {
    pub mrn: String,
    pub version: RecordVersion,
    /// The clinic's IANA zone: new sessions are dated by its wall clock.
    pub time_zone: Option<String>,
}

impl CourseState {
    /// Show a course read from the clinic database (replaces what is open).
    pub fn open_record(
        &mut self,
        doc: CourseDocument,
        version: RecordVersion,
        time_zone: Option<String>,
    ) {
        *self = CourseState {
            tab: self.tab,
            requests: std::mem::take(&mut self.requests),
            fixed_now: self.fixed_now,
            store: self.store.clone(),
            ..CourseState::default()
        };
        self.selected = doc.sessions.last().map(|s| s.id);
        self.notify(
            CourseNoticeKind::Done,
            format!(
                "Opened {} (MRN {}) from the clinic database.",
                doc.identity.patient_name, doc.identity.mrn
            ),
        );
        self.record = Some(ClinicRecord {
            mrn: doc.identity.mrn.clone(),
            version,
            time_zone,
        });
        self.saved = Some(doc.clone());
        self.doc = Some(doc);
    }

    /// Ask the app to save this course to the clinic database.
    pub fn request_clinic_save(&mut self) {
        self.commit_all_bedside();
        if let Some(doc) = self.doc.clone() {
            self.clinic_saving = Some(doc);
            self.requests.push(CourseRequest::SaveToClinic);
        }
    }

    /// The database took the save at `version`.
    pub fn clinic_saved(&mut self, version: RecordVersion) {
        let Some(sent) = self.clinic_saving.take() else {
            return;
        };
        let time_zone = self.record.as_ref().and_then(|r| r.time_zone.clone());
        self.record = Some(ClinicRecord {
            mrn: sent.identity.mrn.clone(),
            version,
            time_zone,
        });
        self.saved = Some(sent);
        self.clinic_conflict = None;
        self.notify(CourseNoticeKind::Done, "Saved to the clinic database.");
    }

    /// The save was refused; a conflict offers to reload keeping the edits.
    pub fn clinic_save_failed(&mut self, message: String, conflict: bool) {
        self.clinic_saving = None;
        if conflict {
            // Shown once, above the file bar, with the reload button.
            self.clinic_conflict = Some(message);
            self.notice = None;
        } else {
            self.notify(CourseNoticeKind::Error, message);
        }
    }

    /// The stored course, read again after a conflict: this workstation's edits since it
    /// opened the course are carried onto it; sessions changed on both keep the stored
    /// version and are named.
    pub fn reload_keeping_edits(&mut self, theirs: CourseDocument, version: RecordVersion) {
        let (Some(base), Some(mine)) = (self.saved.clone(), self.doc.clone()) else {
            let time_zone = self.record.as_ref().and_then(|r| r.time_zone.clone());
            self.open_record(theirs, version, time_zone);
            return;
        };
        let out = reapply_edits(&base, &mine, &theirs);
        let time_zone = self.record.as_ref().and_then(|r| r.time_zone.clone());
        self.record = Some(ClinicRecord {
            mrn: theirs.identity.mrn.clone(),
            version,
            time_zone,
        });
        self.saved = Some(theirs);
        self.doc = Some(out.doc);
        self.flowsheets.clear();
        self.clinic_conflict = None;
        let list = |ids: &[u32]| {
            ids.iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        };
        if out.added.is_empty() && out.kept.is_empty() && out.both_changed.is_empty() {
            self.notify(
                CourseNoticeKind::Done,
                "Reloaded the stored course (you had no unsaved changes to carry over).",
            );
        } else if out.both_changed.is_empty() {
            self.notify(
                CourseNoticeKind::Warning,
                "Reloaded the stored course with your unsaved changes on it: check and save again.",
            );
        } else {
            self.notify(
                CourseNoticeKind::Warning,
                format!(
                    "Reloaded the stored course. Session {} was changed on another workstation too: \
                     its stored version is shown, enter your change again. Your other changes are kept; save again.",
                    list(&out.both_changed)
                ),
            );
        }
    }
}
