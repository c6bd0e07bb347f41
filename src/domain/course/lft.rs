//! Liver function tests in a course (V4-18): the recorded results, their checks, and which
//! are raised against the patient's first recorded value (or the upper limit of normal).

use super::document::CourseDocument;
use super::lft_result::{Enzyme, LftResult};
use crate::domain::protocol::Protocol;
use crate::domain::units::cmp_value;
use chrono::NaiveDate;
use serde::Serialize;

/// What a raised value was compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LftReference {
    /// The patient's first recorded value of that enzyme.
    Baseline,
    /// The result's upper limit of normal (the first value has no baseline).
    Uln,
}

/// One raised value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LftRise {
    pub session_id: u32,
    pub date: NaiveDate,
    pub enzyme: Enzyme,
    pub value_u_per_l: f64,
    pub compared_with: LftReference,
    pub reference_u_per_l: f64,
}

/// The course's liver tests judged on a date.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LftAssessment {
    pub rises: Vec<LftRise>,
    /// A raised enzyme has no later normal result of the same enzyme.
    pub unresolved: bool,
}

/// Why one LFT value (U/L) is refused: not finite, not more than 0, or not below the pack's
/// maximum (`course.lft_value_below_u_per_l`).
pub fn check_lft_value(protocol: &Protocol, value: f64) -> Option<String> {
    let max = protocol.pack.course.lft_value_below_u_per_l.value;
    (!(value.is_finite() && value > 0.0 && value < max)).then(|| {
        format!(
            "must be a number of U/L more than 0 and below {}, not {}",
            crate::domain::number_format::number(max),
            if value.is_finite() {
                crate::domain::number_format::number(value)
            } else {
                value.to_string()
            }
        )
    })
}

/// Check every recorded value. Errors name the field (`sessions[2].lft[0].alt`, indexes as
/// in the file).
pub fn validate_lft(protocol: &Protocol, doc: &CourseDocument) -> Vec<String> {
    let mut errors = Vec::new();
    for (i, session) in doc.sessions.iter().enumerate() {
        for (j, result) in session.lft.iter().enumerate() {
            for (field, value) in result.values() {
                if let Some(message) = value.and_then(|v| check_lft_value(protocol, v)) {
                    errors.push(format!("sessions[{i}].lft[{j}].{field}: {message}"));
                }
            }
        }
    }
    errors
}

/// Which results on or before `on` are raised: a value at or above the pack's factor
/// (institution default 3) times the patient's first recorded value of that enzyme, or,
/// for that first value itself, times its upper limit of normal. A rise is resolved by a
/// later normal result of the same enzyme: not raised, and at most its ULN when one is given.
pub fn assess_lft(protocol: &Protocol, doc: &CourseDocument, on: NaiveDate) -> LftAssessment {
    let factor = protocol.pack.course.lft_raised_from_factor.value;
    // Every result in date order (ties keep the file's order).
    let mut results: Vec<(u32, &LftResult)> = doc
        .sessions
        .iter()
        .flat_map(|s| s.lft.iter().map(move |r| (s.id, r)))
        .filter(|(_, r)| r.date <= on)
        .collect();
    results.sort_by_key(|(_, r)| r.date);
    let mut out = LftAssessment::default();
    for enzyme in Enzyme::ALL {
        let mut baseline: Option<f64> = None;
        let mut open_rise = false;
        for (session_id, result) in &results {
            let (Some(value), uln) = result.of(enzyme) else {
                continue;
            };
            let reference = match baseline {
                Some(b) => Some((LftReference::Baseline, b)),
                None => uln.map(|u| (LftReference::Uln, u)),
            };
            let raised = reference.is_some_and(|(_, r)| cmp_value(value / r) >= factor);
            if let (true, Some((compared_with, reference_u_per_l))) = (raised, reference) {
                out.rises.push(LftRise {
                    session_id: *session_id,
                    date: result.date,
                    enzyme,
                    value_u_per_l: value,
                    compared_with,
                    reference_u_per_l,
                });
                open_rise = true;
            } else if uln.is_none_or(|u| cmp_value(value) <= u) {
                open_rise = false;
            }
            if baseline.is_none() {
                baseline = Some(value);
            }
        }
        out.unresolved |= open_rise;
    }
    out.rises.sort_by_key(|r| r.date);
    out
}
