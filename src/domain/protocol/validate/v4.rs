//! Pack checks for the rules v4 values: pump maxima, the concentration floor, weight bands,
//! drugs listed only for some tiers or answers, and seizure doses that are never age-adjusted.

use super::checker::PackChecker;
use crate::domain::protocol::{ProtocolPack, RescueCategory};

pub(super) fn validate_v4_values(p: &ProtocolPack, c: &mut PackChecker<'_>) {
    let dl = &p.dose_limits;
    for (path, t) in [
        (
            "dose_limits.pump_max_bag_ml_per_h",
            &dl.pump_max_bag_ml_per_h,
        ),
        (
            "dose_limits.pump_max_syringe_ml_per_h",
            &dl.pump_max_syringe_ml_per_h,
        ),
        (
            "input_limits.concentration_mg_per_ml_min",
            &p.input_limits.concentration_mg_per_ml_min,
        ),
        (
            "tests.continuous_exposure_above_h",
            &p.tests.continuous_exposure_above_h,
        ),
        (
            "population.adult_weight_unusual_below_kg",
            &p.population.adult_weight_unusual_below_kg,
        ),
        (
            "population.bmi_unusual_below",
            &p.population.bmi_unusual_below,
        ),
    ] {
        if !(t.value.is_finite() && t.value > 0.0) {
            c.error(path, "must be a number more than 0");
        }
    }
    let floor = p.input_limits.concentration_mg_per_ml_min.value;
    for conc in &p.concentrations {
        if conc.mg_per_ml < floor {
            c.error(
                &format!("concentrations[{}]", conc.label),
                "a standard concentration cannot be below input_limits.concentration_mg_per_ml_min",
            );
        }
    }
    let screening_exists = |code: &str| {
        p.findings
            .iter()
            .any(|f| f.code == code && f.screening.is_some())
    };
    for (i, r) in p.rescue_medications.iter().enumerate() {
        let path = format!("rescue_medications[{i}:{}]", r.drug);
        if r.category == RescueCategory::Seizure && r.elderly_dose.is_some() {
            c.error(
                &format!("{path}.elderly_dose"),
                "seizure doses are never lowered for age",
            );
        }
        for code in &r.only_when_codes {
            if !screening_exists(code) {
                c.error(
                    &format!("{path}.only_when_codes"),
                    format!("unknown screening code {code}"),
                );
            }
        }
        let mut previous_kg = f64::INFINITY;
        for (b, band) in r.weight_bands.iter().enumerate() {
            let band_path = format!("{path}.weight_bands[{b}]");
            let bound = match (&band.above_kg, &band.from_kg) {
                (Some(t), None) | (None, Some(t)) => Some(t.value),
                _ => None,
            };
            match bound {
                None => c.error(&band_path, "give exactly one of above_kg or from_kg"),
                Some(kg) if !(kg.is_finite() && kg > 0.0 && kg < previous_kg) => c.error(
                    &band_path,
                    "weights must be more than 0 and fall from the heaviest band down",
                ),
                Some(kg) => previous_kg = kg,
            }
            if !(band.dose_mg.is_finite() && band.dose_mg > 0.0) {
                c.error(&format!("{band_path}.dose_mg"), "must be more than 0");
            }
            c.non_empty(&format!("{band_path}.dose"), &band.dose);
            c.non_empty(&format!("{band_path}.max"), &band.max);
        }
        if !r.weight_bands.is_empty() && r.below_bands_dose.as_deref().is_none_or(str::is_empty) {
            c.error(
                &format!("{path}.below_bands_dose"),
                "say what to do below the lightest weight band",
            );
        }
    }
}
