//! A plan's limit alerts: the bolus, the infusion's ceiling, the pump (its precision and the
//! container's maximum), the concentration and the weight, one alert per dose field.

use crate::domain::case::{Case, Setting};
use crate::domain::findings::{DoseField, LimitAlert};
use crate::domain::protocol::{AlertKind, Protocol, ProtocolPack};
use crate::domain::units::{
    MgPerHour, MgPerKg, MgPerKgPerHour, MgPerMl, MlPerHour, cmp_value, round_to_step,
};
use crate::domain::weight::DosingWeights;

/// The figures of a plan that its limit alerts judge.
#[derive(Debug, Clone, Copy)]
pub(super) struct DoseFigures {
    pub(super) bolus_mg_per_kg: Option<MgPerKg>,
    pub(super) ceiling_rate: MgPerKgPerHour,
    pub(super) start_mg_h: MgPerHour,
    pub(super) ceiling_mg_h: MgPerHour,
    pub(super) pump_ml: MlPerHour,
    pub(super) max_pump_ml: MlPerHour,
    pub(super) concentration: MgPerMl,
}

/// Limit alerts: one per dose field; the later (stronger) rule wins.
pub(super) fn limit_alerts(
    protocol: &Protocol,
    case: &Case,
    weights: &DosingWeights,
    figures: DoseFigures,
) -> Vec<LimitAlert> {
    let DoseFigures {
        bolus_mg_per_kg,
        ceiling_rate,
        start_mg_h,
        ceiling_mg_h,
        pump_ml,
        max_pump_ml,
        concentration,
    } = figures;
    let pack = &protocol.pack;
    let regimen = &case.regimen;
    let mut alerts = Vec::new();
    let dl = &pack.dose_limits;
    if let Some(per_kg) = bolus_mg_per_kg {
        let b = per_kg.for_comparison();
        let code = if b >= dl.bolus_hard_from_mg_per_kg.value {
            Some("bolus_anesthetic_range")
        } else if b > dl.bolus_soft_above_mg_per_kg.value {
            Some("bolus_above_guideline")
        } else {
            None
        };
        push_alert(protocol, &mut alerts, code, DoseField::Bolus);
    }
    let ceiling_cmp = ceiling_rate.for_comparison();
    let infusion_code = if ceiling_cmp > dl.infusion_maximum_above_mg_per_kg_per_h.value {
        Some("infusion_above_maximum")
    } else if ceiling_cmp > dl.infusion_icu_above_mg_per_kg_per_h.value {
        Some(if regimen.setting == Setting::Icu {
            "infusion_above_guideline"
        } else {
            "infusion_requires_icu"
        })
    } else {
        None
    };
    push_alert(protocol, &mut alerts, infusion_code, DoseField::Infusion);
    // The pump is checked at the starting rate and at the ceiling; the worse verdict wins.
    let pump_verdict = [(start_mg_h, pump_ml), (ceiling_mg_h, max_pump_ml)]
        .into_iter()
        .filter_map(|(ordered, ml)| pump_alert_kind(protocol, ordered, ml, concentration))
        .max();
    let pump_code = pump_verdict.map(|kind| match kind {
        AlertKind::Hard => "pump_rate_unachievable",
        AlertKind::Soft => "pump_rate_imprecise",
    });
    push_alert(protocol, &mut alerts, pump_code, DoseField::Pump);
    // V4-01: the infusion's pump rate (start and ceiling, not the bolus) against the
    // container's maximum; V4-02: a concentration weaker than every standard one.
    let max_ml_h = container_max_ml_per_h(pack, concentration);
    if pump_ml.for_comparison() > max_ml_h || max_pump_ml.for_comparison() > max_ml_h {
        push_alert(
            protocol,
            &mut alerts,
            Some("pump_rate_above_maximum"),
            DoseField::Concentration,
        );
    }
    let weakest_standard = pack
        .concentrations
        .iter()
        .map(|c| cmp_value(c.mg_per_ml))
        .reduce(f64::min);
    if weakest_standard.is_some_and(|weakest| concentration.for_comparison() < weakest) {
        push_alert(
            protocol,
            &mut alerts,
            Some("concentration_below_standard"),
            DoseField::Concentration,
        );
    }
    // V4-20: an adult's weight that is more likely a slip than a patient.
    let adult = f64::from(case.patient.age_years) >= pack.population.adult_from_age_years.value;
    let weight_unusual = adult
        && (cmp_value(weights.actual_kg.value())
            < pack.population.adult_weight_unusual_below_kg.value
            || weights
                .bmi
                .is_some_and(|bmi| cmp_value(bmi) < pack.population.bmi_unusual_below.value));
    if weight_unusual {
        push_alert(
            protocol,
            &mut alerts,
            Some("weight_unusual"),
            DoseField::Weight,
        );
    }
    alerts
}

/// The container's pump maximum for a concentration: a standard concentration's own
/// container; a non-standard concentration is mixed in a bag (V4-02's 0.1 mg/mL example is
/// judged against the bag's 250 mL/h).
fn container_max_ml_per_h(pack: &ProtocolPack, concentration: MgPerMl) -> f64 {
    let container = pack
        .standard_preparation(concentration.value())
        .map(|p| p.container.as_str());
    match container {
        Some("syringe") => pack.dose_limits.pump_max_syringe_ml_per_h.value,
        _ => pack.dose_limits.pump_max_bag_ml_per_h.value,
    }
}

/// mL/h for an ordered mg/h, rounded to the pump's step (halves away from zero).
pub fn pump_rate(ordered: MgPerHour, concentration: MgPerMl, step_ml_per_h: f64) -> MlPerHour {
    MlPerHour(round_to_step(
        ordered.at_concentration(concentration).value(),
        step_ml_per_h,
    ))
}

fn pump_alert_kind(
    protocol: &Protocol,
    ordered: MgPerHour,
    pump: MlPerHour,
    concentration: MgPerMl,
) -> Option<AlertKind> {
    let dl = &protocol.pack.dose_limits;
    if pump.for_comparison() <= 0.0 {
        return Some(AlertKind::Hard);
    }
    let delivered = pump.delivered(concentration).value();
    let deviation = cmp_value((delivered - ordered.value()).abs() / ordered.value());
    if deviation > dl.pump_hard_tolerance_fraction.value {
        Some(AlertKind::Hard)
    } else if deviation > dl.pump_soft_tolerance_fraction.value {
        Some(AlertKind::Soft)
    } else {
        None
    }
}

fn push_alert(
    protocol: &Protocol,
    alerts: &mut Vec<LimitAlert>,
    code: Option<&str>,
    field: DoseField,
) {
    if let Some(def) = code.and_then(|c| protocol.alert(c)) {
        alerts.push(LimitAlert {
            code: def.code.clone(),
            title: def.title.clone(),
            kind: def.kind,
            message: def.message.clone(),
            source: def.source.clone(),
            field,
        });
    }
}
