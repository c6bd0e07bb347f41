//! Medication-safe number and unit formatting (ISMP practice; clinical-rules §3.2).
//!
//! - no trailing zeros ("5 mg", never "5.0 mg"); a leading zero ("0.5 mg");
//! - thousands separators ("1,813 mg"); a space between number and unit;
//! - "mcg" and "mL" only (the unit symbols come from `domain::units`).
//!
//! Display rounding (ORDER-M10): mg to 0.1 mg; mg/kg, mg/kg/h and mcg/kg/min to 3
//! significant figures; mL/h exactly as the pump is programmed (0.1 mL/h steps). Engine
//! values stay unrounded; rounding here is only for people to read. The rule that keeps a
//! rounded dose's meaning: a value is never shown as 0 unless it is 0 (tiny values keep
//! significant figures instead), and rounding never crosses to another unit.
//!
//! A second rule keeps a rounded figure on the right side of the limits it is judged
//! against: [`mg_per_kg_judged`], [`mg_per_kg_per_h_judged`] and [`mg_judged`] add digits
//! until the shown value compares with every limit exactly as the engine's value does
//! (0.3504 mg/kg above a 0.35 mg/kg limit is shown as "0.3504 mg/kg", never "0.35 mg/kg").
//!
//! Dates are `YYYY-MM-DD`, times 24-hour `HH:MM`.

pub use crate::domain::number_format::{decimals, number, significant, time_24h};
use crate::domain::units::{cmp_value, round_significant};
use chrono::{NaiveDate, NaiveDateTime};

/// "7.9 mg" — doses in mg to 0.1 mg.
pub fn mg(x: f64) -> String {
    format!("{} mg", decimals(x, 1))
}

/// "0.35 mg/kg"
pub fn mg_per_kg(x: f64) -> String {
    format!("{} mg/kg", significant(x, 3))
}

/// "0.5 mg/kg/h"
pub fn mg_per_kg_per_h(x: f64) -> String {
    format!("{} mg/kg/h", significant(x, 3))
}

/// "8.33 mcg/kg/min"
pub fn mcg_per_kg_per_min(x: f64) -> String {
    format!("{} mcg/kg/min", significant(x, 3))
}

/// "39.9 mg/h" to 0.1 mg/h.
pub fn mg_per_h(x: f64) -> String {
    format!("{} mg/h", decimals(x, 1))
}

/// "39.9 mL/h" as programmed on the pump.
pub fn ml_per_h(x: f64) -> String {
    format!("{} mL/h", decimals(x, 1))
}

/// "79.8 kg" to 0.1 kg.
pub fn kg(x: f64) -> String {
    format!("{} kg", decimals(x, 1))
}

/// "1 mg/mL"
pub fn mg_per_ml(x: f64) -> String {
    format!("{} mg/mL", significant(x, 3))
}

/// "4 h"
pub fn hours(x: f64) -> String {
    format!("{} h", decimals(x, 2))
}

/// "37.5 %"
pub fn percent(x: f64) -> String {
    format!("{} %", decimals(x, 1))
}

/// "8 mL" — volumes to 0.1 mL.
pub fn ml(x: f64) -> String {
    format!("{} mL", decimals(x, 1))
}

/// "5 minutes" ("1 minute").
pub fn minutes(x: f64) -> String {
    let n = decimals(x, 1);
    if n == "1" {
        "1 minute".to_string()
    } else {
        format!("{n} minutes")
    }
}

/// "54 years"
pub fn years(age_years: u32) -> String {
    if age_years == 1 {
        "1 year".to_string()
    } else {
        format!("{} years", number(f64::from(age_years)))
    }
}

/// `YYYY-MM-DD`
pub fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// `YYYY-MM-DD HH:MM` (24-hour)
pub fn date_time(dt: NaiveDateTime) -> String {
    format!("{} {}", date(dt.date()), time_24h(dt.time()))
}

/// Does the shown (rounded) number sit on the same side of every limit as the value?
fn same_side_of_limits(value: f64, shown: f64, limits: &[f64]) -> bool {
    let value = cmp_value(value);
    limits.iter().all(|&limit| {
        let limit = cmp_value(limit);
        value.partial_cmp(&limit) == shown.partial_cmp(&limit)
    })
}

