//! ketaplan: a clinical decision aid for intravenous ketamine infusions in chronic pain,
//! after the 2018 ASRA/AAPM/ASA consensus guideline.
//!
//! `domain` is the pure clinical engine; `cli` the command line; `ui` the desktop app.
#![forbid(unsafe_code)]

pub mod cli;
pub mod domain;
pub mod order;
pub mod store;
pub mod ui;
