//! The `Store` kept in files: case and course files where the user chose, the ledger and
//! the app's own documents in its data folder — every write atomic and owner-only.

use crate::domain::case::{Case, FieldError};
use crate::domain::course::CourseDocument;
use crate::domain::order_identity::OrderLedger;
use crate::domain::protocol::Protocol;
use crate::store::case_file::{read_case_value, save_case, save_draft_value};
use crate::store::course_store::{autosave_course, autosave_path, open_course, save_course};
use crate::store::fs::{FileSystem, RealFs, ensure_private_dir, save_atomic, sibling};
use crate::store::ledger::{LEDGER_FILE, read_ledger_file, write_ledger_file};
use crate::store::records::{AppDocument, OpenError, Store, StoreError};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The restore file and the recent-files list, in the data folder.
pub const RESTORE_FILE: &str = "restore.ron";
pub const RECENT_FILE: &str = "recent.ron";

/// Files on this computer; `data_dir` is the app's folder (none: nothing of the app's
/// own is kept, and saying so is the caller's business).
#[derive(Debug, Clone, Default)]
pub struct FileStore {
    data_dir: Option<PathBuf>,
    /// Where the order ledger is when not in the data folder (the CLI's `--ledger`).
    ledger_file: Option<PathBuf>,
}

impl FileStore {
    pub fn new(data_dir: Option<PathBuf>) -> Self {
        Self {
            data_dir,
            ledger_file: None,
        }
    }

    /// The same store with the ledger kept at `path`.
    pub fn with_ledger_file(mut self, path: PathBuf) -> Self {
        self.ledger_file = Some(path);
        self
    }

    pub fn data_dir(&self) -> Option<&Path> {
        self.data_dir.as_deref()
    }

    fn ledger_path(&self) -> Option<PathBuf> {
        self.ledger_file
            .clone()
            .or_else(|| self.data_dir.as_ref().map(|d| d.join(LEDGER_FILE)))
    }

    fn app_path(&self, doc: AppDocument) -> Option<PathBuf> {
        let name = match doc {
            AppDocument::Restore => RESTORE_FILE,
            AppDocument::Recent => RECENT_FILE,
        };
        self.data_dir.as_ref().map(|d| d.join(name))
    }
}

/// The app's data folder on this computer (the restore file, recent files, the ledger).
pub fn default_data_dir() -> Option<PathBuf> {
    eframe::storage_dir("ketaplan")
}

/// A file as UTF-8 text (a case, course or pack the command line was given), with a
/// message naming the file.
pub fn read_text(path: &Path) -> Result<String, StoreError> {
    let bytes = std::fs::read(path)
        .map_err(|e| StoreError::Unreadable(format!("cannot read {}: {e}", path.display())))?;
    String::from_utf8(bytes).map_err(|e| {
        StoreError::Unreadable(format!(
            "{} is not UTF-8 text (invalid byte at offset {})",
            path.display(),
            e.utf8_error().valid_up_to()
        ))
    })
}

fn no_data_folder() -> StoreError {
    StoreError::NotSaved("there is no data folder for the app on this computer".into())
}

impl Store for FileStore {
    fn read_case(&self, at: &Path) -> Result<Value, Vec<FieldError>> {
        read_case_value(&RealFs, at)
    }

    fn save_case(&self, at: &Path, case: &Case) -> Result<(), StoreError> {
        save_case(&RealFs, at, case).map_err(StoreError::NotSaved)
    }

    fn save_draft(&self, at: &Path, value: &Value) -> Result<(), StoreError> {
        save_draft_value(&RealFs, at, value).map_err(StoreError::NotSaved)
    }

    fn open_course(&self, protocol: &Protocol, at: &Path) -> Result<CourseDocument, OpenError> {
        open_course(&RealFs, protocol, at)
    }

    fn save_course(&self, at: &Path, doc: &CourseDocument) -> Result<(), StoreError> {
        save_course(&RealFs, at, doc).map_err(StoreError::NotSaved)
    }

    fn autosave_course(&self, at: &Path, doc: &CourseDocument) -> Result<(), StoreError> {
        autosave_course(&RealFs, at, doc).map_err(StoreError::NotSaved)
    }

    fn autosave_of(&self, at: &Path) -> Option<PathBuf> {
        let auto = autosave_path(at);
        RealFs.exists(&auto).then_some(auto)
    }

