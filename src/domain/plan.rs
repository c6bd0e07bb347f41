//! `plan(&Protocol, &Case) -> Plan`: the one entry point of the clinical engine.
//! Pure (no I/O, no UI), cheap enough to run every frame.
//!
//! Every threshold comes from the protocol pack; every derived value is rounded to
//! 9 significant digits (`cmp_value`) before it is compared with one.

use crate::domain::case::{Case, Course, Setting};
use crate::domain::findings::{DoseField, Finding, LimitAlert, MonitoringTier, Proceed, proceed};
use crate::domain::protocol::{
    AlertKind, EscalationWhen, LineExposure, Protocol, ProtocolPack, RescueCategory, RescueDef,
    SourcedText,
};
use crate::domain::response::{self, Response};
use crate::domain::units::{
    Hours, Kilograms, MgPerHour, MgPerKgPerHour, MgPerMl, MlPerHour, cmp_value, round_to_step,
};
use crate::domain::weight::{self, DosingWeights};
use serde::Serialize;

pub const PLAN_SCHEMA: &str = "ketaplan.plan/1";

/// The screening code whose Yes removes benzodiazepines from the rescue list (contract).
pub const BENZODIAZEPINE_CONTRAINDICATION: &str = "benzodiazepine_contraindication";

/// Screening codes that mean the patient has had ketamine before (illicit ketamine is the
/// main documented cause of cystitis, L220, L222): V4-08's prior exposure.
pub const PRIOR_EXPOSURE_CODES: [&str; 2] = ["history_substance_abuse", "active_substance_abuse"];

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProtocolRef {
    pub id: String,
    pub version: String,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    pub grade: String,
    pub certainty: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DrugWarning {
    pub text: String,
    pub source: String,
}

/// A rescue, seizure, reversal or premedication drug for this plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RescueMedication {
    pub drug: String,
    #[serde(rename = "for")]
    pub indication: String,
    pub category: RescueCategory,
    /// The dose as ordered (age-adjusted text at the elderly age).
    pub dose: String,
    pub route: String,
    pub repeat: String,
    pub max: String,
    /// For weight-based doses: mg for this patient's dosing weight, capped per dose.
    pub calculated_dose_mg: Option<f64>,
    /// True when the elderly dose was chosen.
    pub age_adjusted: bool,
    pub warnings: Vec<DrugWarning>,
    pub source: String,
    pub institution_default: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PersonnelRequirement {
    pub role: String,
    pub requirement: String,
    pub source: String,
    pub institution_default: bool,
}

/// A line of text with its source (frequency, criterion, instruction).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourcedLine {
    pub label: String,
    pub text: String,
    pub source: String,
    pub institution_default: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonitoringItem {
    pub name: String,
    pub detail: String,
    pub source: String,
    pub institution_default: bool,
}

/// What to monitor, how often, and when to stop, for this plan's tier.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonitoringPlan {
    pub tier: MonitoringTier,
    pub tier_meaning: String,
    pub tier_source: String,
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
    pub effect: String,
    pub detail: String,
    pub source: String,
}

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
    pub instruction: String,
    pub source: String,
    /// From the starting rate to the ceiling; the last row is the ceiling.
    pub steps: Vec<TitrationStep>,
}

/// The titration table never grows past this many rows (a 0.1 mg/kg/h step from
/// near 0 to the 7 mg/kg/h maximum is 70 rows).
pub const MAX_TITRATION_ROWS: usize = 120;

