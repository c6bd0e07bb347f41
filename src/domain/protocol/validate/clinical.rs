//! The pack's clinical content: concentrations and their preparations, rescue drugs,
//! personnel, monitoring, titration, adverse effects, tests and follow-on options.

use super::checker::PackChecker;
use crate::domain::kinds::MonitoringTier;
use crate::domain::protocol::paths::text_sections;
use crate::domain::protocol::{ProtocolPack, RescueCategory};

/// Standard concentrations (and their preparations) and the rescue drugs' texts.
pub(super) fn validate_concentrations_and_rescue(p: &ProtocolPack, c: &mut PackChecker<'_>) {
    let il = &p.input_limits;
    for (i, conc) in p.concentrations.iter().enumerate() {
        if !(conc.mg_per_ml > 0.0 && conc.mg_per_ml <= il.concentration_mg_per_ml_max.value) {
            c.error(
                &format!("concentrations.mg_per_ml[{i}]"),
                "must be more than 0 and not above concentration_mg_per_ml_max",
            );
        }
        if let Some(prep) = &conc.preparation {
            let path = format!("concentrations.preparation[{i}]");
            let positive = [
                prep.container_ml,
                prep.vial_mg_per_ml,
                prep.vial_ml,
                prep.beyond_use_hours,
            ];
            if positive.iter().any(|x| !(x.is_finite() && *x > 0.0)) {
                c.error(&path, "container_ml, vial_mg_per_ml, vial_ml and beyond_use_hours must be more than 0");
            } else if prep.vial_mg_per_ml < conc.mg_per_ml {
                c.error(&path, "the vial must be stronger than the preparation");
            }
            c.non_empty(&format!("{path}.diluent"), &prep.diluent);
            c.non_empty(&format!("{path}.source"), &prep.source);
        }
    }
    for r in &p.rescue_medications {
        let path = format!("rescue_medications[{}]", r.drug);
        c.non_empty(&format!("{path}.drug"), &r.drug);
        c.non_empty(&format!("{path}.for"), &r.indication);
        c.non_empty(&format!("{path}.dose"), &r.dose);
        c.non_empty(&format!("{path}.route"), &r.route);
        c.non_empty(&format!("{path}.source"), &r.source);
    }
}

