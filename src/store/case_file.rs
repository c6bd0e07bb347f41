//! Case files: `*.case.ron` (the contract's RON form, what the app saves) and
//! `*.case.json` (opened too). Saved atomically, owner-only, keeping a backup.

use crate::domain::Protocol;
use crate::domain::case::{Case, CaseFormat, FieldError, case_to_ron, parse_value};
use crate::store::fs::{FileSystem, save_atomic};
use serde_json::Value;
use std::path::Path;

/// Read a case file to its generic value. The app validates it (every error, with paths)
/// before anything in the current state changes.
pub fn read_case_value(fs: &dyn FileSystem, path: &Path) -> Result<Value, Vec<FieldError>> {
    let bytes = fs.read(path).map_err(|e| {
        vec![FieldError {
            field: String::new(),
            message: format!("cannot read {}: {e}", path.display()),
        }]
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        vec![FieldError {
            field: String::new(),
            message: format!(
                "{} is not UTF-8 text (invalid byte at offset {})",
                path.display(),
                e.utf8_error().valid_up_to()
            ),
        }]
    })?;
    parse_value(&text, CaseFormat::from_path(path)).map_err(|e| vec![e])
}

/// Open and validate a case file.
pub fn open_case(
    fs: &dyn FileSystem,
    protocol: &Protocol,
    path: &Path,
) -> Result<Case, Vec<FieldError>> {
    let value = read_case_value(fs, path)?;
    crate::domain::case::case_from_value(protocol, &value)
}

/// Save a case in the contract's RON form (`ketaplan plan` reads it back).
pub fn save_case(fs: &dyn FileSystem, path: &Path, case: &Case) -> Result<(), String> {
    let text = case_to_ron(case)?;
    save_atomic(fs, path, text.as_bytes(), true).map_err(|e| {
        format!(
            "{}: could not save: {e}; the previous file is unchanged",
            path.display()
        )
    })
}

/// Save a generic case document (a draft that is not yet valid) in RON, so a half-typed
/// case is never lost; the previous version is kept as `.bak`, as for a valid case.
/// Objects become RON maps with quoted keys.
pub fn save_draft_value(fs: &dyn FileSystem, path: &Path, value: &Value) -> Result<(), String> {
    let text = ron::ser::to_string_pretty(value, ron::ser::PrettyConfig::new())
        .map_err(|e| e.to_string())?;
    save_atomic(fs, path, text.as_bytes(), true).map_err(|e| {
        format!(
            "{}: could not save: {e}; the previous file is unchanged",
            path.display()
        )
    })
}

/// The most recently used files, newest first, without duplicates.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct RecentFiles {
    pub paths: Vec<String>,
}

impl RecentFiles {
    pub const MAX: usize = 10;

    pub fn push(&mut self, path: &Path) {
        let text = path.display().to_string();
        self.paths.retain(|p| p != &text);
        self.paths.insert(0, text);
        self.paths.truncate(Self::MAX);
    }

    pub fn remove(&mut self, path: &Path) {
        let text = path.display().to_string();
        self.paths.retain(|p| p != &text);
    }
}
