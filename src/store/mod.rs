//! Files on disk: atomic saves, backups, autosave and course documents.
pub mod atomic;
pub mod case_file;
pub mod course_store;
pub mod fs;
pub mod ledger;

pub use atomic::write_atomic;
