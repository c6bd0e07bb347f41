//! Pack validation: every consistency check, each error located at its field's `line:column`.

use super::catalogue::{Escalation, EscalationWhen};
use super::codes::{
    ALERT_CODES, CONTRACT_CONDITIONS, CONTRACT_SCREENING_CODES, COURSE_FINDING_CODES,
    RULE_FINDING_CODES,
};
use super::error::ProtocolError;
use super::pack::ProtocolPack;
use super::paths::{format_threshold_value, pack_thresholds, text_sections};
use super::rescue::RescueCategory;
use super::sourced::Threshold;
use std::collections::BTreeSet;

mod input_9b;
mod v4;

/// Find where a dotted field path is written in the pack text, as 1-based line:column.
/// Keys are searched in order, each after the previous one; `[code]` segments search for
/// the quoted code. Falls back to the last position found (1:1 at worst).
fn locate(text: &str, path: &str) -> (usize, usize) {
    let mut pos = 0usize;
    for segment in path.split('.') {
        let (key, bracket) = match segment.split_once('[') {
            Some((k, rest)) => (k, Some(rest.trim_end_matches(']'))),
            None => (segment, None),
        };
        if !key.is_empty()
            && let Some(found) = find_key(text, pos, key)
        {
            pos = found;
        }
        if let Some(inner) = bracket {
            let needle = format!("\"{inner}\"");
            if let Some(found) = text.get(pos..).and_then(|t| t.find(&needle)) {
                pos += found;
            }
        }
    }
    line_column(text, pos)
}

fn find_key(text: &str, from: usize, key: &str) -> Option<usize> {
    let hay = text.get(from..)?;
    let mut offset = 0;
    while let Some(i) = hay.get(offset..)?.find(key) {
        let start = offset + i;
        let before_ok = start == 0
            || !hay[..start]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '"');
        let after = hay[start + key.len()..].trim_start();
        if before_ok && after.starts_with(':') {
            return Some(from + start);
        }
        offset = start + key.len();
    }
    None
}

fn line_column(text: &str, pos: usize) -> (usize, usize) {
    let before = text.get(..pos).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

struct PackChecker<'a> {
    text: &'a str,
    errors: Vec<ProtocolError>,
}

impl PackChecker<'_> {
    fn error(&mut self, field: &str, message: impl Into<String>) {
        let (line, column) = locate(self.text, field);
        self.errors.push(ProtocolError {
            field: field.to_string(),
            line,
            column,
            message: message.into(),
        });
    }

    fn non_empty(&mut self, field: &str, value: &str) {
        if value.trim().is_empty() {
            self.error(field, "must not be empty");
        }
    }

    /// `lower` must be strictly below `upper` (e.g. a soft limit below its hard limit).
    fn below(&mut self, lower: (&str, &Threshold), upper: (&str, &Threshold)) {
        if lower.1.value >= upper.1.value {
            self.error(
                lower.0,
                format!(
                    "{} must be below {} ({})",
                    format_threshold_value(lower.1.value),
                    upper.0,
                    format_threshold_value(upper.1.value)
                ),
            );
        }
    }
}

