//! Reading what was typed: numbers kept as text until they parse, dates, the age from a date
//! of birth, and the key that identifies a case's content.

use chrono::{Datelike, NaiveDate};
use serde_json::{Map, Value};

/// A typed number: a JSON number when it parses, else the text itself, so that the
/// validator names the field ("must be a number, not text"). `None` when empty.
pub(super) fn number_value(text: &str) -> Option<Value> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    match t.parse::<f64>() {
        Ok(x) if x.is_finite() => serde_json::Number::from_f64(x).map(Value::Number),
        _ => Some(Value::String(t.to_string())),
    }
}

pub(super) fn parse_number(text: &str) -> Option<f64> {
    text.trim().parse::<f64>().ok().filter(|x| x.is_finite())
}

pub(super) fn non_empty(text: &str) -> Option<Value> {
    let t = text.trim();
    (!t.is_empty()).then(|| Value::String(t.to_string()))
}

/// Whole years between `born` and `on` (birthday not yet reached this year: one less).
pub fn age_on(born: NaiveDate, on: NaiveDate) -> Option<u32> {
    let mut years = on.year() - born.year();
    if (on.month(), on.day()) < (born.month(), born.day()) {
        years -= 1;
    }
    u32::try_from(years).ok()
}

pub fn parse_date(text: &str) -> Option<NaiveDate> {
    crate::domain::case::parse_date(text.trim())
}

/// What identifies a case's content (its value as text; maps are ordered by key).
pub(super) fn content_key(case: &Map<String, Value>) -> String {
    serde_json::to_string(case).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 20).unwrap_or_default()
    }

    #[test]
    fn half_typed_number_goes_in_as_text() {
        assert_eq!(number_value("7O"), Some(json!("7O")));
        assert_eq!(number_value(" 70 "), Some(json!(70.0)));
        assert_eq!(number_value(""), None);
    }

    #[test]
    fn age_from_birthday() {
        let born = NaiveDate::from_ymd_opt(1971, 3, 2).unwrap_or_default();
        assert_eq!(age_on(born, today()), Some(55));
        let on = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default();
        assert_eq!(age_on(born, on), Some(54));
    }
}
