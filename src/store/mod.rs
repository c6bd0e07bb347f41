//! Files on disk: atomic saves, backups, autosave and course documents.
pub mod course_store;
pub mod fs;