pub(super) fn validate_pack(p: &ProtocolPack, text: &str) -> Result<(), ProtocolError> {
    let mut c = PackChecker {
        text,
        errors: Vec::new(),
    };
    c.non_empty("id", &p.id);
    c.non_empty("version", &p.version);
    c.non_empty("product", &p.product);
    let sh = &p.sheet;
    for (path, text) in [
        (
            "sheet.drug_library.care_area_standard",
            &sh.drug_library.care_area_standard,
        ),
        (
            "sheet.drug_library.care_area_monitored",
            &sh.drug_library.care_area_monitored,
        ),
        (
            "sheet.drug_library.care_area_icu",
            &sh.drug_library.care_area_icu,
        ),
        ("sheet.drug_library.fallback", &sh.drug_library.fallback),
        ("sheet.drug_library.source", &sh.drug_library.source),
        (
            "sheet.titration_goal.sedation_ceiling",
            &sh.titration_goal.sedation_ceiling,
        ),
        (
            "sheet.titration_goal.stop_increasing",
            &sh.titration_goal.stop_increasing,
        ),
        (
            "sheet.titration_goal.who_may_titrate",
            &sh.titration_goal.who_may_titrate,
        ),
        ("sheet.titration_goal.source", &sh.titration_goal.source),
        ("sheet.emergency.number", &sh.emergency.number),
        ("sheet.emergency.source", &sh.emergency.source),
        ("sheet.tall_man.source", &sh.tall_man.source),
    ] {
        c.non_empty(path, text);
    }
    for (i, name) in sh.tall_man.names.iter().enumerate() {
        if name.trim().is_empty() || !name.is_ascii() {
            c.error(
                &format!("sheet.tall_man.names[{i}]"),
                "must be a drug name in ASCII letters",
            );
        }
    }
    for (i, r) in sh.benzodiazepine_free.iter().enumerate() {
        c.non_empty(&format!("sheet.benzodiazepine_free[{i}].from"), &r.from);
    }
    for (path, t) in pack_thresholds(p) {
        if !t.value.is_finite() || t.value < 0.0 {
            c.error(&path, "must be a finite number, 0 or more");
        }
        c.non_empty(&format!("{path}.source"), &t.source);
    }
    let dl = &p.dose_limits;
    c.below(
        (
            "dose_limits.bolus_soft_above_mg_per_kg",
            &dl.bolus_soft_above_mg_per_kg,
        ),
        (
            "dose_limits.bolus_hard_from_mg_per_kg",
            &dl.bolus_hard_from_mg_per_kg,
        ),
    );
    c.below(
        (
            "dose_limits.infusion_icu_above_mg_per_kg_per_h",
            &dl.infusion_icu_above_mg_per_kg_per_h,
        ),
        (
            "dose_limits.infusion_maximum_above_mg_per_kg_per_h",
            &dl.infusion_maximum_above_mg_per_kg_per_h,
        ),
    );
    c.below(
        (
            "dose_limits.pump_soft_tolerance_fraction",
            &dl.pump_soft_tolerance_fraction,
        ),
        (
            "dose_limits.pump_hard_tolerance_fraction",
            &dl.pump_hard_tolerance_fraction,
        ),
    );
    c.below(
        (
            "dose_limits.bolus_hard_from_mg_per_kg",
            &dl.bolus_hard_from_mg_per_kg,
        ),
        (
            "input_limits.bolus_implausible_above_mg_per_kg",
            &p.input_limits.bolus_implausible_above_mg_per_kg,
        ),
    );
    c.below(
        (
            "dose_limits.infusion_maximum_above_mg_per_kg_per_h",
            &dl.infusion_maximum_above_mg_per_kg_per_h,
        ),
        (
            "input_limits.infusion_implausible_above_mg_per_kg_per_h",
            &p.input_limits.infusion_implausible_above_mg_per_kg_per_h,
        ),
    );
    if dl.pump_step_ml_per_h.value <= 0.0 {
        c.error("dose_limits.pump_step_ml_per_h", "must be more than 0");
    }
    c.below(
        ("annual.high_above", &p.annual.high_above),
        ("annual.exceeded_above", &p.annual.exceeded_above),
    );
    let mon = &p.monitoring;
    c.below(
        (
            "monitoring.infusion_monitored_from_mg_per_kg_per_h",
            &mon.infusion_monitored_from_mg_per_kg_per_h,
        ),
        (
            "dose_limits.infusion_icu_above_mg_per_kg_per_h",
            &dl.infusion_icu_above_mg_per_kg_per_h,
        ),
    );
    let factor = mon.reduced_threshold_factor.value;
    if !(factor > 0.0 && factor <= 1.0) {
        c.error(
            "monitoring.reduced_threshold_factor",
            "must be more than 0 and at most 1",
        );
    }
    let il = &p.input_limits;
    c.below(
        ("input_limits.weight_kg_min", &il.weight_kg_min),
        ("input_limits.weight_kg_max", &il.weight_kg_max),
    );
    c.below(
        ("input_limits.height_cm_min", &il.height_cm_min),
        ("input_limits.height_cm_max", &il.height_cm_max),
    );
    c.below(
        ("input_limits.bolus_minutes_min", &il.bolus_minutes_min),
        ("input_limits.bolus_minutes_max", &il.bolus_minutes_max),
    );
    let dflt = il.bolus_minutes_default.value;
    if dflt < il.bolus_minutes_min.value || dflt > il.bolus_minutes_max.value {
        c.error(
            "input_limits.bolus_minutes_default",
            "must lie between bolus_minutes_min and bolus_minutes_max",
        );
    }
    if il.outpatient_duration_h_max.value > il.duration_h_max.value {
        c.error(
            "input_limits.outpatient_duration_h_max",
            "must not be above duration_h_max",
        );
    }
    let resp = &p.response;
    if resp.durable_single_outpatient_above_weeks.value > resp.durable_other_above_weeks.value {
        c.error(
            "response.durable_single_outpatient_above_weeks",
            "must not be above durable_other_above_weeks",
        );
    }

    // Findings: unique codes, non-empty text, every contract code present.
    let mut seen = BTreeSet::new();
    for f in &p.findings {
        let path = format!("findings[{}]", f.code);
        if f.code.trim().is_empty() {
            c.error("findings.code", "a finding has an empty code");
        } else if !seen.insert(f.code.as_str()) {
            c.error(&path, format!("duplicate code {}", f.code));
        }
        c.non_empty(&format!("{path}.title"), &f.title);
        c.non_empty(&format!("{path}.message"), &f.message);
        c.non_empty(&format!("{path}.source"), &f.source);
        if let Some(q) = &f.screening {
            c.non_empty(&format!("{path}.screening.question"), &q.question);
            c.non_empty(&format!("{path}.screening.group"), &q.group);
        }
        if let Some(e) = &f.escalation {
            c.non_empty(&format!("{path}.escalation.message"), &e.message);
            c.non_empty(&format!("{path}.escalation.source"), &e.source);
            if e.severity >= f.severity {
                c.error(
                    &format!("{path}.escalation.severity"),
                    "an escalation must be more severe than the finding's own severity",
                );
            }
        }
    }
    for code in CONTRACT_SCREENING_CODES {
        match p.findings.iter().find(|f| f.code == code) {
            None => c.error("findings", format!("screening code {code} is missing")),
            Some(f) if f.screening.is_none() => c.error(
                &format!("findings[{code}].screening"),
                "a contract screening code needs its screening question",
            ),
            Some(_) => {}
        }
    }
    for code in RULE_FINDING_CODES {
        if !seen.contains(code) {
            c.error("findings", format!("rule finding {code} is missing"));
        }
    }
    for code in COURSE_FINDING_CODES {
        if !seen.contains(code) {
            c.error("findings", format!("course finding {code} is missing"));
        }
    }
    let course = &p.course;
    if course.lft_raised_from_factor.value <= 1.0 {
        c.error("course.lft_raised_from_factor", "must be more than 1");
    }
    for (path, t) in [
        (
            "course.lft_value_below_u_per_l",
            &course.lft_value_below_u_per_l,
        ),
        (
            "course.cumulative_mg_prompt_from",
            &course.cumulative_mg_prompt_from,
        ),
    ] {
        if t.value <= 0.0 {
            c.error(path, "must be more than 0");
        }
    }
    if course
        .urinary_adverse_effect_words
        .iter()
        .any(|w| w.trim().is_empty())
    {
        c.error("course.urinary_adverse_effect_words", "a word is empty");
    }
    for f in &p.findings {
        if let Some(Escalation {
            when: EscalationWhen::WithCode(other),
            ..
        }) = &f.escalation
            && !p
                .findings
                .iter()
                .any(|g| &g.code == other && g.screening.is_some())
        {
            c.error(
                &format!("findings[{}].escalation.when", f.code),
                format!("unknown screening code {other}"),
            );
        }
    }
    let screening_exists = |code: &str| {
        p.findings
            .iter()
            .any(|f| f.code == code && f.screening.is_some())
    };
    for (list, codes) in [
        ("course.day_to_day_codes", &p.course.day_to_day_codes),
        (
            "follow_on.abuse_caution.when_codes",
            &p.follow_on.abuse_caution.when_codes,
        ),
        ("monitoring.lowering_codes", &p.monitoring.lowering_codes),
        ("tests.ecg_codes", &p.tests.ecg_codes),
        ("tests.lft_codes", &p.tests.lft_codes),
    ] {
        for code in codes {
            if !screening_exists(code) {
                c.error(&format!("{list}[{code}]"), "unknown screening code");
            }
        }
    }

    // Alerts: unique, every contract alert present with its kind.
    let mut seen_alerts = BTreeSet::new();
    for a in &p.alerts {
        let path = format!("alerts[{}]", a.code);
        if !seen_alerts.insert(a.code.as_str()) {
            c.error(&path, format!("duplicate code {}", a.code));
        }
        c.non_empty(&format!("{path}.title"), &a.title);
        c.non_empty(&format!("{path}.message"), &a.message);
        c.non_empty(&format!("{path}.source"), &a.source);
    }
    for (code, kind) in ALERT_CODES {
        match p.alerts.iter().find(|a| a.code == code) {
            None => c.error("alerts", format!("alert {code} is missing")),
            Some(a) if a.kind != kind => c.error(
                &format!("alerts[{code}].kind"),
                format!("must be {}", kind.as_str()),
            ),
            Some(_) => {}
        }
    }

    // Conditions.
    let mut seen_conditions = BTreeSet::new();
    for cond in &p.conditions {
        let path = format!("conditions[{}]", cond.code);
        if !seen_conditions.insert(cond.code.as_str()) {
            c.error(&path, format!("duplicate code {}", cond.code));
        }
        c.non_empty(&format!("{path}.name"), &cond.name);
        c.non_empty(&format!("{path}.grade"), &cond.grade);
        c.non_empty(&format!("{path}.certainty"), &cond.certainty);
        c.non_empty(&format!("{path}.source"), &cond.source);
        if let Some(code) = &cond.finding
            && !seen.contains(code.as_str())
        {
            c.error(
                &format!("{path}.finding"),
                format!("unknown finding {code}"),
            );
        }
    }
    for code in CONTRACT_CONDITIONS {
        if !seen_conditions.contains(code) {
            c.error("conditions", format!("condition {code} is missing"));
        }
    }

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

    validate_clinical_content(p, &mut c);
    v4::validate_v4_values(p, &mut c);
    input_9b::validate_input_values(p, &mut c);

    match c.errors.into_iter().next() {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Personnel, monitoring, rescue, titration and adverse-effect sections (step 2 content).
fn validate_clinical_content(p: &ProtocolPack, c: &mut PackChecker<'_>) {
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
        crate::domain::kinds::MonitoringTier::Standard,
        crate::domain::kinds::MonitoringTier::Monitored,
        crate::domain::kinds::MonitoringTier::Icu,
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
