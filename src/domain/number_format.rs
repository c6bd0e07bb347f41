//! Medication-safe plain numbers (no trailing zeros, a leading zero, thousands separators)
//! and 24-hour times, shared by the engine's messages and the printout (`order::format`
//! builds units on them).

use crate::domain::units::round_significant;
use chrono::NaiveTime;

/// 24-hour `HH:MM`, as every screen and printout writes times.
pub fn time_24h(t: NaiveTime) -> String {
    t.format("%H:%M").to_string()
}

/// A plain number: up to 9 significant digits, no trailing zeros, leading zero,
/// thousands separators. Used for values a user typed and for messages.
pub fn number(x: f64) -> String {
    if !x.is_finite() {
        return "—".to_string();
    }
    let rounded = round_significant(x, 9);
    trim_and_group(&format!("{:.9}", rounded))
}

/// Round to at most `decimals` decimal places, then format without trailing zeros.
pub fn decimals(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return "—".to_string();
    }
    let factor = 10f64.powi(decimals as i32);
    let rounded = (round_significant(x * factor, 12)).round() / factor;
    // A nonzero dose is never displayed as 0: fall back to significant figures.
    if rounded == 0.0 && x != 0.0 {
        return significant(x, 2);
    }
    trim_and_group(&format!("{:.*}", decimals, rounded))
}

/// Round to `figures` significant figures, without trailing zeros.
pub fn significant(x: f64, figures: usize) -> String {
    if !x.is_finite() {
        return "—".to_string();
    }
    let rounded = round_significant(x, figures);
    trim_and_group(&format!("{:.12}", rounded))
}

pub(crate) fn trim_and_group(fixed: &str) -> String {
    let (sign, body) = match fixed.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", fixed),
    };
    let (int_part, frac_part) = match body.split_once('.') {
        Some((i, f)) => (i, f.trim_end_matches('0')),
        None => (body, ""),
    };
    let int_part = if int_part.is_empty() { "0" } else { int_part };
    let mut grouped = String::new();
    let len = int_part.len();
    for (i, ch) in int_part.chars().enumerate() {
        if i > 0 && (len - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let is_zero = grouped.chars().all(|c| c == '0' || c == ',') && frac_part.is_empty();
    let sign = if is_zero { "" } else { sign };
    if frac_part.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac_part}")
    }
}
