//! Preparation and pump programming for a plan: how many containers of the pack's standard
//! preparation, what goes into each, volumes to be infused, bag changes, and the pump box.
//!
//! Volumes are planned for the **ceiling** rate over the whole duration (the most the order
//! allows), so titration never runs the bag dry; the bolus is drawn from the first
//! container. Containers and vials are chosen by need from what the pack stocks (least drug
//! prepared, then fewest containers; fewest vials, then least drug left in them).
//! A custom concentration has no standard preparation (the pharmacist prepares it).

use crate::domain::Plan;
use crate::domain::protocol::{PreparationDef, Protocol};
use crate::domain::units::cmp_value;
use serde::Serialize;

/// The vial the session is drawn from (chosen by need from the pack's stocked vials).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct VialChoice {
    pub mg_per_ml: f64,
    pub ml: f64,
}

impl VialChoice {
    pub fn mg(&self) -> f64 {
        cmp_value(self.mg_per_ml * self.ml)
    }
}

/// One container: its size, what goes into it, and the volume to be infused from it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContainerFill {
    pub size_ml: f64,
    pub drug_mg: f64,
    /// mL drawn from the vials.
    pub drawn_ml: f64,
    pub diluent_ml: f64,
    pub vtbi_ml: f64,
    /// Which preparation (0-based): a new one, with freshly opened vials, each time the
    /// containers' beyond-use time would end.
    pub round: u32,
}

