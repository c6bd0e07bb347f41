//! The printable order sheet (later steps) and its medication-safe formatting.
pub mod format;
