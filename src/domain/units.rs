//! Units as types, so that mg/kg/h, mcg/kg/min and mg/h cannot be mixed by accident,
//! and the contract's 9-significant-digit rule in one place.
//!
//! Conversions between units are definitions (1 lb = 0.45359237 kg exactly,
//! 1 mcg/kg/min = 0.06 mg/kg/h), not clinical thresholds, so they live here rather than in
//! the protocol pack.

use serde::{Deserialize, Serialize};

/// Kilograms per pound (international avoirdupois pound, exact).
pub const KG_PER_LB: f64 = 0.45359237;
/// Centimetres per inch (exact).
pub const CM_PER_IN: f64 = 2.54;
/// mg/kg/h per mcg/kg/min: 1 mcg/kg/min × 60 min/h ÷ 1,000 mcg/mg.
pub const MG_PER_KG_PER_H_PER_MCG_PER_KG_PER_MIN: f64 = 0.06;
/// Significant digits every derived value is rounded to before it is compared or rounded
/// for the pump (contract DOSE-13): removes binary noise such as 1.4499999999999997.
pub const COMPARISON_SIGNIFICANT_DIGITS: usize = 9;

macro_rules! unit {
    ($(#[$m:meta])* $name:ident, $symbol:literal) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub f64);

        impl $name {
            pub const SYMBOL: &'static str = $symbol;
            pub fn value(self) -> f64 {
                self.0
            }
            /// The value rounded to 9 significant digits, for threshold comparisons.
            pub fn for_comparison(self) -> f64 {
                round_significant(self.0, COMPARISON_SIGNIFICANT_DIGITS)
            }
        }
    };
}

unit!(
    /// Body weight.
    Kilograms,
    "kg"
);
unit!(
    /// Body weight in pounds (input only; converted at once).
    Pounds,
    "lb"
);
unit!(
    /// A dose.
    Milligrams,
    "mg"
);
unit!(
    /// A weight-based dose.
    MgPerKg,
    "mg/kg"
);
unit!(
    /// A weight-based infusion rate.
    MgPerKgPerHour,
    "mg/kg/h"
);
unit!(
    /// A weight-based infusion rate as some pumps and papers give it.
    McgPerKgPerMin,
    "mcg/kg/min"
);
unit!(
    /// An absolute infusion rate.
    MgPerHour,
    "mg/h"
);
unit!(
    /// A pump rate.
    MlPerHour,
    "mL/h"
);
unit!(
    /// Concentration of the bag or syringe.
    MgPerMl,
    "mg/mL"
);
unit!(
    /// A duration.
    Hours,
    "h"
);

impl Pounds {
    pub fn to_kg(self) -> Kilograms {
        Kilograms(self.0 * KG_PER_LB)
    }
}

impl Kilograms {
    pub fn to_lb(self) -> Pounds {
        Pounds(self.0 / KG_PER_LB)
    }
}

impl McgPerKgPerMin {
    pub fn to_mg_per_kg_per_h(self) -> MgPerKgPerHour {
        MgPerKgPerHour(self.0 * MG_PER_KG_PER_H_PER_MCG_PER_KG_PER_MIN)
    }
}

impl MgPerKgPerHour {
    pub fn to_mcg_per_kg_per_min(self) -> McgPerKgPerMin {
        McgPerKgPerMin(self.0 / MG_PER_KG_PER_H_PER_MCG_PER_KG_PER_MIN)
    }
    pub fn times_weight(self, weight: Kilograms) -> MgPerHour {
        MgPerHour(self.0 * weight.0)
    }
}

impl MgPerHour {
    pub fn per_weight(self, weight: Kilograms) -> MgPerKgPerHour {
        MgPerKgPerHour(self.0 / weight.0)
    }
    pub fn over(self, duration: Hours) -> Milligrams {
        Milligrams(self.0 * duration.0)
    }
    /// The pump rate before rounding to the pump's step.
    pub fn at_concentration(self, concentration: MgPerMl) -> MlPerHour {
        MlPerHour(self.0 / concentration.0)
    }
}

impl MlPerHour {
    pub fn delivered(self, concentration: MgPerMl) -> MgPerHour {
        MgPerHour(self.0 * concentration.0)
    }
}

impl MgPerKg {
    pub fn times_weight(self, weight: Kilograms) -> Milligrams {
        Milligrams(self.0 * weight.0)
    }
}

impl Milligrams {
    pub fn per_weight(self, weight: Kilograms) -> MgPerKg {
        MgPerKg(self.0 / weight.0)
    }
}

impl std::ops::Add for Milligrams {
    type Output = Milligrams;
    fn add(self, rhs: Milligrams) -> Milligrams {
        Milligrams(self.0 + rhs.0)
    }
}

/// 10^0 … 10^22: every one an exact double.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// ⌊log10 a⌋ for 1e-22 ≤ a < 1e22, from the binary exponent and one table lookup (a guess
/// near exact powers of ten, checked by the caller); `None` outside that range.
fn decimal_exponent(a: f64) -> Option<i32> {
    if !(1e-22..1e22).contains(&a) {
        return None;
    }
    let binary = ((a.to_bits() >> 52) & 0x7ff) as i32 - 1023;
    // ⌊binary · log10 2⌋ (78913 / 2^18 ≈ log10 2); ⌊log10 a⌋ is this or one more.
    let low = (binary * 78913) >> 18;
    let next = low + 1;
    let reaches_next = if next >= 0 {
        a >= POW10[next as usize]
    } else {
        a * POW10[next.unsigned_abs() as usize] >= 1.0
    };
    Some(if reaches_next { next } else { low })
}

/// Round to `digits` significant digits, halves away from zero, working on the shortest
/// decimal representation of the double (so 1.4499999999999997 → 1.45 at 9 digits, as a
/// person reading the number would round it). Non-finite values are returned unchanged.
pub fn round_significant(x: f64, digits: usize) -> f64 {
    if !x.is_finite() || x == 0.0 || digits == 0 {
        return x;
    }
    // Fast path: scale to an integer of `digits` digits and round, unless the scaled value
    // sits near a half, where only the decimal digits can say which way to round. Powers of
    // ten come from a table (no log10 or powi on a path the engine takes hundreds of times
    // per plan); a misjudged exponent only fails the digit-count check below and falls back.
    if digits <= 15
        && let Some(exponent) = decimal_exponent(x.abs())
    {
        let shift = digits as i32 - 1 - exponent;
        // Powers of ten up to 1e22 are exact doubles, so the division or product below is
        // the correctly rounded decimal, the same double parsing would give.
        if (-22..=22).contains(&shift) {
            let scale = POW10[shift.unsigned_abs() as usize];
            let scaled = if shift >= 0 { x * scale } else { x / scale };
            let magnitude = scaled.abs();
            let fraction = (magnitude - magnitude.trunc() - 0.5).abs();
            let has_digits = magnitude >= POW10[digits - 1] && magnitude < POW10[digits];
            if fraction > 1e-6 && has_digits {
                let rounded = scaled.round();
                let result = if shift >= 0 {
                    rounded / scale
                } else {
                    rounded * scale
                };
                return result;
            }
        }
    }
    round_significant_decimal(x, digits)
}

/// The reference implementation on the shortest decimal representation.
fn round_significant_decimal(x: f64, digits: usize) -> f64 {
    // `{:e}` gives the shortest digits that round-trip, e.g. "1.4499999999999997e0".
    let repr = format!("{:e}", x.abs());
    let Some((mantissa, exponent)) = repr.split_once('e') else {
        return x;
    };
    let Ok(exponent) = exponent.parse::<i32>() else {
        return x;
    };
    let mut all_digits: Vec<u8> = mantissa
        .bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| b - b'0')
        .collect();
    if all_digits.len() <= digits {
        return x;
    }
    let round_up = all_digits[digits] >= 5;
    all_digits.truncate(digits);
    let mut exponent = exponent;
    if round_up {
        let mut i = digits;
        loop {
            if i == 0 {
                all_digits.insert(0, 1);
                all_digits.truncate(digits);
                exponent += 1;
                break;
            }
            i -= 1;
            if all_digits[i] == 9 {
                all_digits[i] = 0;
            } else {
                all_digits[i] += 1;
                break;
            }
        }
    }
    let digit_string: String = all_digits.iter().map(|d| char::from(b'0' + d)).collect();
    let text = format!("0.{digit_string}e{}", exponent + 1);
    let magnitude = text.parse::<f64>().unwrap_or(x.abs());
    magnitude.copysign(x)
}

