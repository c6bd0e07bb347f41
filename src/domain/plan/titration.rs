//! A plan's titration table: from the starting rate to the ceiling in the pack's steps, each
//! row with its pump rate.

use super::limits::pump_rate;
use crate::domain::protocol::ProtocolPack;
use crate::domain::text::Text;
use crate::domain::units::{Kilograms, MgPerKgPerHour, MgPerMl, cmp_value};
use serde::Serialize;

/// One row of the titration table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TitrationStep {
    pub mg_per_kg_per_h: f64,
    pub mcg_per_kg_per_min: f64,
    pub mg_per_h: f64,
    pub pump_ml_per_h: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Titration {
    pub step_mg_per_kg_per_h: f64,
    pub interval_min: f64,
    pub hold_reduction_fraction: f64,
    pub instruction: Text,
    pub source: Text,
    /// From the starting rate to the ceiling; the last row is the ceiling.
    pub steps: Vec<TitrationStep>,
}

/// The titration table never grows past this many rows (a 0.1 mg/kg/h step from
/// near 0 to the 7 mg/kg/h maximum is 70 rows).
pub const MAX_TITRATION_ROWS: usize = 120;

/// The titration table from the starting rate to the ceiling, or None without titration.
pub(super) fn titration(
    pack: &ProtocolPack,
    start: MgPerKgPerHour,
    ceiling: MgPerKgPerHour,
    w: Kilograms,
    concentration: MgPerMl,
) -> Option<Titration> {
    let rules = &pack.titration;
    let step = rules.step_mg_per_kg_per_h.value;
    let (start_cmp, ceiling_cmp) = (start.for_comparison(), ceiling.for_comparison());
    if ceiling_cmp <= start_cmp || step <= 0.0 {
        return None;
    }
    let row = |rate: MgPerKgPerHour| {
        let mg_per_h = rate.times_weight(w);
        TitrationStep {
            mg_per_kg_per_h: rate.value(),
            mcg_per_kg_per_min: rate.to_mcg_per_kg_per_min().value(),
            mg_per_h: mg_per_h.value(),
            pump_ml_per_h: pump_rate(
                mg_per_h,
                concentration,
                pack.dose_limits.pump_step_ml_per_h.value,
            )
            .value(),
        }
    };
    let mut steps = Vec::new();
    let mut i = 0u32;
    loop {
        let rate = cmp_value(start.value() + f64::from(i) * step);
        if rate >= ceiling_cmp || steps.len() + 1 >= MAX_TITRATION_ROWS {
            break;
        }
        steps.push(row(MgPerKgPerHour(rate)));
        i += 1;
    }
    steps.push(row(ceiling));
    Some(Titration {
        step_mg_per_kg_per_h: step,
        interval_min: rules.interval_min.value,
        hold_reduction_fraction: rules.hold_reduction_fraction.value,
        instruction: rules.instruction.clone(),
        source: rules.source.clone(),
        steps,
    })
}
