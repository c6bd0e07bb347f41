//! `plan(&Protocol, &Case) -> Plan`: the one entry point of the clinical engine.
//! Pure (no I/O, no UI), cheap enough to run every frame.
//!
//! Every threshold comes from the protocol pack; every derived value is rounded to
//! 9 significant digits (`cmp_value`) before it is compared with one.
mod limits;
mod monitoring;
mod raise;
mod rescue;
mod titration;

pub use limits::pump_rate;
pub use monitoring::{
    AdverseEffect, MonitoringItem, MonitoringPlan, PersonnelRequirement, SourcedLine,
};
pub use raise::PRIOR_EXPOSURE_CODES;
pub use rescue::{BENZODIAZEPINE_CONTRAINDICATION, DrugWarning, RescueMedication};
pub use titration::{MAX_TITRATION_ROWS, Titration, TitrationStep};

use crate::domain::case::{Case, Course, Setting};
use crate::domain::findings::{DoseField, Finding, LimitAlert, MonitoringTier, Proceed, proceed};
use crate::domain::protocol::{LineContext, Protocol};
use crate::domain::response::Response;
use crate::domain::text::Text;
use crate::domain::units::{Hours, Kilograms, MgPerMl, cmp_value};
use crate::domain::weight::{self, DosingWeights};
use limits::DoseFigures;
use monitoring::monitoring_plan;
use raise::Raised;
use serde::Serialize;
use std::sync::Arc;
use titration::titration;

pub const PLAN_SCHEMA: &str = "ketaplan.plan/1";

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProtocolRef {
    pub id: Text,
    pub version: Text,
    pub sha256: Text,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    pub grade: Text,
    pub certainty: Text,
}

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
    pub unanswered_screening: Vec<Text>,
    pub preinfusion_tests: Vec<String>,
    pub monitoring_tier: MonitoringTier,
    pub limit_alerts: Vec<LimitAlert>,
    pub proceed: Proceed,
    pub rescue_medications: Vec<RescueMedication>,
    pub premedication: Vec<RescueMedication>,
    pub personnel: Arc<[PersonnelRequirement]>,
    pub monitoring: MonitoringPlan,
    pub titration: Option<Titration>,
    pub adverse_effects: Arc<[AdverseEffect]>,
    pub patient_instructions: Arc<[SourcedLine]>,
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

    let ceiling_cmp = ceiling_rate.for_comparison();
    let alerts = limits::limit_alerts(
        protocol,
        case,
        &weights,
        DoseFigures {
            bolus_mg_per_kg,
            ceiling_rate,
            start_mg_h,
            ceiling_mg_h,
            pump_ml,
            max_pump_ml,
            concentration,
        },
    );
    let dl = &pack.dose_limits;

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
    let condition = protocol.condition(&case.condition);
    let Raised {
        findings,
        first_infusion_minimum_met,
        treatments_in_12_months,
        response,
    } = raise::raise_findings(
        protocol,
        case,
        condition,
        monitoring_tier,
        start_rate,
        total_mg,
        continuous_exposure,
    );

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

    let actual_kg = weights.actual_kg;
    let rescue_medications = rescue::rescue_list(pack, case, monitoring_tier, w, actual_kg, false);
    let premedication = rescue::rescue_list(pack, case, monitoring_tier, w, actual_kg, true);
    let proceed_verdict = proceed(&findings, &alerts);
    let lines_for = LineContext {
        tier: monitoring_tier,
        multi_day,
        in_icu: regimen.setting == Setting::Icu || monitoring_tier == MonitoringTier::Icu,
    };
    // The pack's lines for this tier, exposure and setting: shared, not copied.
    let shared = protocol.lines(lines_for);
    let evidence = condition.map_or(
        Evidence {
            grade: Default::default(),
            certainty: Default::default(),
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
        monitoring: monitoring_plan(pack, case, lines_for, &shared),
        titration: titration(pack, start_rate, ceiling_rate, w, concentration),
        personnel: shared.personnel,
        adverse_effects: shared.adverse_effects,
        patient_instructions: shared.patient_instructions,
        response,
    }
}
