//! Preparation and pump programming for a plan: how many containers of the pack's standard
//! preparation, what goes into each, volumes to be infused, bag changes, and the pump box.
//!
//! Volumes are planned for the **ceiling** rate over the whole duration (the most the order
//! allows), so titration never runs the bag dry; the bolus is drawn from the first
//! container. A custom concentration has no standard preparation (the pharmacist prepares it).

use crate::domain::Plan;
use crate::domain::protocol::{PreparationDef, Protocol};
use crate::domain::units::cmp_value;
use serde::Serialize;

/// What goes into one container.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContainerRecipe {
    pub container: String,
    pub container_ml: f64,
    pub drug_mg: f64,
    pub vial_mg_per_ml: f64,
    pub vial_ml: f64,
    /// Vials opened for one container.
    pub vials: u32,
    /// mL drawn from the vials.
    pub drawn_ml: f64,
    pub diluent: String,
    pub diluent_ml: f64,
    /// Drug left in the opened vials (Schedule III: wasted with a witness).
    pub vial_remainder_mg: f64,
    pub beyond_use_hours: f64,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Preparation {
    pub concentration_mg_per_ml: f64,
    pub recipe: ContainerRecipe,
    /// Volume the session may need at the ceiling rate, bolus included.
    pub max_volume_ml: f64,
    /// Volume at the starting rate, bolus included.
    pub volume_ml: f64,
    pub containers: u32,
    /// Container changes during the session (containers − 1).
    pub bag_changes: u32,
    /// Volume to be infused per container, in order (the last may be partial).
    pub vtbi_ml: Vec<f64>,
    /// Drug prepared in all containers.
    pub prepared_mg: f64,
    /// Prepared drug beyond the most the order allows: wasted with a witness.
    pub expected_waste_mg: f64,
}

/// How the pump is programmed: through its drug library in dose mode (mg/kg/h), with the
/// mL/h it shows as the cross-check; plain mL/h mode (`rate_ml_per_h`, rounded to the pump
/// step) only as the fallback.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PumpProgram {
    pub mode: &'static str,
    /// The drug library's care area for the plan's monitoring tier (from the pack).
    pub care_area: String,
    /// The dose entered in dose mode.
    pub dose_mg_per_kg_per_h: f64,
    /// What the pump computes and shows in dose mode: dose × weight ÷ concentration.
    pub dose_mode_ml_per_h: f64,
    /// The ceiling in dose mode.
    pub max_dose_mg_per_kg_per_h: f64,
    /// mg/h the fallback mL/h rate delivers minus the dose-mode mg/h (0 when they agree).
    pub fallback_difference_mg_per_h: f64,
    /// The fallback: plain mL/h mode at the pump step.
    pub rate_ml_per_h: f64,
    pub max_rate_ml_per_h: f64,
    /// VTBI of the first container.
    pub vtbi_ml: Option<f64>,
    pub bolus_ml: Option<f64>,
    pub bolus_rate_ml_per_h: Option<f64>,
    pub bolus_minutes: Option<f64>,
    /// For a pump in dose mode: the weight to enter.
    pub dosing_weight_kg: f64,
    pub concentration_mg_per_ml: f64,
}

/// The pack's standard preparation for the plan's concentration, if any.
pub fn standard_preparation(
    protocol: &Protocol,
    concentration_mg_per_ml: f64,
) -> Option<&PreparationDef> {
    protocol
        .pack
        .concentrations
        .iter()
        .find(|c| cmp_value(c.mg_per_ml) == cmp_value(concentration_mg_per_ml))
        .and_then(|c| c.preparation.as_ref())
}

/// Whole units needed to hold `amount` when each holds `per_unit`, after the 9-digit rule
/// (so exactly one bag of volume is one bag, and one more mL is two).
fn units_needed(amount: f64, per_unit: f64) -> u32 {
    if per_unit <= 0.0 || amount <= 0.0 {
        return 0;
    }
    let ratio = cmp_value(amount / per_unit);
    // Bounded: amounts come from validated plans (≤ 336 h, ≤ 100 mg/kg/h).
    ratio.ceil().min(f64::from(u32::MAX)) as u32
}

