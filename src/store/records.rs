//! The one interface the app and the command line keep their records through — cases,
//! courses, the order ledger, the app's own documents, exports and protocol packs — so a
//! second implementation (the clinic database) slots in without touching `ui/` or `cli`.

use crate::domain::case::{Case, FieldError};
use crate::domain::course::CourseDocument;
use crate::domain::order_identity::OrderLedger;
use crate::domain::protocol::Protocol;
use serde_json::Value;
use std::path::{Path, PathBuf};

pub use crate::store::course_store::OpenError;

/// Why a record could not be read or kept, in words the app shows as they are.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// It exists but cannot be read (permissions, not text, not the expected document).
    #[error("{0}")]
    Unreadable(String),
    /// Writing failed; whatever was there before is unchanged.
    #[error("{0}")]
    NotSaved(String),
}

/// The app's own documents, kept in its data folder (owner-only: they can name patients).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppDocument {
    /// The case being edited, for a crash or a restart.
    Restore,
    /// The recently used files.
    Recent,
}

/// Where the app and the CLI keep what they read and write.
pub trait Store: Send + Sync {
    /// A case file as its generic value (validated by the caller, every error with its field).
    fn read_case(&self, at: &Path) -> Result<Value, Vec<FieldError>>;
    /// Save a valid case in the contract's RON form, keeping the previous version.
    fn save_case(&self, at: &Path, case: &Case) -> Result<(), StoreError>;
    /// Save a case document that is not yet valid, keeping the previous version.
    fn save_draft(&self, at: &Path, value: &Value) -> Result<(), StoreError>;

    /// Open and validate a course; a course that fails to open is never overwritten.
    fn open_course(&self, protocol: &Protocol, at: &Path) -> Result<CourseDocument, OpenError>;
    fn save_course(&self, at: &Path, doc: &CourseDocument) -> Result<(), StoreError>;
    /// The recovery copy of a course being edited.
    fn autosave_course(&self, at: &Path, doc: &CourseDocument) -> Result<(), StoreError>;
    /// Where a course's recovery copy is (opened like a course), if there is one.
    fn autosave_of(&self, at: &Path) -> Option<PathBuf>;
    fn remove_autosave(&self, at: &Path);

    /// The order ledger: empty when there is none yet, an error when it cannot be read.
    fn read_ledger(&self) -> Result<OrderLedger, StoreError>;
    /// `keep_old`: an unreadable old ledger is set aside rather than overwritten.
    fn write_ledger(&self, ledger: &OrderLedger, keep_old: bool) -> Result<(), StoreError>;

    fn read_app_document(&self, doc: AppDocument) -> Option<String>;
    fn write_app_document(&self, doc: AppDocument, text: &str) -> Result<(), StoreError>;
    fn remove_app_document(&self, doc: AppDocument);

    /// A printed order, handout or chart export (bytes made by `order`), owner-only. The
    /// error is the reason alone; the caller names the file.
    fn write_export(&self, at: &Path, bytes: &[u8]) -> Result<(), StoreError>;
    /// Remove an export written moments ago (a print job's temporary file).
    fn remove_export(&self, at: &Path);
    /// The bytes of a protocol pack chosen by the user.
    fn read_pack(&self, at: &Path) -> Result<Vec<u8>, StoreError>;
    /// The text of a pack's signature, `PACK.minisig` beside it; a missing one is an error
    /// naming that file.
    fn read_pack_signature(&self, pack: &Path) -> Result<String, StoreError>;
    /// The text of a trusted public key file (`KEY.pub`).
    fn read_public_key(&self, at: &Path) -> Result<String, StoreError>;

    /// The old flowsheet sidecar of a course file (`FILE.ketaplan.flowsheet`), if any.
    fn read_legacy_flowsheet(&self, course: &Path) -> Result<Option<String>, StoreError>;
    /// Remove it once a save holds every record it had.
    fn remove_legacy_flowsheet(&self, course: &Path) -> Result<(), StoreError>;
}

/// A store shared by the parts of the app; the default keeps files with no data folder.
#[derive(Clone)]
pub struct SharedStore(pub std::sync::Arc<dyn Store>);

impl Default for SharedStore {
    fn default() -> Self {
        Self(std::sync::Arc::new(crate::store::FileStore::new(None)))
    }
}

impl std::ops::Deref for SharedStore {
    type Target = dyn Store;
    fn deref(&self) -> &Self::Target {
        self.0.as_ref()
    }
}
