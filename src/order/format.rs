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

use crate::domain::units::round_significant;

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

fn trim_and_group(fixed: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn number_keeps_typed_precision() {
        assert_eq!(number(0.35), "0.35");
        assert_eq!(number(1.4499999999999997), "1.45");
        assert_eq!(number(100.0), "100");
    }
}
