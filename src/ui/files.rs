//! Files around the wizard: save paths and names, the restore file (the case in progress,
//! for a crash), the recent-files list and which open errors refuse a file. The dialogs are
//! in `file_dialog`.
//!
//! Everything that holds patient data goes through the store (temporary file, fsync,
//! rename; owner-only). eframe's own storage file is not owner-only, so none of it goes there.

use crate::domain::case::FieldError;
use crate::store::case_file::RecentFiles;
use crate::store::{AppDocument, Store};
use crate::ui::actions::Page;
use crate::ui::draft::CaseDraft;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

pub(crate) use crate::ui::file_dialog::block_on;
pub use crate::ui::file_dialog::{
    DialogKind, DialogPoll, DialogThread, NO_DIALOG_WITHIN, NativeDialog, PathPrompt,
};

/// Expand a leading `~/` (people type it; the file system does not know it).
pub fn expand_home(text: &str) -> PathBuf {
    let text = text.trim();
    if let Some(rest) = text.strip_prefix("~/")
        && let Some(home) = std::env::var_os("HOME")
    {
        return PathBuf::from(home).join(rest);
    }
    PathBuf::from(text)
}

/// True when `path` ends in `.ext` (any case).
pub fn has_extension(path: &Path, ext: &str) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

/// Letters and digits of `text`, lower-cased, the rest as `-` (no `-` at the ends): a file
/// name without spaces or separators.
pub fn file_name_slug(text: &str) -> String {
    let name: String = text
        .trim()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    name.trim_matches('-').to_string()
}

/// Cases are saved in the contract's RON form: a path that does not end in `.ron` gets
/// `.case.ron` (a `.json` name would hold RON text and be misread later).
pub fn case_save_path(path: &Path) -> PathBuf {
    if has_extension(path, "ron") {
        return path.to_path_buf();
    }
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    if has_extension(path, "json") {
        // `x.case.json` → `x.case.ron`, `x.json` → `x.case.ron`.
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        let stem = stem.strip_suffix(".case").unwrap_or(&stem).to_string();
        return path.with_file_name(format!("{stem}.case.ron"));
    }
    if name.is_empty() {
        name.push("case");
    }
    name.push(".case.ron");
    path.with_file_name(name)
}

/// A file name offered for a new case: the patient's name, else "case".
pub fn suggested_file_name(draft: &CaseDraft) -> String {
    let name = file_name_slug(&draft.patient_name);
    if name.is_empty() {
        "case.case.ron".to_string()
    } else {
        format!("{name}.case.ron")
    }
}

/// The case in progress, written to the data folder so a crash or restart loses nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RestoreDoc {
    /// The file the case came from or was last saved to.
    pub path: Option<String>,
    pub page: Page,
    pub draft: CaseDraft,
    /// When it was written (local time, for the "restored" notice).
    pub written_at: String,
}

impl Default for RestoreDoc {
    fn default() -> Self {
        Self {
            path: None,
            page: Page::Patient,
            draft: CaseDraft::default(),
            written_at: String::new(),
        }
    }
}

/// Where a first save or export is suggested: the user's documents folder
/// (`XDG_DOCUMENTS_DIR`, else `~/Documents` when it exists, else the home folder).
pub fn documents_folder() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("XDG_DOCUMENTS_DIR").map(PathBuf::from)
        && dir.is_dir()
    {
        return Some(dir);
    }
    let home = std::env::var_os("HOME").map(PathBuf::from)?;
    let documents = home.join("Documents");
    Some(if documents.is_dir() { documents } else { home })
}

/// Keep the case in progress (restore file) through the store.
pub fn write_restore(store: &dyn Store, doc: &RestoreDoc) -> Result<(), String> {
    let text = ron::ser::to_string_pretty(doc, ron::ser::PrettyConfig::new())
        .map_err(|e| e.to_string())?;
    store
        .write_app_document(AppDocument::Restore, &text)
        .map_err(|e| e.to_string())
}

/// The restore file, if there is one that can be read.
pub fn read_restore(store: &dyn Store) -> Option<RestoreDoc> {
    ron::from_str(&store.read_app_document(AppDocument::Restore)?).ok()
}

pub fn remove_restore(store: &dyn Store) {
    store.remove_app_document(AppDocument::Restore);
}

pub fn read_recent(store: &dyn Store) -> RecentFiles {
    store
        .read_app_document(AppDocument::Recent)
        .and_then(|t| ron::from_str(&t).ok())
        .unwrap_or_default()
}

/// File names can name patients, so the list is owner-only like the cases.
pub fn write_recent(store: &dyn Store, recent: &RecentFiles) -> Result<(), String> {
    let text = ron::ser::to_string_pretty(recent, ron::ser::PrettyConfig::new())
        .map_err(|e| e.to_string())?;
    store
        .write_app_document(AppDocument::Recent, &text)
        .map_err(|e| e.to_string())
}

/// Errors that mean the file is not a case the wizard can hold without losing part of it:
/// unreadable, not a case document, or fields the wizard would drop. Other errors (a
/// missing or out-of-range value) open as a draft and show beside their fields.
pub fn refuses_to_open(errors: &[FieldError]) -> bool {
    errors.iter().any(|e| {
        e.field.is_empty()
            || e.field == "schema"
            || e.message.starts_with("unknown field")
            || e.message.starts_with("unknown screening code")
            || e.message.contains(" must be an object")
            || wizard_cannot_hold(e)
    })
}

/// The wizard holds these fields as a fixed choice: a value it cannot hold (a unit such
/// as "mg/kg/min", a misspelt setting) or a missing unit would be replaced by its default,
/// silently changing the dose. Such a file is refused with its errors instead.
fn wizard_cannot_hold(e: &FieldError) -> bool {
    const CHOICES: &[&str] = &[
        "patient.weight.unit",
        "patient.sex",
        "regimen.dosing_weight",
        "regimen.bolus.unit",
        "regimen.infusion.unit",
        "regimen.max_infusion.unit",
        "regimen.setting",
        "regimen.course",
    ];
    // A missing setting or course stays missing in the wizard (asked on the Regimen page).
    let may_be_missing = matches!(e.field.as_str(), "regimen.setting" | "regimen.course");
    let choice =
        CHOICES.contains(&e.field.as_str()) && !(may_be_missing && e.message == "is required");
    // Attestations are ticked or not: anything else would be lost.
    let flag =
        e.field.starts_with("order.attest.") && e.message.starts_with("must be true or false");
    choice || flag
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn save_paths_end_in_case_ron() {
        assert_eq!(
            case_save_path(Path::new("/t/a.case.ron")),
            Path::new("/t/a.case.ron")
        );
        assert_eq!(
            case_save_path(Path::new("/t/a")),
            Path::new("/t/a.case.ron")
        );
        assert_eq!(
            case_save_path(Path::new("/t/a.case.json")),
            Path::new("/t/a.case.ron")
        );
        assert_eq!(
            case_save_path(Path::new("/t/a.json")),
            Path::new("/t/a.case.ron")
        );
    }
}
