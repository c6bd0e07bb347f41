//! The printable infusion order sheet: one model (`sheet`), rendered as plain text (`text`)
//! and PDF (`pdf`), with medication-safe formatting (`format`).
pub mod chart;
pub mod fhir;
pub mod format;
pub mod handout;
pub mod pdf;
pub mod sheet;
pub mod text;

pub use handout::Handout;
pub use sheet::{Block, OrderOptions, OrderSheet, Paper, Refusal, RefusalReason, Section, Style};
