//! A course's files: new, open, recover, save, autosave, the calls list read from the recent files, and course paths.

use super::sidecar::migrate_sidecar;
use super::{
    AUTOSAVE_EVERY, COURSE_EXTENSION, CallsList, CourseNoticeKind, CourseRequest, CourseState,
    CourseTab,
};

use crate::domain::Protocol;
use crate::domain::course::{CourseDocument, follow_up_calls_due};
use crate::ui::actions::{Page, View};
use crate::ui::files::{file_name_slug, has_extension};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use std::time::Instant;

impl CourseState {
    /// Start a new, empty course (the first session names the patient).
    pub fn new_course(&mut self) {
        *self = CourseState {
            tab: self.tab,
            requests: std::mem::take(&mut self.requests),
            fixed_now: self.fixed_now,
            store: self.store.clone(),
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
        match self.store.open_course(protocol, path) {
            Ok(file_doc) => {
                let recovery = self.store.autosave_of(path).filter(|auto| {
                    self.store
                        .open_course(protocol, auto)
                        .is_ok_and(|a| a != file_doc)
                });
                let mut doc = file_doc.clone();
                let migration = migrate_sidecar(
                    &*self.store,
                    &mut doc,
                    path,
                    self.now(),
                    self.acting_user.as_deref(),
                );
                *self = CourseState {
                    tab: self.tab,
                    requests: std::mem::take(&mut self.requests),
                    fixed_now: self.fixed_now,
                    calls: self.calls.take(),
                    search: std::mem::take(&mut self.search),
                    store: self.store.clone(),
                    ..CourseState::default()
                };
                self.selected = doc.sessions.last().map(|s| s.id);
                // What is on disk: records moved in from a sidecar are an unsaved change.
                self.saved = Some(file_doc);
                self.doc = Some(doc);
                self.file = Some(path.to_path_buf());
                self.recovery = recovery;
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
        match self.store.open_course(protocol, &path) {
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
        if let Err(e) = self.store.save_course(&path, &doc) {
            self.notify(CourseNoticeKind::Error, e.to_string());
            return Err(e.to_string());
        }
        self.notify(CourseNoticeKind::Done, format!("Saved {}.", path.display()));
        // An old sidecar goes once the course file itself holds every record it had.
        if let Some(legacy) = self.legacy_sidecar.take() {
            match legacy.retire(&*self.store, &path, &doc) {
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
            self.store.remove_autosave(file);
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
        self.store
            .autosave_course(file, doc)
            .map_err(|e| e.to_string())?;
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
            match self.store.open_course(protocol, &path) {
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