/// Significant figures (at least `figures`, at most 9) so that the shown number compares
/// with every limit as the value does.
pub fn significant_judged(x: f64, figures: usize, limits: &[f64]) -> String {
    if !x.is_finite() {
        return "—".to_string();
    }
    let mut f = figures.max(1);
    while f < 9 && !same_side_of_limits(x, round_significant(x, f), limits) {
        f += 1;
    }
    significant(x, f)
}

/// Decimal places (at least `places`, at most 9) so that the shown number compares with
/// every limit as the value does.
pub fn decimals_judged(x: f64, places: usize, limits: &[f64]) -> String {
    if !x.is_finite() {
        return "—".to_string();
    }
    let mut d = places;
    loop {
        let factor = 10f64.powi(d as i32);
        let shown = (round_significant(x * factor, 12)).round() / factor;
        if d >= 9 || same_side_of_limits(x, shown, limits) {
            return decimals(x, d);
        }
        d += 1;
    }
}

/// "0.35 mg/kg", with more digits when 3 figures would land on a limit the dose crosses.
pub fn mg_per_kg_judged(x: f64, limits: &[f64]) -> String {
    format!("{} mg/kg", significant_judged(x, 3, limits))
}

/// "0.5 mg/kg/h", with more digits when 3 figures would land on a limit the rate crosses.
pub fn mg_per_kg_per_h_judged(x: f64, limits: &[f64]) -> String {
    format!("{} mg/kg/h", significant_judged(x, 3, limits))
}

/// "80 mg", with more decimals when 0.1 mg would land on a limit the total crosses.
pub fn mg_judged(x: f64, limits: &[f64]) -> String {
    format!("{} mg", decimals_judged(x, 1, limits))
}

