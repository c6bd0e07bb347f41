//! The clinical core: pure, no I/O, no UI.
pub mod case;
pub mod course;
pub mod duplicate_keys;
pub mod file_text;
pub mod findings;
pub mod flowsheet;
pub mod follow_on;
pub mod glyphs;
pub mod kinds;
pub mod number_format;
pub mod order_identity;
pub mod patient;
pub mod pk;
pub mod plan;
pub mod preparation;
pub mod protocol;
pub mod response;
pub mod roles;
pub mod signature;
mod str_enum;
pub mod text;
pub mod units;
pub mod vital_limits;
pub mod weight;

pub use case::{Case, FieldError};
pub use plan::{Plan, plan};
pub use protocol::Protocol;