/// The plan, serialised as `ketaplan.plan/1`. Numbers are unrounded except the pump rates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    pub schema: &'static str,
    pub status: &'static str,
    pub protocol: ProtocolRef,
    pub weight_kg: f64,
    pub dosing_weight_kg: f64,
    pub dosing_weight_basis: &'static str,
    pub ideal_weight_kg: Option<f64>,
    pub adjusted_weight_kg: Option<f64>,
    pub bmi: Option<f64>,
    pub bolus_mg: Option<f64>,
    pub bolus_mg_per_kg: Option<f64>,
    pub bolus_minutes: Option<f64>,
    pub infusion_mg_per_h: f64,
    pub infusion_mg_per_kg_per_h: f64,
    pub infusion_mcg_per_kg_per_min: f64,
    pub max_infusion_mg_per_h: f64,
    pub max_infusion_mg_per_kg_per_h: f64,
    pub max_infusion_mcg_per_kg_per_min: f64,
    pub concentration_mg_per_ml: f64,
    pub pump_ml_per_h: f64,
    pub pump_delivered_mg_per_h: f64,
    pub max_pump_ml_per_h: f64,
    pub max_pump_delivered_mg_per_h: f64,
    pub duration_h: f64,
    pub total_mg: f64,
    pub max_total_mg: f64,
    pub delivered_total_mg: f64,
    pub first_infusion_minimum_met: Option<bool>,
    pub treatments_in_12_months: u32,
    pub evidence: Evidence,
    pub findings: Vec<Finding>,
    pub unanswered_screening: Vec<String>,
    pub preinfusion_tests: Vec<String>,
    pub monitoring_tier: MonitoringTier,
    pub limit_alerts: Vec<LimitAlert>,
    pub proceed: Proceed,
    pub rescue_medications: Vec<RescueMedication>,
    pub premedication: Vec<RescueMedication>,
    pub personnel: Vec<PersonnelRequirement>,
    pub monitoring: MonitoringPlan,
    pub titration: Option<Titration>,
    pub adverse_effects: Vec<AdverseEffect>,
    pub patient_instructions: Vec<SourcedLine>,
    pub response: Option<Response>,
}

impl Plan {
    pub fn finding(&self, code: &str) -> Option<&Finding> {
        self.findings.iter().find(|f| f.code == code)
    }
    pub fn alert(&self, code: &str) -> Option<&LimitAlert> {
        self.limit_alerts.iter().find(|a| a.code == code)
    }
    pub fn alert_for(&self, field: DoseField) -> Option<&LimitAlert> {
        self.limit_alerts.iter().find(|a| a.field == field)
    }
}

