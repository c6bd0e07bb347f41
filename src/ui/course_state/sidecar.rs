//! The old `FILE.ketaplan.flowsheet` sidecar: read once, its records moved into the sessions, removed after a save that keeps them.

use crate::domain::course::{BedsideRecord, CourseDocument};
use crate::store::Store;
use crate::store::fs::sibling;
use crate::ui::widgets::flowsheet::Flowsheet;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

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
fn read_flowsheets(
    store: &dyn Store,
    course: &Path,
) -> Result<Option<BTreeMap<u32, Flowsheet>>, String> {
    let Some(text) = store
        .read_legacy_flowsheet(course)
        .map_err(|e| e.to_string())?
    else {
        return Ok(None);
    };
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
pub(super) struct LegacySidecar {
    pub(super) path: PathBuf,
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
    pub(super) fn retire(
        &self,
        store: &dyn Store,
        saved_to: &Path,
        saved: &CourseDocument,
    ) -> Result<bool, String> {
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
        store
            .remove_legacy_flowsheet(&self.course)
            .map_err(|e| e.to_string())?;
        Ok(true)
    }
}

/// What moving a sidecar's records in did.
pub(super) struct Migration {
    pub(super) sidecar: LegacySidecar,
    moved: usize,
    /// Session ids whose sidecar record could not be moved (no such session, or the
    /// course already holds a different record).
    kept: Vec<u32>,
    unreadable: Option<String>,
}

impl Migration {
    pub(super) fn message(&self) -> String {
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
pub(super) fn migrate_sidecar(
    store: &dyn Store,
    doc: &mut CourseDocument,
    course: &Path,
    now: NaiveDateTime,
    by: Option<&str>,
) -> Option<Migration> {
    let path = flowsheet_path(course);
    let mut sidecar = LegacySidecar {
        path: path.clone(),
        course: course.to_path_buf(),
        records: BTreeMap::new(),
        readable: true,
    };
    let sheets = match read_flowsheets(store, course) {
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
                doc.update_session(updated, now, by);
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
