//! A patient case (`ketaplan.case/1`) and its validation.
//!
//! Reading is in three steps so that *every* error is reported, each with its path:
//! parse the text (JSON or RON) to a generic value, validate the whole document against
//! the contract and the protocol pack, then build the typed [`Case`]. The app reuses
//! [`case_from_value`] for half-typed input.

pub mod allergies;
mod field_error;
pub mod order_fields;
mod parse;
pub mod printable;
mod record;
mod regimen;
mod validate;

pub use crate::domain::patient::{DosingWeightBasis, Patient, Sex, WeightEntry, WeightUnit};
pub use field_error::FieldError;
pub use parse::{CaseFormat, case_to_ron, parse_case, parse_value};
pub use record::{
    Attestations, CASE_SCHEMA, Case, FollowUp, History, OrderInfo, RiskScores, parse_date,
};
pub use regimen::{BolusEntry, BolusUnit, Course, RateEntry, RateUnit, Regimen, Setting};
pub use validate::case_from_value;