/// Round to a multiple of `step` (e.g. 0.1 mL/h), halves away from zero, after the
/// 9-significant-digit rule so that a double just below a half still rounds up.
pub fn round_to_step(x: f64, step: f64) -> f64 {
    if !x.is_finite() || !step.is_finite() || step <= 0.0 {
        return x;
    }
    let steps = round_significant(
        round_significant(x, COMPARISON_SIGNIFICANT_DIGITS) / step,
        COMPARISON_SIGNIFICANT_DIGITS,
    );
    // `f64::round` rounds halves away from zero.
    round_significant(steps.round() * step, COMPARISON_SIGNIFICANT_DIGITS)
}

/// The comparison value of any derived number (9 significant digits).
pub fn cmp_value(x: f64) -> f64 {
    round_significant(x, COMPARISON_SIGNIFICANT_DIGITS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nine_digits_removes_binary_noise() {
        assert_eq!(round_significant(1.4499999999999997, 9), 1.45);
        assert_eq!(round_significant(15.4 / 44.0, 9), 0.35);
        assert_eq!(round_significant(0.1 + 0.2, 9), 0.3);
    }

    #[test]
    fn nine_digits_rounds_halves_away_from_zero() {
        assert_eq!(round_significant(1.234567895, 9), 1.2345679);
        assert_eq!(round_significant(-1.234567895, 9), -1.2345679);
        assert_eq!(round_significant(9.999999999, 9), 10.0);
        assert_eq!(round_significant(123.0, 9), 123.0);
    }

    #[test]
    fn the_fast_path_agrees_with_decimal_rounding() {
        let mut x = 0.000123456789f64;
        let mut seed = 0x2545F4914F6CDD1Du64;
        for _ in 0..200_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let mantissa = (seed % 1_000_000_007) as f64 / 1_000_000_007.0 + 0.05;
            let exponent = ((seed >> 32) % 12) as i32 - 6;
            x = mantissa * 10f64.powi(exponent) * if seed & 1 == 0 { 1.0 } else { -1.0 };
            assert_eq!(
                round_significant(x, 9),
                round_significant_decimal(x, 9),
                "{x:e}"
            );
        }
        for v in [
            1.4499999999999997,
            15.4 / 44.0,
            0.1 + 0.2,
            64.0 * 0.35 * 3.0 + 12.8,
        ] {
            assert_eq!(
                round_significant(v, 9),
                round_significant_decimal(v, 9),
                "{v:e}"
            );
        }
        // Around every power of ten the table covers, and one ulp either side of it.
        for k in -22..=22 {
            let p = 10f64.powi(k);
            for v in [
                p,
                f64::from_bits(p.to_bits() + 1),
                f64::from_bits(p.to_bits() - 1),
                p * 9.999999995,
                -p,
            ] {
                assert_eq!(
                    round_significant(v, 9),
                    round_significant_decimal(v, 9),
                    "{v:e}"
                );
            }
        }
        assert!(x.is_finite());
    }

    #[test]
    fn the_decimal_exponent_is_the_floor_of_log10() {
        let mut seed = 0x9E3779B97F4A7C15u64;
        for _ in 0..100_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let a = f64::from_bits((seed >> 12) | 0x3FF0_0000_0000_0000) // [1, 2)
                * 10f64.powi(((seed >> 40) % 44) as i32 - 22);
            if let Some(k) = decimal_exponent(a) {
                assert_eq!(k, a.log10().floor() as i32, "{a:e}");
            }
        }
        assert_eq!(decimal_exponent(1.0), Some(0));
        assert_eq!(decimal_exponent(9.99), Some(0));
        assert_eq!(decimal_exponent(10.0), Some(1));
        assert_eq!(decimal_exponent(0.1), Some(-1));
        assert_eq!(decimal_exponent(0.099), Some(-2));
        assert_eq!(decimal_exponent(1e22), None);
    }

    #[test]
    fn pump_step_rounds_ties_up() {
        assert_eq!(round_to_step(1.4499999999999997, 0.1), 1.5);
        assert_eq!(round_to_step(0.25, 0.1), 0.3);
        assert_eq!(round_to_step(39.91612856, 0.1), 39.9);
        assert_eq!(round_to_step(0.04, 0.1), 0.0);
        assert_eq!(round_to_step(63.865805696, 0.1), 63.9);
    }

    #[test]
    fn conversions_are_the_definitions() {
        assert_eq!(Pounds(176.0).to_kg().value(), 176.0 * 0.45359237);
        let mg_per_kg_per_h = McgPerKgPerMin(10.0).to_mg_per_kg_per_h();
        assert!((mg_per_kg_per_h.value() - 0.6).abs() < 1e-12);
        assert_eq!(
            cmp_value(MgPerKgPerHour(0.5).to_mcg_per_kg_per_min().0),
            8.33333333
        );
    }
}