/// Personnel, monitoring, rescue, titration and adverse-effect sections (step 2 content).
pub(super) fn validate_clinical_content(p: &ProtocolPack, c: &mut PackChecker<'_>) {
    let screening_exists = |code: &str| {
        p.findings
            .iter()
            .any(|f| f.code == code && f.screening.is_some())
    };
    for r in &p.rescue_medications {
        for (i, w) in r.warnings.iter().enumerate() {
            let path = format!("rescue_medications[{}].warnings[{i}]", r.drug);
            c.non_empty(&path, &w.text);
            c.non_empty(&path, &w.source);
            for code in &w.when_codes {
                if !screening_exists(code) {
                    c.error(&path, format!("unknown screening code {code}"));
                }
            }
        }
        if let Some(wb) = &r.weight_based
            && !(wb.mg_per_kg > 0.0
                && wb.max_mg > 0.0
                && wb.mg_per_kg.is_finite()
                && wb.max_mg.is_finite())
        {
            c.error(
                &format!("rescue_medications[{}].weight_based", r.drug),
                "mg_per_kg and max_mg must be more than 0",
            );
        }
        if r.benzodiazepine && r.only_when_benzodiazepine_contraindicated {
            c.error(
                &format!(
                    "rescue_medications[{}].only_when_benzodiazepine_contraindicated",
                    r.drug
                ),
                "a benzodiazepine cannot be the alternative to a benzodiazepine",
            );
        }
    }
    // The seizure plan keeps a first-line drug when benzodiazepines are contraindicated.
    let seizure = |contraindicated: bool| {
        p.rescue_medications.iter().any(|r| {
            r.category == RescueCategory::Seizure
                && !(r.benzodiazepine && contraindicated)
                && (contraindicated || !r.only_when_benzodiazepine_contraindicated)
        })
    };
    if !seizure(false) || !seizure(true) {
        c.error(
            "rescue_medications",
            "the seizure plan needs a drug with and without benzodiazepines",
        );
    }
    for person in &p.personnel {
        let path = format!("personnel[{}]", person.role);
        c.non_empty(&format!("{path}.role"), &person.role);
        c.non_empty(&format!("{path}.requirement"), &person.requirement);
        c.non_empty(&format!("{path}.source"), &person.source);
        if person.tiers.is_empty() {
            c.error(&format!("{path}.tiers"), "must name at least one tier");
        }
    }
    let mp = &p.monitoring_plan;
    for tier in [
        MonitoringTier::Standard,
        MonitoringTier::Monitored,
        MonitoringTier::Icu,
    ] {
        if !mp.tiers.iter().any(|t| t.tier == tier) {
            c.error(
                "monitoring_plan.tiers",
                format!("tier {} is not described", tier.as_str()),
            );
        }
    }
    for t in &mp.tiers {
        c.non_empty("monitoring_plan.tiers.meaning", &t.meaning);
        c.non_empty("monitoring_plan.tiers.source", &t.source);
    }
    for item in &mp.items {
        let path = format!("monitoring_plan.items[{}]", item.name);
        c.non_empty(&format!("{path}.detail"), &item.detail);
        c.non_empty(&format!("{path}.source"), &item.source);
        for code in &item.when_codes {
            if !screening_exists(code) {
                c.error(
                    &format!("{path}.when_codes"),
                    format!("unknown screening code {code}"),
                );
            }
        }
    }
    let sections = text_sections(p);
    for (section, items) in sections {
        if items.is_empty() {
            c.error(section, "must not be empty");
        }
        for t in items {
            c.non_empty(&format!("{section}.text"), &t.text);
            c.non_empty(&format!("{section}.source"), &t.source);
        }
    }
    if p.titration.step_mg_per_kg_per_h.value <= 0.0 {
        c.error("titration.step_mg_per_kg_per_h", "must be more than 0");
    }
    let fraction = p.titration.hold_reduction_fraction.value;
    if !(fraction > 0.0 && fraction <= 1.0) {
        c.error(
            "titration.hold_reduction_fraction",
            "must be more than 0 and at most 1",
        );
    }
    c.non_empty("titration.instruction", &p.titration.instruction);
    c.non_empty("titration.source", &p.titration.source);
    for ae in &p.adverse_effects {
        c.non_empty(
            &format!("adverse_effects[{}].detail", ae.effect),
            &ae.detail,
        );
        c.non_empty(
            &format!("adverse_effects[{}].source", ae.effect),
            &ae.source,
        );
    }
    if p.adverse_effects.is_empty() {
        c.error("adverse_effects", "must not be empty");
    }
    for code in ["ecg", "lft_baseline", "lft_post"] {
        if !p
            .tests
            .names
            .iter()
            .any(|t| t.code == code && !t.name.trim().is_empty())
        {
            c.error("tests.names", format!("test {code} needs a name"));
        }
    }
    if p.population.ort_moderate_from.value >= p.population.ort_high_from.value {
        c.error(
            "population.ort_moderate_from",
            "must be below ort_high_from",
        );
    }
    for option in &p.follow_on.options {
        let path = format!("follow_on.options[{}]", option.name);
        let per_kg = option.mg_per_kg_low.zip(option.mg_per_kg_high);
        let fixed = option.fixed_mg_low.zip(option.fixed_mg_high);
        let range_ok = |(low, high): (f64, f64)| low > 0.0 && high >= low && high.is_finite();
        match (per_kg, fixed) {
            (Some(r), None) | (None, Some(r)) if range_ok(r) => {}
            _ => c.error(
                &path,
                "needs either mg_per_kg_low/high or fixed_mg_low/high, low > 0 and high ≥ low",
            ),
        }
        if option.round_to_mg.is_nan() || option.round_to_mg <= 0.0 {
            c.error(&format!("{path}.round_to_mg"), "must be more than 0");
        }
        if option.every_hours.is_some_and(|h| !(h > 0.0 && h <= 24.0)) {
            c.error(
                &format!("{path}.every_hours"),
                "must be more than 0 and at most 24",
            );
        }
        c.non_empty(&format!("{path}.source"), &option.source);
    }
}
