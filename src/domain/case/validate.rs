//! Case validation: a generic value checked against contract and pack, every error with its path.
//! The document's parts are read by the modules below, in the order the case lists them.

use super::field_error::FieldError;
use super::record::{CASE_SCHEMA, Case, History};
use crate::domain::protocol::Protocol;
use reader::Validator;
use serde_json::Value;

mod clinical;
mod follow_up;
mod order;
mod patient;
mod reader;
mod regimen;

/// Validate a generic value as a `ketaplan.case/1` document and build the typed case.
/// Every error found is returned, each naming its field path.
pub fn case_from_value(protocol: &Protocol, value: &Value) -> Result<Case, Vec<FieldError>> {
    let mut v = Validator {
        pack: &protocol.pack,
        protocol,
        errors: Vec::new(),
    };
    let case = v.case(value);
    match case {
        Some(case) if v.errors.is_empty() => Ok(case),
        _ => {
            if v.errors.is_empty() {
                v.error("", "the case could not be read");
            }
            Err(v.errors)
        }
    }
}

impl Validator<'_> {
    fn case(&mut self, value: &Value) -> Option<Case> {
        let map = self.object(
            "",
            value,
            &[
                "schema",
                "patient",
                "condition",
                "condition_detail",
                "screening",
                "screening_no",
                "risk_scores",
                "regimen",
                "history",
                "follow_up",
                "justifications",
                "order",
            ],
        )?;
        if let Some(schema) = Self::field(map, "schema")
            && let Some(s) = self.text("schema", schema)
            && s != CASE_SCHEMA
        {
            self.error("schema", format!("must be \"{CASE_SCHEMA}\", not \"{s}\""));
        }
        let patient = self
            .required("", map, "patient")
            .and_then(|p| self.patient(p));
        let condition = self.condition(map);
        let condition_detail = self.condition_detail(map);
        let (screening, screening_no) = self.screening(map);
        let risk_scores = Self::field(map, "risk_scores").and_then(|r| self.risk_scores(r));
        let history = match Self::field(map, "history") {
            Some(h) => self.history(h),
            None => Some(History::default()),
        };
        let follow_up = match Self::field(map, "follow_up") {
            Some(f) => self.follow_up(f).map(Some),
            None => Some(None),
        };
        let justifications = self.justifications(map);
        let order = match Self::field(map, "order") {
            Some(o) => self.order(o).map(Some),
            None => Some(None),
        };
        // The regimen needs the patient's dosing weight for its plausibility checks.
        let regimen = self
            .required("", map, "regimen")
            .and_then(|r| self.regimen(r, patient.as_ref()));
        Some(Case {
            schema: CASE_SCHEMA.to_string(),
            patient: patient?,
            condition: condition?,
            condition_detail: condition_detail?,
            screening: screening?,
            screening_no: screening_no?,
            risk_scores,
            regimen: regimen?,
            history: history?,
            follow_up: follow_up?,
            justifications: justifications?,
            order: order?,
        })
    }
}