/// Containers prepared together, from vials opened together.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PreparationRound {
    /// Hours after the start when this preparation is hung.
    pub from_h: f64,
    pub vials: u32,
    /// Drug left in the vials opened for this preparation (wasted with a witness).
    pub vial_remainder_mg: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Preparation {
    pub concentration_mg_per_ml: f64,
    /// "bag" or "syringe".
    pub container: String,
    pub diluent: String,
    pub beyond_use_hours: f64,
    pub source: String,
    pub vial: VialChoice,
    /// Every container of the session, in the order it is hung.
    pub fills: Vec<ContainerFill>,
    pub rounds: Vec<PreparationRound>,
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
    /// Vials opened for the whole session.
    pub vials: u32,
    /// Drug left in all opened vials.
    pub vial_remainder_mg: f64,
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
    protocol.pack.standard_preparation(concentration_mg_per_ml)
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

/// The containers for `volume_ml`, least prepared volume first, then fewest containers:
/// full containers of the largest size while more than one is needed, then the best one or
/// two sizes for the rest (never a large container for a small need).
fn containers_for(volume_ml: f64, sizes: &[f64]) -> Vec<f64> {
    let Some(largest) = sizes.iter().copied().reduce(f64::max) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut remaining = cmp_value(volume_ml);
    while remaining > largest {
        out.push(largest);
        remaining = cmp_value(remaining - largest);
    }
    if remaining <= 0.0 {
        return out;
    }
    let mut options: Vec<Vec<f64>> = sizes.iter().map(|s| vec![*s]).collect();
    for a in sizes {
        for b in sizes {
            if b <= a {
                options.push(vec![*a, *b]);
            }
        }
    }
    let best = options
        .into_iter()
        .filter(|o| cmp_value(o.iter().sum::<f64>()) >= remaining)
        .min_by(|x, y| {
            let (sx, sy) = (x.iter().sum::<f64>(), y.iter().sum::<f64>());
            sx.total_cmp(&sy).then(x.len().cmp(&y.len()))
        });
    out.extend(best.unwrap_or_else(|| vec![largest]));
    out
}

/// The stocked vial that needs the fewest vials for these preparations (each opens its
/// own), then leaves the least drug in them; one vial strength for the whole session, so
/// that every container is drawn alike. Returns the vial and, per preparation, the vials
/// opened and the drug left in them.
fn vial_for(
    drug_per_round_mg: &[f64],
    vials: &[VialChoice],
    concentration_mg_per_ml: f64,
) -> Option<(VialChoice, Vec<(u32, f64)>)> {
    vials
        .iter()
        // A vial weaker than the ordered concentration cannot make it.
        .filter(|v| v.mg() > 0.0 && cmp_value(v.mg_per_ml) >= cmp_value(concentration_mg_per_ml))
        .map(|v| {
            let per_round: Vec<(u32, f64)> = drug_per_round_mg
                .iter()
                .map(|drug| {
                    let n = units_needed(*drug, v.mg());
                    (n, cmp_value(f64::from(n) * v.mg() - drug).max(0.0))
                })
                .collect();
            (*v, per_round)
        })
        .min_by(|(_, a), (_, b)| {
            let left = |x: &[(u32, f64)]| x.iter().map(|r| r.1).sum::<f64>();
            let count = |x: &[(u32, f64)]| x.iter().map(|r| r.0).sum::<u32>();
            count(a).cmp(&count(b)).then(left(a).total_cmp(&left(b)))
        })
}

/// The session's preparation, choosing containers and vials by need (issue 20 item 7):
/// the session is split at each beyond-use time into preparations; each gets the containers
/// that hold its volume with the least drug prepared, and one set of vials opened for all
/// its containers (an opened vial is not kept for a later preparation).
pub fn preparation(protocol: &Protocol, plan: &Plan) -> Option<Preparation> {
    let def = standard_preparation(protocol, plan.concentration_mg_per_ml)?;
    let conc = plan.concentration_mg_per_ml;
    let bolus_ml = plan.bolus_mg.map_or(0.0, |mg| mg / conc);
    let max_volume_ml = cmp_value(bolus_ml + plan.max_pump_ml_per_h * plan.duration_h);
    let volume_ml = cmp_value(bolus_ml + plan.pump_ml_per_h * plan.duration_h);
    let sizes: Vec<f64> = if def.container_sizes_ml.is_empty() {
        vec![def.container_ml]
    } else {
        def.container_sizes_ml.clone()
    };
    let stocked: Vec<VialChoice> = if def.vial_options.is_empty() {
        vec![VialChoice {
            mg_per_ml: def.vial_mg_per_ml,
            ml: def.vial_ml,
        }]
    } else {
        def.vial_options
            .iter()
            .map(|v| VialChoice {
                mg_per_ml: v.mg_per_ml,
                ml: v.ml,
            })
            .collect()
    };
    // One preparation per beyond-use period; the bolus comes from the first.
    let periods = units_needed(plan.duration_h, def.beyond_use_hours).max(1);
    let mut chosen_per_round = Vec::new();
    for k in 0..periods {
        let from_h = f64::from(k) * def.beyond_use_hours;
        let hours = (plan.duration_h - from_h)
            .min(def.beyond_use_hours)
            .max(0.0);
        let mut need = plan.max_pump_ml_per_h * hours;
        if k == 0 {
            need += bolus_ml;
        }
        let need = cmp_value(need);
        chosen_per_round.push((from_h, need, containers_for(need, &sizes)));
    }
    let drug_per_round: Vec<f64> = chosen_per_round
        .iter()
        .map(|(_, _, chosen)| cmp_value(chosen.iter().map(|size| size * conc).sum()))
        .collect();
    let (vial, opened) = vial_for(&drug_per_round, &stocked, conc)?;
    let mut fills = Vec::new();
    let mut rounds = Vec::new();
    for (k, ((from_h, need, chosen), (vials, remainder))) in
        chosen_per_round.into_iter().zip(opened).enumerate()
    {
        let mut left = need;
        for size in chosen {
            let drug_mg = cmp_value(size * conc);
            let drawn_ml = cmp_value(drug_mg / vial.mg_per_ml);
            let vtbi = cmp_value(left.min(size).max(0.0));
            left = cmp_value(left - vtbi);
            fills.push(ContainerFill {
                size_ml: size,
                drug_mg,
                drawn_ml,
                diluent_ml: cmp_value(size - drawn_ml),
                vtbi_ml: vtbi,
                round: u32::try_from(k).unwrap_or(u32::MAX),
            });
        }
        rounds.push(PreparationRound {
            from_h,
            vials,
            vial_remainder_mg: remainder,
        });
    }
    let containers = u32::try_from(fills.len()).unwrap_or(u32::MAX).max(1);
    let prepared_mg = cmp_value(fills.iter().map(|f| f.drug_mg).sum());
    let max_mg = cmp_value(max_volume_ml * conc);
    Some(Preparation {
        concentration_mg_per_ml: conc,
        container: def.container.clone(),
        diluent: def.diluent.clone(),
        beyond_use_hours: def.beyond_use_hours,
        source: def.source.clone(),
        vial,
        vtbi_ml: fills.iter().map(|f| f.vtbi_ml).collect(),
        vials: rounds.iter().map(|r| r.vials).sum(),
        vial_remainder_mg: cmp_value(rounds.iter().map(|r| r.vial_remainder_mg).sum()),
        fills,
        rounds,
        max_volume_ml,
        volume_ml,
        containers,
        bag_changes: containers - 1,
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
