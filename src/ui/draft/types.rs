//! The draft's small choices (weight and height units, where the age comes from, the allergy
//! answer) and the justification a clinician types, with what it was written for.

use crate::domain::findings::DoseField;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum WeightUnitChoice {
    #[default]
    Kg,
    Lb,
}

impl WeightUnitChoice {
    pub fn as_str(self) -> &'static str {
        match self {
            WeightUnitChoice::Kg => "kg",
            WeightUnitChoice::Lb => "lb",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum HeightUnit {
    #[default]
    Cm,
    In,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum AgeSource {
    /// Age computed from the date of birth (on `today`).
    #[default]
    FromDateOfBirth,
    /// Age typed in (date of birth unknown or not yet entered).
    Entered,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum AllergyAnswer {
    #[default]
    Unanswered,
    NoneKnown,
    Listed,
}

/// The words the contract asks for when there are no known allergies.
pub const NO_KNOWN_ALLERGIES: &str = "no known allergies";

/// What a justification was written for; the text is dropped when those inputs change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum JustificationScope {
    /// A limit alert on a dose field.
    Dose(DoseField),
    /// A finding (screening answer or rule).
    Finding,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Justification {
    pub text: String,
    pub scope: JustificationScope,
    /// The inputs the text was written against (see [`CaseDraft::fingerprint`]).
    pub fingerprint: String,
}
