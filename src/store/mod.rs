//! Files the app and the command line write: always whole or not at all.
pub mod atomic;

pub use atomic::write_atomic;
