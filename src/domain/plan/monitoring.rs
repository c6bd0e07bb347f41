//! A plan's monitoring: the personnel, monitored items and sourced text lines that apply to
//! its tier, exposure and setting, and the adverse effects to watch for.

use crate::domain::case::Case;
use crate::domain::findings::MonitoringTier;
use crate::domain::protocol::{LineExposure, ProtocolPack, SourcedText};
use crate::domain::text::Text;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PersonnelRequirement {
    pub role: Text,
    pub requirement: Text,
    pub source: Text,
    pub institution_default: bool,
}

/// A line of text with its source (frequency, criterion, instruction).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourcedLine {
    pub label: Text,
    pub text: Text,
    pub source: Text,
    pub institution_default: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonitoringItem {
    pub name: Text,
    pub detail: Text,
    pub source: Text,
    pub institution_default: bool,
}

/// What to monitor, how often, and when to stop, for this plan's tier.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonitoringPlan {
    pub tier: MonitoringTier,
    pub tier_meaning: Text,
    pub tier_source: Text,
    pub sedation_scale: SourcedLine,
    pub items: Vec<MonitoringItem>,
    pub frequencies: Vec<SourcedLine>,
    pub fasting: Vec<SourcedLine>,
    pub oxygen: SourcedLine,
    pub discharge_aldrete_from: f64,
    pub discharge_criteria: Vec<SourcedLine>,
    pub do_not_start: Vec<SourcedLine>,
    pub stop_criteria: Vec<SourcedLine>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AdverseEffect {
    pub effect: Text,
    pub detail: Text,
    pub source: Text,
}

pub(super) fn lines(texts: &[SourcedText], context: LineContext) -> Vec<SourcedLine> {
    texts
        .iter()
        .filter(|t| context.admits(t))
        .map(line)
        .collect()
}

/// What decides which text lines of the pack apply: the tier, and the exposure and
/// setting (V4-21: no multi-day lines for a single day, ICU lines only in the ICU).
#[derive(Debug, Clone, Copy)]
pub(super) struct LineContext {
    pub(super) tier: MonitoringTier,
    pub(super) multi_day: bool,
    pub(super) in_icu: bool,
}

impl LineContext {
    fn admits(self, t: &SourcedText) -> bool {
        let exposure_ok = match t.exposure {
            LineExposure::Any => true,
            LineExposure::SingleDay => !self.multi_day,
            LineExposure::MultiDay => self.multi_day,
        };
        (t.tiers.is_empty() || t.tiers.contains(&self.tier))
            && exposure_ok
            && t.in_icu.is_none_or(|icu| icu == self.in_icu)
    }
}

fn line(t: &SourcedText) -> SourcedLine {
    SourcedLine {
        label: t.label.clone(),
        text: t.text.clone(),
        source: t.source.clone(),
        institution_default: t.institution_default,
    }
}

pub(super) fn monitoring_plan(
    pack: &ProtocolPack,
    case: &Case,
    context: LineContext,
) -> MonitoringPlan {
    let tier = context.tier;
    let mp = &pack.monitoring_plan;
    let tier_def = mp.tiers.iter().find(|t| t.tier == tier);
    MonitoringPlan {
        tier,
        tier_meaning: tier_def.map(|t| t.meaning.clone()).unwrap_or_default(),
        tier_source: tier_def.map(|t| t.source.clone()).unwrap_or_default(),
        sedation_scale: line(&mp.sedation_scale),
        items: mp
            .items
            .iter()
            .filter(|i| {
                i.tiers.contains(&tier) || i.when_codes.iter().any(|c| case.answered_yes(c))
            })
            .map(|i| MonitoringItem {
                name: i.name.clone(),
                detail: i.detail.clone(),
                source: i.source.clone(),
                institution_default: i.institution_default,
            })
            .collect(),
        frequencies: lines(&mp.frequencies, context),
        fasting: lines(&mp.fasting, context),
        oxygen: line(&mp.oxygen),
        discharge_aldrete_from: mp.discharge_aldrete_from.value,
        discharge_criteria: lines(&mp.discharge_criteria, context),
        do_not_start: lines(&mp.do_not_start, context),
        stop_criteria: lines(&mp.stop_criteria, context),
    }
}
