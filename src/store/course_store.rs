//! Opening and saving course files (`*.ketaplan`) so that nothing saved is ever lost:
//! a file that fails to open is reported and never overwritten; every save is atomic and
//! keeps the previous version as a backup; an autosave file allows recovery after a crash.

use crate::domain::case::case_from_value;
use crate::domain::course::{CourseDocument, course_to_ron, parse_course, validate_course_values};
use crate::domain::protocol::Protocol;
use crate::store::fs::{FileSystem, save_atomic, sibling};
use std::path::{Path, PathBuf};

/// Why a course file could not be opened: the file, line:column when known, what is wrong.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct OpenError {
    pub path: String,
    pub message: String,
}

/// Open and validate a course file. Every session's case is validated by the same rules
/// as a case file; the first errors are reported with their session.
pub fn open_course(
    fs: &dyn FileSystem,
    protocol: &Protocol,
    path: &Path,
) -> Result<CourseDocument, OpenError> {
    let error = |message: String| OpenError {
        path: path.display().to_string(),
        message,
    };
    let bytes = fs
        .read(path)
        .map_err(|e| error(format!("cannot read the file: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        error(format!(
            "not UTF-8 text (invalid byte at offset {}); the file was not changed",
            e.utf8_error().valid_up_to()
        ))
    })?;
    let doc = parse_course(&text).map_err(error)?;
    for (i, session) in doc.sessions.iter().enumerate() {
        let value = serde_json::to_value(&session.case)
            .map_err(|e| error(format!("sessions[{i}].case: {e}")))?;
        if let Err(errors) = case_from_value(protocol, &value) {
            let list: Vec<String> = errors
                .iter()
                .map(|e| format!("sessions[{i}].case.{}: {}", e.field, e.message))
                .collect();
            return Err(error(list.join("; ")));
        }
    }
    let errors = validate_course_values(protocol, &doc);
    if !errors.is_empty() {
        return Err(error(format!(
            "{}; the file was not changed",
            errors.join("; ")
        )));
    }
    Ok(doc)
}

/// Save atomically, keeping the previous version as `FILE.bak`.
pub fn save_course(fs: &dyn FileSystem, path: &Path, doc: &CourseDocument) -> Result<(), String> {
    let text = course_to_ron(doc)?;
    save_atomic(fs, path, text.as_bytes(), true).map_err(|e| {
        format!(
            "{}: could not save: {e}; the previous file is unchanged",
            path.display()
        )
    })
}

/// Where the autosave for a course file lives.
pub fn autosave_path(path: &Path) -> PathBuf {
    sibling(path, "autosave")
}

/// Write the recovery file (atomically, no backup).
pub fn autosave_course(
    fs: &dyn FileSystem,
    path: &Path,
    doc: &CourseDocument,
) -> Result<(), String> {
    let text = course_to_ron(doc)?;
    save_atomic(fs, &autosave_path(path), text.as_bytes(), false).map_err(|e| e.to_string())
}
