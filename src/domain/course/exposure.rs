//! What earlier sessions exposed the patient to: high-dose or prolonged exposure and its
//! end (V4-05), and urinary symptoms or cystitis on record (V4-08).

use super::{CourseDocument, Session};
use crate::domain::protocol::Protocol;
use crate::domain::units::cmp_value;
use chrono::{NaiveDate, NaiveDateTime};

/// The highest rate of the session in mg/kg/h: the ordered ceiling (or starting rate), and
/// every rate charted as given.
pub fn highest_mg_per_kg_per_h(protocol: &Protocol, s: &Session) -> f64 {
    let regimen = &s.case.regimen;
    let weight = crate::domain::weight::dosing_weight(
        &protocol.pack.dosing_weight,
        &s.case.patient,
        regimen.dosing_weight,
    )
    .map(|w| w.dosing_kg)
    .unwrap_or_else(|| s.case.patient.weight.kilograms());
    let ceiling = regimen
        .max_infusion
        .as_ref()
        .unwrap_or(&regimen.infusion)
        .mg_per_kg_per_h(weight)
        .for_comparison();
    let given = s
        .given
        .iter()
        .flat_map(|g| g.rate_changes.iter().map(|c| c.mg_per_kg_per_h))
        .filter(|r| r.is_finite());
    given
        .chain(
            [s.ordered.max_infusion_mg_per_kg_per_h]
                .into_iter()
                .filter(|r| r.is_finite()),
        )
        .map(cmp_value)
        .fold(ceiling, f64::max)
}

/// The session lasted more than the pack's hours (institution default 24 h): given hours,
/// or else the ordered duration.
pub fn is_prolonged(protocol: &Protocol, s: &Session) -> bool {
    cmp_value(s.hours()) > protocol.pack.tests.continuous_exposure_above_h.value
}

/// V4-05: more than 24 h, a rate or ceiling of 1 mg/kg/h or more (the pack's "high doses at
/// frequent intervals" threshold, `tests.lft_series_ceiling_from_mg_per_kg_per_h`), or a
/// session of a series or continuous course.
pub fn is_high_dose_or_prolonged(protocol: &Protocol, s: &Session) -> bool {
    s.is_serial()
        || is_prolonged(protocol, s)
        || highest_mg_per_kg_per_h(protocol, s)
            >= protocol
                .pack
                .tests
                .lft_series_ceiling_from_mg_per_kg_per_h
                .value
}

/// When the session ended: `started_at` + the hours given, or else the ordered duration
/// (the start itself when the hours are not a usable number).
pub fn exposure_end(s: &Session) -> NaiveDateTime {
    let hours = s.hours();
    if !(hours.is_finite() && hours >= 0.0) {
        return s.started_at;
    }
    chrono::Duration::try_seconds((hours * 3600.0).round() as i64)
        .and_then(|d| s.started_at.checked_add_signed(d))
        .unwrap_or(s.started_at)
}

/// A high-dose or prolonged session started before `on` whose end date is less than the
/// pack's days (institution default 90) before `on` (clinic local calendar dates).
pub fn reexposure_within(protocol: &Protocol, doc: &CourseDocument, on: NaiveDate) -> bool {
    let within = protocol.pack.course.reexposure_within_days.value;
    doc.sessions.iter().any(|s| {
        let days_after_end = (on - exposure_end(s).date()).num_days() as f64;
        s.date() < on && days_after_end < within && is_high_dose_or_prolonged(protocol, s)
    })
}

/// V4-08: a session on or before `on` whose screening answered `urinary_symptoms` Yes, or
/// whose adverse effects (as given, or the bedside record) record cystitis or urinary
/// symptoms.
pub fn urinary_on_record(protocol: &Protocol, doc: &CourseDocument, on: NaiveDate) -> bool {
    let words = &protocol.pack.course.urinary_adverse_effect_words;
    doc.sessions.iter().filter(|s| s.date() <= on).any(|s| {
        s.case.answered_yes("urinary_symptoms")
            || s.given
                .iter()
                .flat_map(|g| g.adverse_effects.iter())
                .any(|t| records_any(t, words))
            || s.bedside
                .as_ref()
                .is_some_and(|b| records_any(&b.adverse_effects, words))
    })
}

/// Words that negate what follows them in the same clause ("no dysuria", "denies urinary
/// symptoms").
const NEGATIONS: [&str; 7] = ["no", "not", "denies", "denied", "without", "nil", "none"];

/// The text records one of `words` in a clause (split at `, ; .` and line breaks) that
/// does not negate it first.
pub fn records_any(text: &str, words: &[String]) -> bool {
    let lower = text.to_lowercase();
    lower.split([',', ';', '.', '\n', '/']).any(|clause| {
        let tokens: Vec<&str> = clause
            .split(|c: char| !c.is_alphanumeric() && c != '\'')
            .filter(|t| !t.is_empty())
            .collect();
        tokens.iter().enumerate().any(|(i, token)| {
            let matched = words
                .iter()
                .any(|w| token.starts_with(w.to_lowercase().as_str()));
            matched && !tokens[..i].iter().any(|t| NEGATIONS.contains(t))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::records_any;

    #[test]
    fn adverse_effect_text_is_read_clause_by_clause() {
        let words: Vec<String> = ["cystitis", "urinary", "dysuria"]
            .iter()
            .map(|w| w.to_string())
            .collect();
        assert!(records_any("Dysuria on day 2", &words));
        assert!(records_any("nausea; urinary frequency", &words));
        assert!(records_any("Ketamine CYSTITIS suspected", &words));
        assert!(!records_any("no urinary symptoms", &words));
        assert!(!records_any("Denies dysuria, nausea", &words));
        assert!(records_any("no nausea, dysuria", &words));
        assert!(!records_any("headache", &words));
    }
}