/// Compute the plan for a validated case.
pub fn plan(protocol: &Protocol, case: &Case) -> Plan {
    let pack = &protocol.pack;
    let regimen = &case.regimen;
    let weights = weight::dosing_weight(&pack.dosing_weight, &case.patient, regimen.dosing_weight)
        // Validation guarantees height and sex for ideal/adjusted; fall back to actual
        // rather than panic if a caller built a Case by hand.
        .unwrap_or_else(|| DosingWeights {
            actual_kg: case.patient.weight.kilograms(),
            ideal_kg: None,
            adjusted_kg: None,
            basis: regimen.dosing_weight,
            dosing_kg: case.patient.weight.kilograms(),
            bmi: None,
        });
    let w: Kilograms = weights.dosing_kg;
    let concentration = MgPerMl(regimen.concentration_mg_per_ml);
    let duration = Hours(regimen.duration_h);
    let step = pack.dose_limits.pump_step_ml_per_h.value;

    let bolus = regimen.given_bolus();
    let bolus_mg = bolus.map(|b| b.mg(w));
    let bolus_mg_per_kg = bolus.map(|b| b.mg_per_kg(w));

    let start_rate = regimen.infusion.mg_per_kg_per_h(w);
    let start_mg_h = regimen.infusion.mg_per_h(w);
    let ceiling_entry = regimen.max_infusion.as_ref().unwrap_or(&regimen.infusion);
    let ceiling_rate = ceiling_entry.mg_per_kg_per_h(w);
    let ceiling_mg_h = ceiling_entry.mg_per_h(w);

    let pump_ml = pump_rate(start_mg_h, concentration, step);
    let max_pump_ml = pump_rate(ceiling_mg_h, concentration, step);
    let delivered_mg_h = pump_ml.delivered(concentration);
    let max_delivered_mg_h = max_pump_ml.delivered(concentration);

    let bolus_total = bolus_mg.map_or(0.0, |m| m.value());
    let total_mg = bolus_total + start_mg_h.over(duration).value();
    let max_total_mg = bolus_total + ceiling_mg_h.over(duration).value();
    let delivered_total_mg = bolus_total + delivered_mg_h.over(duration).value();

    // --- Limit alerts: one per dose field; the later (stronger) rule wins. ---
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

    // --- Exposure (V4-03): a multi-day infusion is continuous whatever its label. ---
    let multi_day = cmp_value(regimen.duration_h) > pack.tests.continuous_exposure_above_h.value;
    let continuous_exposure = regimen.course == Course::Continuous || multi_day;

    // --- Monitoring tier, judged at the ceiling. ---
    let mon = &pack.monitoring;
    let lowered = f64::from(case.patient.age_years) >= mon.elderly_from_age_years.value
        || mon.lowering_codes.iter().any(|c| case.answered_yes(c));
    let factor = if lowered {
        mon.reduced_threshold_factor.value
    } else {
        1.0
    };
    let bolus_threshold = cmp_value(mon.bolus_monitored_from_mg_per_kg.value * factor);
    let infusion_threshold = cmp_value(mon.infusion_monitored_from_mg_per_kg_per_h.value * factor);
    let monitoring_tier = if ceiling_cmp > dl.infusion_icu_above_mg_per_kg_per_h.value {
        MonitoringTier::Icu
    } else if bolus_mg_per_kg.is_some_and(|b| b.for_comparison() >= bolus_threshold)
        || ceiling_cmp >= infusion_threshold
    {
        MonitoringTier::Monitored
    } else {
        MonitoringTier::Standard
    };

    // --- Findings. ---
    let mut raised: Vec<Finding> = Vec::new();
    let raise = |raised: &mut Vec<Finding>, code: &str| {
        if let Some(def) = protocol.finding(code) {
            raised.push(Finding::from_def(def));
        }
    };
    let condition = protocol.condition(&case.condition);
    if let Some(code) = condition.and_then(|c| c.finding.as_deref()) {
        raise(&mut raised, code);
    }
    if f64::from(case.patient.age_years) < pack.population.adult_from_age_years.value {
        raise(&mut raised, "outside_population");
    }
    let serial_or_repeated =
        regimen.course != Course::Single || case.history.treatments_past_12_months > 0;
    let prior_exposure = case.history.treatments_past_12_months > 0
        || PRIOR_EXPOSURE_CODES.iter().any(|c| case.answered_yes(c));
    for def in protocol.screening_codes() {
        if !case.answered_yes(&def.code) {
            continue;
        }
        let escalated = def.escalation.as_ref().filter(|e| match &e.when {
            EscalationWhen::SerialOrRepeated => serial_or_repeated,
            EscalationWhen::WithCode(other) => case.answered_yes(other),
            EscalationWhen::PriorExposure => prior_exposure,
            // V4-09: "only in lower dosages": at the patient's own monitored thresholds or
            // above, the dose is not lower.
            EscalationWhen::AtMonitoredDose => monitoring_tier != MonitoringTier::Standard,
        });
        match escalated {
            Some(e) => raised.push(Finding {
                severity: e.severity,
                message: e.message.clone(),
                source: e.source.clone(),
                ..Finding::from_def(def)
            }),
            None => raise(&mut raised, &def.code),
        }
    }
    if case.answered_yes(BENZODIAZEPINE_CONTRAINDICATION) {
        raise(&mut raised, "seizure_rescue_without_benzodiazepine");
    }
    if let Some(scores) = case.risk_scores {
        let ort_high = scores
            .ort
            .is_some_and(|s| f64::from(s) >= pack.population.ort_high_from.value);
        let soapp_high = scores
            .soapp_r
            .is_some_and(|s| f64::from(s) >= pack.population.soapp_r_high_from.value);
        if ort_high || soapp_high {
            raise(&mut raised, "abuse_risk_high");
        }
    }
    if start_rate.for_comparison() < dl.infusion_studied_from_mg_per_kg_per_h.value {
        raise(&mut raised, "infusion_below_studied_range");
    }
    let first_infusion_minimum_met =
        if regimen.setting == Setting::Outpatient && case.history.treatments_past_12_months == 0 {
            let met = cmp_value(total_mg) >= pack.first_infusion.min_total_mg.value
                && cmp_value(regimen.duration_h) > pack.first_infusion.min_duration_above_h.value;
            if !met {
                raise(&mut raised, "first_infusion_below_minimum");
            }
            Some(met)
        } else {
            None
        };
    // V4-14: start with one outpatient infusion and reassess (L311).
    if case.history.treatments_past_12_months == 0
        && (regimen.course != Course::Single || continuous_exposure)
    {
        raise(&mut raised, "start_with_single_infusion");
    }
    // V4-18: a raised liver test on record without a normal one since.
    if case.history.lft_raised_unresolved {
        raise(&mut raised, "lft_raised");
    }
    let treatments_in_12_months = case.history.treatments_past_12_months.saturating_add(1);
    let count = f64::from(treatments_in_12_months);
    if count > pack.annual.exceeded_above.value {
        raise(&mut raised, "annual_treatments_exceeded");
    } else if count > pack.annual.high_above.value {
        raise(&mut raised, "annual_treatments_high");
    }
    let within_annual_limit = count <= pack.annual.exceeded_above.value;
    let response = case.follow_up.as_ref().map(|f| {
        response::assess(
            &pack.response,
            f,
            regimen.setting,
            regimen.course,
            within_annual_limit,
        )
    });
    // V4-07: a repeat after a non-response (not after insufficient data).
    if case.history.treatments_past_12_months > 0
        && response
            .as_ref()
            .is_some_and(|r| r.classification == response::Classification::Negative)
    {
        raise(&mut raised, "repeat_not_supported");
    }
    // Stop, avoid, caution, info; ties in pack order.
    raised.sort_by_key(|f| (f.severity, protocol.finding_index(&f.code)));
    let findings = raised;

    // --- Preinfusion tests. ---
    let tests_rules = &pack.tests;
    let mut preinfusion_tests = Vec::new();
    if tests_rules.ecg_codes.iter().any(|c| case.answered_yes(c)) {
        preinfusion_tests.push("ecg".to_string());
    }
    let lft = tests_rules.lft_codes.iter().any(|c| case.answered_yes(c))
        || (continuous_exposure && tests_rules.lft_for_continuous_course)
        || (regimen.course == Course::Series
            && ceiling_cmp >= tests_rules.lft_series_ceiling_from_mg_per_kg_per_h.value);
    if lft {
        preinfusion_tests.push("lft_baseline".to_string());
        preinfusion_tests.push("lft_post".to_string());
    }

    let unanswered_screening = protocol
        .required_screening_codes()
        .filter(|d| !case.answered(&d.code))
        .map(|d| d.code.clone())
        .collect();

    let benzodiazepines_contraindicated = case.answered_yes(BENZODIAZEPINE_CONTRAINDICATION);
    let elderly = f64::from(case.patient.age_years) >= mon.elderly_from_age_years.value;
    let actual_kg = weights.actual_kg;
    let drugs = |premedication: bool| -> Vec<RescueMedication> {
        pack.rescue_medications
            .iter()
            .filter(|r| (r.category == RescueCategory::Premedication) == premedication)
            .filter(|r| !(r.benzodiazepine && benzodiazepines_contraindicated))
            // No benzodiazepine is given, so there is nothing for flumazenil to reverse.
            .filter(|r| !(r.benzodiazepine_reversal && benzodiazepines_contraindicated))
            .filter(|r| {
                !r.only_when_benzodiazepine_contraindicated || benzodiazepines_contraindicated
            })
            .filter(|r| r.only_tiers.is_empty() || r.only_tiers.contains(&monitoring_tier))
            .filter(|r| {
                r.only_when_codes.is_empty()
                    || r.only_when_codes.iter().any(|c| case.answered_yes(c))
            })
            .map(|r| rescue_item(r, case, elderly, w, actual_kg))
            .collect()
    };
    let rescue_medications = drugs(false);
    let premedication = drugs(true);
    let proceed_verdict = proceed(&findings, &alerts);
    let lines_for = LineContext {
        tier: monitoring_tier,
        multi_day,
        in_icu: regimen.setting == Setting::Icu || monitoring_tier == MonitoringTier::Icu,
    };
    let evidence = condition.map_or(
        Evidence {
            grade: String::new(),
            certainty: String::new(),
        },
        |c| Evidence {
            grade: c.grade.clone(),
            certainty: c.certainty.clone(),
        },
    );

    Plan {
        schema: PLAN_SCHEMA,
        status: "ok",
        protocol: ProtocolRef {
            id: pack.id.clone(),
            version: pack.version.clone(),
            sha256: protocol.sha256.clone(),
        },
        weight_kg: weights.actual_kg.value(),
        dosing_weight_kg: w.value(),
        dosing_weight_basis: regimen.dosing_weight.as_str(),
        ideal_weight_kg: weights.ideal_kg.map(Kilograms::value),
        adjusted_weight_kg: weights.adjusted_kg.map(Kilograms::value),
        bmi: weights.bmi,
        bolus_mg: bolus_mg.map(|m| m.value()),
        bolus_mg_per_kg: bolus_mg_per_kg.map(|m| m.value()),
        bolus_minutes: bolus.map(|b| b.minutes),
        infusion_mg_per_h: start_mg_h.value(),
        infusion_mg_per_kg_per_h: start_rate.value(),
        infusion_mcg_per_kg_per_min: start_rate.to_mcg_per_kg_per_min().value(),
        max_infusion_mg_per_h: ceiling_mg_h.value(),
        max_infusion_mg_per_kg_per_h: ceiling_rate.value(),
        max_infusion_mcg_per_kg_per_min: ceiling_rate.to_mcg_per_kg_per_min().value(),
        concentration_mg_per_ml: concentration.value(),
        pump_ml_per_h: pump_ml.value(),
        pump_delivered_mg_per_h: delivered_mg_h.value(),
        max_pump_ml_per_h: max_pump_ml.value(),
        max_pump_delivered_mg_per_h: max_delivered_mg_h.value(),
        duration_h: regimen.duration_h,
        total_mg,
        max_total_mg,
        delivered_total_mg,
        first_infusion_minimum_met,
        treatments_in_12_months,
        evidence,
        findings,
        unanswered_screening,
        preinfusion_tests,
        monitoring_tier,
        limit_alerts: alerts,
        proceed: proceed_verdict,
        rescue_medications,
        premedication,
        personnel: pack
            .personnel
            .iter()
            .filter(|p| p.tiers.contains(&monitoring_tier))
            .map(|p| PersonnelRequirement {
                role: p.role.clone(),
                requirement: p.requirement.clone(),
                source: p.source.clone(),
                institution_default: p.institution_default,
            })
            .collect(),
        monitoring: monitoring_plan(pack, case, lines_for),
        titration: titration(pack, start_rate, ceiling_rate, w, concentration),
        adverse_effects: pack
            .adverse_effects
            .iter()
            .filter(|a| a.tiers.is_empty() || a.tiers.contains(&monitoring_tier))
            .map(|a| AdverseEffect {
                effect: a.effect.clone(),
                detail: a.detail.clone(),
                source: a.source.clone(),
            })
            .collect(),
        patient_instructions: lines(&pack.patient_instructions, lines_for),
        response,
    }
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

fn lines(texts: &[SourcedText], context: LineContext) -> Vec<SourcedLine> {
    texts
        .iter()
        .filter(|t| context.admits(t))
        .map(line)
        .collect()
}

/// What decides which text lines of the pack apply: the tier, and the exposure and
/// setting (V4-21: no multi-day lines for a single day, ICU lines only in the ICU).
#[derive(Debug, Clone, Copy)]
struct LineContext {
    tier: MonitoringTier,
    multi_day: bool,
    in_icu: bool,
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

fn line(t: &SourcedText) -> SourcedLine {
    SourcedLine {
        label: t.label.clone(),
        text: t.text.clone(),
        source: t.source.clone(),
        institution_default: t.institution_default,
    }
}

fn monitoring_plan(pack: &ProtocolPack, case: &Case, context: LineContext) -> MonitoringPlan {
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

/// The titration table from the starting rate to the ceiling, or None without titration.
fn titration(
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
