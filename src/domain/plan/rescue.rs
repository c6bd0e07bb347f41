//! A plan's rescue, seizure, reversal and premedication drugs: those listed for its tier and
//! answers, with the elderly, weight-based or weight-band dose and the warnings that apply.

use crate::domain::case::Case;
use crate::domain::findings::MonitoringTier;
use crate::domain::protocol::{ProtocolPack, RescueCategory, RescueDef};
use crate::domain::text::Text;
use crate::domain::units::{Kilograms, cmp_value};
use serde::Serialize;

/// The screening code whose Yes removes benzodiazepines from the rescue list (contract).
pub const BENZODIAZEPINE_CONTRAINDICATION: &str = "benzodiazepine_contraindication";

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DrugWarning {
    pub text: Text,
    pub source: Text,
}

/// A rescue, seizure, reversal or premedication drug for this plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RescueMedication {
    pub drug: Text,
    #[serde(rename = "for")]
    pub indication: Text,
    pub category: RescueCategory,
    /// The dose as ordered (age-adjusted text at the elderly age).
    pub dose: Text,
    pub route: Text,
    pub repeat: Text,
    pub max: Text,
    /// For weight-based doses: mg for this patient's dosing weight, capped per dose.
    pub calculated_dose_mg: Option<f64>,
    /// True when the elderly dose was chosen.
    pub age_adjusted: bool,
    pub warnings: Vec<DrugWarning>,
    pub source: Text,
    pub institution_default: bool,
}

/// The drugs of the plan: the rescue list, or (`premedication`) the optional premedication.
pub(super) fn rescue_list(
    pack: &ProtocolPack,
    case: &Case,
    monitoring_tier: MonitoringTier,
    w: Kilograms,
    actual_kg: Kilograms,
    premedication: bool,
) -> Vec<RescueMedication> {
    let mon = &pack.monitoring;
    let benzodiazepines_contraindicated = case.answered_yes(BENZODIAZEPINE_CONTRAINDICATION);
    let elderly = f64::from(case.patient.age_years) >= mon.elderly_from_age_years.value;
    pack.rescue_medications
        .iter()
        .filter(|r| (r.category == RescueCategory::Premedication) == premedication)
        .filter(|r| !(r.benzodiazepine && benzodiazepines_contraindicated))
        // No benzodiazepine is given, so there is nothing for flumazenil to reverse.
        .filter(|r| !(r.benzodiazepine_reversal && benzodiazepines_contraindicated))
        .filter(|r| !r.only_when_benzodiazepine_contraindicated || benzodiazepines_contraindicated)
        .filter(|r| r.only_tiers.is_empty() || r.only_tiers.contains(&monitoring_tier))
        .filter(|r| {
            r.only_when_codes.is_empty() || r.only_when_codes.iter().any(|c| case.answered_yes(c))
        })
        .map(|r| rescue_item(r, case, elderly, w, actual_kg))
        .collect()
}

fn rescue_item(
    r: &RescueDef,
    case: &Case,
    elderly: bool,
    w: Kilograms,
    actual: Kilograms,
) -> RescueMedication {
    // Seizure doses are never lowered for age (V4-04): only sedation doses carry an
    // elderly dose, and the pack refuses one on a seizure drug.
    let age_adjusted = elderly && r.elderly_dose.is_some();
    let mut dose = match (&r.elderly_dose, age_adjusted) {
        (Some(d), true) => d.clone(),
        _ => r.dose.clone(),
    };
    let mut max = match (&r.elderly_max, age_adjusted) {
        (Some(m), true) => m.clone(),
        _ => r.max.clone(),
    };
    let mut calculated_dose_mg = r
        .weight_based
        .as_ref()
        .map(|wb| cmp_value(wb.mg_per_kg * w.value()).min(wb.max_mg));
    if !r.weight_bands.is_empty() {
        let weight = cmp_value(actual.value());
        match r.weight_bands.iter().find(|b| b.admits(weight)) {
            Some(band) => {
                dose = band.dose.clone();
                max = band.max.clone();
                calculated_dose_mg = Some(band.dose_mg);
            }
            None => {
                dose = r.below_bands_dose.clone().unwrap_or_default();
                calculated_dose_mg = None;
            }
        }
    }
    let warnings = r
        .warnings
        .iter()
        .filter(|warn| {
            warn.when_codes.is_empty() || warn.when_codes.iter().any(|c| case.answered_yes(c))
        })
        .map(|warn| DrugWarning {
            text: warn.text.clone(),
            source: warn.source.clone(),
        })
        .collect();
    RescueMedication {
        drug: r.drug.clone(),
        indication: r.indication.clone(),
        category: r.category,
        dose,
        route: r.route.clone(),
        repeat: r.repeat.clone(),
        max,
        calculated_dose_mg,
        age_adjusted,
        warnings,
        source: r.source.clone(),
        institution_default: r.institution_default,
    }
}
