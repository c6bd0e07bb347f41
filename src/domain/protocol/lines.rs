//! The pack's lines as a plan shows them — personnel, adverse effects, patient instructions
//! and the monitoring plan's sourced lines — chosen by tier, exposure and setting. They
//! depend on nothing else, so each of the twelve choices is built once when the pack is
//! loaded and every plan shares it instead of copying it.

use super::monitoring::MonitoringItemDef;
use super::pack::ProtocolPack;
use super::sourced::{LineExposure, SourcedText};
use crate::domain::kinds::MonitoringTier;
use crate::domain::text::Text;
use serde::Serialize;
use std::sync::Arc;

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

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AdverseEffect {
    pub effect: Text,
    pub detail: Text,
    pub source: Text,
}

/// What decides which text lines of the pack apply: the tier, and the exposure and
/// setting (V4-21: no multi-day lines for a single day, ICU lines only in the ICU).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineContext {
    pub tier: MonitoringTier,
    pub multi_day: bool,
    pub in_icu: bool,
}

impl LineContext {
    pub fn admits(self, t: &SourcedText) -> bool {
        let exposure_ok = match t.exposure {
            LineExposure::Any => true,
            LineExposure::SingleDay => !self.multi_day,
            LineExposure::MultiDay => self.multi_day,
        };
        (t.tiers.is_empty() || t.tiers.contains(&self.tier))
            && exposure_ok
            && t.in_icu.is_none_or(|icu| icu == self.in_icu)
    }

    /// Its place among the twelve.
    fn index(self) -> usize {
        let tier = match self.tier {
            MonitoringTier::Standard => 0,
            MonitoringTier::Monitored => 1,
            MonitoringTier::Icu => 2,
        };
        tier * 4 + usize::from(self.multi_day) * 2 + usize::from(self.in_icu)
    }

    fn all() -> impl Iterator<Item = LineContext> {
        [
            MonitoringTier::Standard,
            MonitoringTier::Monitored,
            MonitoringTier::Icu,
        ]
        .into_iter()
        .flat_map(|tier| {
            [(false, false), (false, true), (true, false), (true, true)]
                .into_iter()
                .map(move |(multi_day, in_icu)| LineContext {
                    tier,
                    multi_day,
                    in_icu,
                })
        })
    }
}

/// The lines of one context, shared by every plan that has it.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanLines {
    pub personnel: Arc<[PersonnelRequirement]>,
    /// The monitored items of the tier (a screening answer can add more).
    pub tier_items: Arc<[MonitoringItem]>,
    pub adverse_effects: Arc<[AdverseEffect]>,
    pub patient_instructions: Arc<[SourcedLine]>,
    pub frequencies: Arc<[SourcedLine]>,
    pub fasting: Arc<[SourcedLine]>,
    pub discharge_criteria: Arc<[SourcedLine]>,
    pub do_not_start: Arc<[SourcedLine]>,
    pub stop_criteria: Arc<[SourcedLine]>,
}

pub fn monitoring_item(i: &MonitoringItemDef) -> MonitoringItem {
    MonitoringItem {
        name: i.name.clone(),
        detail: i.detail.clone(),
        source: i.source.clone(),
        institution_default: i.institution_default,
    }
}

pub fn line(t: &SourcedText) -> SourcedLine {
    SourcedLine {
        label: t.label.clone(),
        text: t.text.clone(),
        source: t.source.clone(),
        institution_default: t.institution_default,
    }
}

fn lines(texts: &[SourcedText], context: LineContext) -> Arc<[SourcedLine]> {
    texts
        .iter()
        .filter(|t| context.admits(t))
        .map(line)
        .collect()
}

fn plan_lines(pack: &ProtocolPack, context: LineContext) -> PlanLines {
    let tier = context.tier;
    let mp = &pack.monitoring_plan;
    PlanLines {
        personnel: pack
            .personnel
            .iter()
            .filter(|p| p.tiers.contains(&tier))
            .map(|p| PersonnelRequirement {
                role: p.role.clone(),
                requirement: p.requirement.clone(),
                source: p.source.clone(),
                institution_default: p.institution_default,
            })
            .collect(),
        tier_items: mp
            .items
            .iter()
            .filter(|i| i.tiers.contains(&tier))
            .map(monitoring_item)
            .collect(),
        adverse_effects: pack
            .adverse_effects
            .iter()
            .filter(|a| a.tiers.is_empty() || a.tiers.contains(&tier))
            .map(|a| AdverseEffect {
                effect: a.effect.clone(),
                detail: a.detail.clone(),
                source: a.source.clone(),
            })
            .collect(),
        patient_instructions: lines(&pack.patient_instructions, context),
        frequencies: lines(&mp.frequencies, context),
        fasting: lines(&mp.fasting, context),
        discharge_criteria: lines(&mp.discharge_criteria, context),
        do_not_start: lines(&mp.do_not_start, context),
        stop_criteria: lines(&mp.stop_criteria, context),
    }
}

/// Every context's lines, in `LineContext::index` order.
#[derive(Debug, Clone, PartialEq)]
pub struct LineSets(Arc<[PlanLines]>);

impl LineSets {
    pub fn build(pack: &ProtocolPack) -> LineSets {
        LineSets(LineContext::all().map(|c| plan_lines(pack, c)).collect())
    }

    /// The lines of `context`; built from `pack` again if the sets are missing (never for a
    /// loaded pack).
    pub fn get(&self, pack: &ProtocolPack, context: LineContext) -> PlanLines {
        match self.0.get(context.index()) {
            Some(lines) => lines.clone(),
            None => plan_lines(pack, context),
        }
    }
}
