//! Reusable widgets: labelled entries with their errors, finding and alert rows, the plan
//! panel, the patient banner, the step bar and the typed-path entry.
pub mod banner;
pub mod charts;
pub mod field;
pub mod finding;
pub mod flowsheet;
pub mod indent;
pub mod password;
pub mod path_entry;
pub mod pk_plot;
pub mod plan_panel;
pub mod printable;
pub mod reason;
pub mod step_bar;
