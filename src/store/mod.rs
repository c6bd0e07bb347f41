//! Where records are kept: the `Store` interface the app and the CLI use, and its file
//! implementation (atomic saves, backups, autosave, the order ledger).
pub mod atomic;
pub mod case_file;
pub mod course_store;
pub mod db;
pub mod file_store;
pub mod fs;
pub mod ledger;
pub mod print;
pub mod protocol_pack;
pub mod records;

pub use atomic::write_atomic;
pub use file_store::FileStore;
pub use records::{AppDocument, OpenError, SharedStore, Store, StoreError};