/// Error-prone abbreviations and symbols (ISMP; ORDER-M3, M4, M7) found in `text`,
/// as whole words (so "IV" and "mcg" pass, "U" and "cc" do not).
pub fn forbidden_abbreviations(text: &str) -> Vec<&'static str> {
    const WORDS: &[&str] = &[
        "U", "IU", "QD", "QOD", "SC", "SQ", "IN", "D/C", "HS", "cc", "ug",
    ];
    const SYMBOLS: &[&str] = &["µg", "μg", "@", "&"];
    let mut found = Vec::new();
    for symbol in SYMBOLS {
        if text.contains(symbol) {
            found.push(*symbol);
        }
    }
    let words: Vec<&str> = text
        .split(|c: char| !(c.is_alphanumeric() || c == '/'))
        .filter(|w| !w.is_empty())
        .collect();
    for word in WORDS {
        if words.iter().any(|w| w == word) {
            found.push(*word);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveTime;

    #[test]
    fn no_trailing_zeros_and_leading_zero() {
        assert_eq!(mg(5.0), "5 mg");
        assert_eq!(mg(0.5), "0.5 mg");
        assert_eq!(mg_per_kg(0.35), "0.35 mg/kg");
        assert_eq!(mg_per_kg_per_h(0.5), "0.5 mg/kg/h");
        assert_eq!(ml_per_h(39.9), "39.9 mL/h");
        assert_eq!(ml_per_h(40.0), "40 mL/h");
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(mg(1813.0), "1,813 mg");
        assert_eq!(number(1234567.5), "1,234,567.5");
        assert_eq!(number(-1234.0), "-1,234");
    }

    #[test]
    fn display_rounding() {
        assert_eq!(mg(7.983225712), "8 mg");
        assert_eq!(mg(167.647739952), "167.6 mg");
        assert_eq!(mcg_per_kg_per_min(8.333333333), "8.33 mcg/kg/min");
        assert_eq!(kg(79.83225712), "79.8 kg");
        assert_eq!(mg_per_kg_per_h(0.163934426), "0.164 mg/kg/h");
    }

    #[test]
    fn a_nonzero_dose_never_shows_as_zero() {
        assert_eq!(mg(0.04), "0.04 mg");
        assert_eq!(mg(0.0), "0 mg");
    }

    #[test]
    fn volumes_minutes_years() {
        assert_eq!(ml(8.0), "8 mL");
        assert_eq!(ml(7.983225712), "8 mL");
        assert_eq!(ml(1250.04), "1,250 mL");
        assert_eq!(minutes(5.0), "5 minutes");
        assert_eq!(minutes(1.0), "1 minute");
        assert_eq!(years(54), "54 years");
        assert_eq!(years(1), "1 year");
    }

    #[test]
    fn dates_and_24_hour_times() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap_or_default();
        assert_eq!(date(d), "2026-03-02");
        let t = NaiveTime::from_hms_opt(7, 5, 59).unwrap_or_default();
        assert_eq!(time_24h(t), "07:05");
        let pm = NaiveTime::from_hms_opt(19, 45, 0).unwrap_or_default();
        assert_eq!(time_24h(pm), "19:45");
        assert_eq!(date_time(d.and_time(pm)), "2026-03-02 19:45");
    }

    #[test]
    fn rounding_never_moves_a_dose_across_a_limit() {
        // 3 significant figures would print these as exactly the limit.
        assert_eq!(mg_per_kg_judged(0.3504, &[0.35, 1.0]), "0.3504 mg/kg");
        assert_eq!(mg_per_kg_judged(0.34996, &[0.35]), "0.34996 mg/kg");
        assert_eq!(
            mg_per_kg_per_h_judged(2.0004, &[2.0, 7.0]),
            "2.0004 mg/kg/h"
        );
        assert_eq!(mg_judged(79.96, &[80.0]), "79.96 mg");
        // A value on the limit, or clear of it, keeps the usual rounding.
        assert_eq!(mg_per_kg_judged(0.35, &[0.35]), "0.35 mg/kg");
        assert_eq!(mg_per_kg_judged(0.1, &[0.35, 1.0]), "0.1 mg/kg");
        assert_eq!(mg_per_kg_per_h_judged(0.163934426, &[0.5]), "0.164 mg/kg/h");
        assert_eq!(mg_judged(167.647739952, &[80.0]), "167.6 mg");
        // Binary noise below 9 significant digits is not a crossing.
        assert_eq!(mg_judged(80.000000001, &[80.0]), "80 mg");
    }

    #[test]
    fn display_rounding_keeps_the_dose_meaning() {
        // The rule: a shown dose differs from the engine's by at most half its last
        // shown digit, is never 0 unless the dose is 0, and sits on the same side of
        // every limit. Checked over a sweep of doses and rates.
        let limits = [0.175, 0.35, 0.5, 1.0, 2.0, 7.0, 80.0];
        let mut x = 0.0007_f64;
        while x < 5000.0 {
            let shown_mg: f64 = decimals(x, 1).replace(',', "").parse().unwrap_or(f64::NAN);
            if x >= 0.05 {
                assert!(
                    (shown_mg - x).abs() <= 0.05 + 1e-9,
                    "{x} shown as {shown_mg}"
                );
            } else {
                assert!(
                    ((shown_mg - x) / x).abs() <= 0.05,
                    "{x} shown as {shown_mg}"
                );
            }
            assert!(shown_mg != 0.0, "{x} shown as 0");
            let shown_rate: f64 = significant_judged(x, 3, &limits)
                .replace(',', "")
                .parse()
                .unwrap_or(f64::NAN);
            assert!(
                ((shown_rate - x) / x).abs() <= 0.005,
                "{x} shown as {shown_rate}"
            );
            assert!(same_side_of_limits(x, shown_rate, &limits), "{x} crosses");
            x *= 1.0137;
        }
    }

    #[test]
    fn forbidden_abbreviations_are_caught() {
        assert!(forbidden_abbreviations("0.5 mg/kg IV over 5 minutes, 40 mL/h").is_empty());
        assert!(forbidden_abbreviations("ketamine 8 mcg/kg/min, INR, SCr, Units").is_empty());
        assert_eq!(forbidden_abbreviations("10 U"), vec!["U"]);
        assert_eq!(forbidden_abbreviations("5 cc"), vec!["cc"]);
        assert_eq!(forbidden_abbreviations("2 µg"), vec!["µg"]);
        assert_eq!(forbidden_abbreviations("@ 5 mL/h"), vec!["@"]);
        assert_eq!(forbidden_abbreviations("give SC QD"), vec!["QD", "SC"]);
        assert_eq!(forbidden_abbreviations("D/C at HS"), vec!["D/C", "HS"]);
    }

    #[test]
    fn number_keeps_typed_precision() {
        assert_eq!(number(0.35), "0.35");
        assert_eq!(number(1.4499999999999997), "1.45");
        assert_eq!(number(100.0), "100");
    }
}