    fn remove_autosave(&self, at: &Path) {
        let auto = autosave_path(at);
        if RealFs.exists(&auto) {
            let _ = RealFs.remove(&auto);
        }
    }

    fn read_ledger(&self) -> Result<OrderLedger, StoreError> {
        match self.ledger_path() {
            Some(path) => read_ledger_file(&path).map_err(StoreError::Unreadable),
            None => Ok(OrderLedger::default()),
        }
    }

    fn write_ledger(&self, ledger: &OrderLedger, keep_old: bool) -> Result<(), StoreError> {
        let path = self.ledger_path().ok_or_else(no_data_folder)?;
        write_ledger_file(&path, ledger, keep_old).map_err(StoreError::NotSaved)
    }

    fn read_app_document(&self, doc: AppDocument) -> Option<String> {
        let bytes = RealFs.read(&self.app_path(doc)?).ok()?;
        String::from_utf8(bytes).ok()
    }

    fn write_app_document(&self, doc: AppDocument, text: &str) -> Result<(), StoreError> {
        let dir = self.data_dir.as_ref().ok_or_else(no_data_folder)?;
        ensure_private_dir(dir)
            .map_err(|e| StoreError::NotSaved(format!("{}: {e}", dir.display())))?;
        let path = self.app_path(doc).ok_or_else(no_data_folder)?;
        save_atomic(&RealFs, &path, text.as_bytes(), false)
            .map_err(|e| StoreError::NotSaved(format!("{}: {e}", path.display())))
    }

    fn remove_app_document(&self, doc: AppDocument) {
        if let Some(path) = self.app_path(doc)
            && RealFs.exists(&path)
        {
            let _ = RealFs.remove(&path);
        }
    }

    fn write_export(&self, at: &Path, bytes: &[u8]) -> Result<(), StoreError> {
        // The reason alone: the caller names the file in its own sentence.
        crate::store::write_atomic(at, bytes).map_err(|e| StoreError::NotSaved(e.to_string()))
    }

    fn remove_export(&self, at: &Path) {
        let _ = std::fs::remove_file(at);
    }

    fn read_pack(&self, at: &Path) -> Result<Vec<u8>, StoreError> {
        std::fs::read(at)
            .map_err(|e| StoreError::Unreadable(format!("cannot read {}: {e}", at.display())))
    }

    fn read_pack_signature(&self, pack: &Path) -> Result<String, StoreError> {
        crate::store::protocol_pack::read_signature(pack)
    }

    fn read_public_key(&self, at: &Path) -> Result<String, StoreError> {
        read_text(at)
    }

    fn read_legacy_flowsheet(&self, course: &Path) -> Result<Option<String>, StoreError> {
        let path = sibling(course, "flowsheet");
        if !RealFs.exists(&path) {
            return Ok(None);
        }
        let bytes = RealFs
            .read(&path)
            .map_err(|e| StoreError::Unreadable(e.to_string()))?;
        String::from_utf8(bytes)
            .map(Some)
            .map_err(|e| StoreError::Unreadable(e.to_string()))
    }

    fn remove_legacy_flowsheet(&self, course: &Path) -> Result<(), StoreError> {
        let path = sibling(course, "flowsheet");
        if RealFs.exists(&path) {
            RealFs
                .remove(&path)
                .map_err(|e| StoreError::NotSaved(e.to_string()))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_documents_round_trip_owner_only_and_need_a_data_folder() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let store = FileStore::new(Some(dir.path().join("data")));
        assert_eq!(store.read_app_document(AppDocument::Restore), None);
        assert!(
            store
                .write_app_document(AppDocument::Restore, "(page: Patient)")
                .is_ok()
        );
        assert_eq!(
            store.read_app_document(AppDocument::Restore).as_deref(),
            Some("(page: Patient)")
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| {
                std::fs::metadata(p)
                    .map(|m| m.permissions().mode() & 0o777)
                    .unwrap_or(0)
            };
            assert_eq!(mode(&dir.path().join("data")), 0o700);
            assert_eq!(mode(&dir.path().join("data/restore.ron")), 0o600);
        }
        store.remove_app_document(AppDocument::Restore);
        assert_eq!(store.read_app_document(AppDocument::Restore), None);
        let none = FileStore::new(None);
        assert!(matches!(
            none.write_app_document(AppDocument::Recent, "x"),
            Err(StoreError::NotSaved(_))
        ));
        assert!(
            none.read_ledger()
                .is_ok_and(|l| l == OrderLedger::default())
        );
    }
}
