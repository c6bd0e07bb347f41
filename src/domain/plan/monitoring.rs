//! A plan's monitoring: the personnel, monitored items and sourced text lines that apply to
//! its tier, exposure and setting, and the adverse effects to watch for.

use crate::domain::case::Case;
use crate::domain::findings::MonitoringTier;
pub use crate::domain::protocol::{
    AdverseEffect, LineContext, MonitoringItem, PersonnelRequirement, SourcedLine,
};
use crate::domain::protocol::{PlanLines, ProtocolPack, line, monitoring_item};
use crate::domain::text::Text;
use serde::Serialize;
use std::sync::Arc;

/// What to monitor, how often, and when to stop, for this plan's tier.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonitoringPlan {
    pub tier: MonitoringTier,
    pub tier_meaning: Text,
    pub tier_source: Text,
    pub sedation_scale: SourcedLine,
    pub items: Arc<[MonitoringItem]>,
    pub frequencies: Arc<[SourcedLine]>,
    pub fasting: Arc<[SourcedLine]>,
    pub oxygen: SourcedLine,
    pub discharge_aldrete_from: f64,
    pub discharge_criteria: Arc<[SourcedLine]>,
    pub do_not_start: Arc<[SourcedLine]>,
    pub stop_criteria: Arc<[SourcedLine]>,
}

pub(super) fn monitoring_plan(
    pack: &ProtocolPack,
    case: &Case,
    context: LineContext,
    shared: &PlanLines,
) -> MonitoringPlan {
    let tier = context.tier;
    let mp = &pack.monitoring_plan;
    let tier_def = mp.tiers.iter().find(|t| t.tier == tier);
    MonitoringPlan {
        tier,
        tier_meaning: tier_def.map(|t| t.meaning.clone()).unwrap_or_default(),
        tier_source: tier_def.map(|t| t.source.clone()).unwrap_or_default(),
        sedation_scale: line(&mp.sedation_scale),
        items: if mp
            .items
            .iter()
            .any(|i| !i.tiers.contains(&tier) && i.when_codes.iter().any(|c| case.answered_yes(c)))
        {
            // A screening answer adds an item: this plan's own list, in pack order.
            mp.items
                .iter()
                .filter(|i| {
                    i.tiers.contains(&tier) || i.when_codes.iter().any(|c| case.answered_yes(c))
                })
                .map(monitoring_item)
                .collect()
        } else {
            shared.tier_items.clone()
        },
        frequencies: shared.frequencies.clone(),
        fasting: shared.fasting.clone(),
        oxygen: line(&mp.oxygen),
        discharge_aldrete_from: mp.discharge_aldrete_from.value,
        discharge_criteria: shared.discharge_criteria.clone(),
        do_not_start: shared.do_not_start.clone(),
        stop_criteria: shared.stop_criteria.clone(),
    }
}
