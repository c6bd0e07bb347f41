//! Dosing weight: actual, ideal (Devine) or adjusted, and BMI for display.

use crate::domain::patient::{DosingWeightBasis, Patient, Sex};
use crate::domain::protocol::DosingWeightRules;
use crate::domain::units::Kilograms;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DosingWeights {
    pub actual_kg: Kilograms,
    /// Devine ideal weight, never above the actual weight; None without height and sex.
    pub ideal_kg: Option<Kilograms>,
    /// Adjusted weight; None without height and sex.
    pub adjusted_kg: Option<Kilograms>,
    pub basis: DosingWeightBasis,
    pub dosing_kg: Kilograms,
    /// Body-mass index (kg/m²) when the height is known.
    pub bmi: Option<f64>,
}

/// Ideal body weight by Devine for a height and sex, before the "never above actual" cap.
pub fn devine_ideal_kg(rules: &DosingWeightRules, height_cm: f64, sex: Sex) -> Kilograms {
    let base = match sex {
        Sex::Male => rules.devine_male_base_kg.value,
        Sex::Female => rules.devine_female_base_kg.value,
    };
    // Nothing is added or taken for patients shorter than the base height.
    let above_cm = (height_cm - rules.devine_base_height_cm.value).max(0.0);
    Kilograms(base + rules.devine_kg_per_cm.value * above_cm)
}

/// All weights of a patient; `None` when the basis needs a height or sex that is missing.
pub fn dosing_weight(
    rules: &DosingWeightRules,
    patient: &Patient,
    basis: DosingWeightBasis,
) -> Option<DosingWeights> {
    let actual = patient.weight.kilograms();
    let (ideal, adjusted) = match (patient.height_cm, patient.sex) {
        (Some(h), Some(sex)) => {
            let ideal = Kilograms(devine_ideal_kg(rules, h, sex).value().min(actual.value()));
            // With the ideal capped at actual, actual < ideal gives adjusted = actual.
            let adjusted = Kilograms(
                ideal.value() + rules.adjusted_fraction.value * (actual.value() - ideal.value()),
            );
            (Some(ideal), Some(adjusted))
        }
        _ => (None, None),
    };
    let dosing = match basis {
        DosingWeightBasis::Actual => actual,
        DosingWeightBasis::Ideal => ideal?,
        DosingWeightBasis::Adjusted => adjusted?,
    };
    let bmi = patient
        .height_cm
        .filter(|h| *h > 0.0)
        .map(|h| actual.value() / ((h / 100.0) * (h / 100.0)));
    Some(DosingWeights {
        actual_kg: actual,
        ideal_kg: ideal,
        adjusted_kg: adjusted,
        basis,
        dosing_kg: dosing,
        bmi,
    })
}