pub fn preparation(protocol: &Protocol, plan: &Plan) -> Option<Preparation> {
    let def = standard_preparation(protocol, plan.concentration_mg_per_ml)?;
    let conc = plan.concentration_mg_per_ml;
    let bolus_ml = plan.bolus_mg.map_or(0.0, |mg| mg / conc);
    let max_volume_ml = cmp_value(bolus_ml + plan.max_pump_ml_per_h * plan.duration_h);
    let volume_ml = cmp_value(bolus_ml + plan.pump_ml_per_h * plan.duration_h);
    // Enough containers for the volume, and a fresh one whenever the beyond-use time ends.
    let by_volume = units_needed(max_volume_ml, def.container_ml);
    let by_time = units_needed(plan.duration_h, def.beyond_use_hours);
    let containers = by_volume.max(by_time).max(1);
    let mut vtbi_ml = Vec::new();
    let mut remaining = max_volume_ml;
    for _ in 0..containers {
        let this = remaining.min(def.container_ml).max(0.0);
        vtbi_ml.push(cmp_value(this));
        remaining = cmp_value(remaining - this);
    }
    let drug_mg = cmp_value(conc * def.container_ml);
    let drawn_ml = cmp_value(drug_mg / def.vial_mg_per_ml);
    let vials = units_needed(drawn_ml, def.vial_ml);
    let vial_remainder_mg =
        cmp_value(f64::from(vials) * def.vial_ml * def.vial_mg_per_ml - drug_mg);
    let prepared_mg = cmp_value(drug_mg * f64::from(containers));
    let max_mg = cmp_value(max_volume_ml * conc);
    Some(Preparation {
        concentration_mg_per_ml: conc,
        recipe: ContainerRecipe {
            container: def.container.clone(),
            container_ml: def.container_ml,
            drug_mg,
            vial_mg_per_ml: def.vial_mg_per_ml,
            vial_ml: def.vial_ml,
            vials,
            drawn_ml,
            diluent: def.diluent.clone(),
            diluent_ml: cmp_value(def.container_ml - drawn_ml),
            vial_remainder_mg,
            beyond_use_hours: def.beyond_use_hours,
            source: def.source.clone(),
        },
        max_volume_ml,
        volume_ml,
        containers,
        bag_changes: containers - 1,
        vtbi_ml,
        prepared_mg,
        expected_waste_mg: cmp_value((prepared_mg - max_mg).max(0.0)),
    })
}

pub fn pump_program(protocol: &Protocol, plan: &Plan) -> PumpProgram {
    let conc = plan.concentration_mg_per_ml;
    let bolus_ml = plan.bolus_mg.map(|mg| cmp_value(mg / conc));
    let bolus_rate = match (bolus_ml, plan.bolus_minutes) {
        (Some(ml), Some(min)) if min > 0.0 => Some(cmp_value(ml / (min / 60.0))),
        _ => None,
    };
    let weight = plan.dosing_weight_kg;
    let dose_mode_ml_per_h = if conc > 0.0 {
        cmp_value(plan.infusion_mg_per_kg_per_h * weight / conc)
    } else {
        0.0
    };
    PumpProgram {
        mode: "drug library, dose mode mg/kg/h",
        care_area: protocol
            .pack
            .sheet
            .drug_library
            .care_area(plan.monitoring_tier)
            .to_string(),
        dose_mg_per_kg_per_h: plan.infusion_mg_per_kg_per_h,
        dose_mode_ml_per_h,
        max_dose_mg_per_kg_per_h: plan.max_infusion_mg_per_kg_per_h,
        fallback_difference_mg_per_h: cmp_value(
            plan.pump_delivered_mg_per_h - plan.infusion_mg_per_h,
        ),
        rate_ml_per_h: plan.pump_ml_per_h,
        max_rate_ml_per_h: plan.max_pump_ml_per_h,
        vtbi_ml: preparation(protocol, plan).and_then(|p| p.vtbi_ml.first().copied()),
        bolus_ml,
        bolus_rate_ml_per_h: bolus_rate,
        bolus_minutes: plan.bolus_minutes,
        dosing_weight_kg: plan.dosing_weight_kg,
        concentration_mg_per_ml: conc,
    }
}
