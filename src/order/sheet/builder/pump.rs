//! The pump box: program through the drug library in dose mode, the mL/h shown as the cross-check, mL/h mode as the fallback.

use super::Builder;
use crate::domain::preparation::{Preparation, PumpProgram, pump_program};
use crate::order::format as f;
use crate::order::sheet::Block;

impl Builder<'_> {
    pub(super) fn program(&self) -> PumpProgram {
        pump_program(self.protocol, self.plan)
    }

    /// "Select ketamine 1 mg/mL from the pump's drug library (care area …), dose mode
    /// mg/kg/h, weight 69.9 kg, dose 0.6 mg/kg/h".
    pub(super) fn library_line(&self, program: &PumpProgram) -> String {
        format!(
            "Select ketamine {} from the pump's drug library (care area {}), dose mode mg/kg/h, weight {}, dose {}",
            f::mg_per_ml(program.concentration_mg_per_ml),
            program.care_area,
            f::kg(program.dosing_weight_kg),
            f::mg_per_kg_per_h_judged(program.dose_mg_per_kg_per_h, &self.rate_limits())
        )
    }

    /// What to enter on the pump, in the pump's own terms.
    pub(super) fn pump_box(&self, prep: Option<&Preparation>, bolus_ml: f64) -> Block {
        let plan = self.plan;
        let program = self.program();
        let library = &self.protocol.pack.sheet.drug_library;
        let c = program.concentration_mg_per_ml;
        let limits = self.rate_limits();
        let mut rows = vec![
            ("Drug library".to_string(), self.library_line(&program)),
            (
                "Pump shows".to_string(),
                format!(
                    "{} in dose mode: the cross-check before start",
                    f::ml_per_h(program.dose_mode_ml_per_h)
                ),
            ),
            (
                "Never above".to_string(),
                if plan.titration.is_some() {
                    format!(
                        "{} ({}), the titration ceiling",
                        f::mg_per_kg_per_h_judged(program.max_dose_mg_per_kg_per_h, &limits),
                        f::ml_per_h(program.max_rate_ml_per_h)
                    )
                } else {
                    format!(
                        "{} ({}): no titration",
                        f::mg_per_kg_per_h_judged(program.dose_mg_per_kg_per_h, &limits),
                        f::ml_per_h(program.rate_ml_per_h)
                    )
                },
            ),
        ];
        for mark in self.overrides(crate::domain::findings::DoseField::Pump) {
            rows.push(("Override".to_string(), mark));
        }
        let vtbi = match (prep, program.vtbi_ml) {
            (Some(prep), Some(first)) => {
                let one = prep.container.as_str();
                let mut text = format!("{} ({one} 1", f::ml(first));
                if bolus_ml > 0.0 {
                    text.push_str(&format!(", the {} bolus included", f::ml(bolus_ml)));
                }
                text.push(')');
                if prep.vtbi_ml.len() > 1 {
                    let rest: Vec<String> = prep.vtbi_ml[1..].iter().map(|v| f::ml(*v)).collect();
                    text.push_str(&format!("; at each {one} change: {}", rest.join(", ")));
                }
                text
            }
            _ => {
                let max = bolus_ml + plan.max_pump_ml_per_h * plan.duration_h;
                format!(
                    "as labelled by the pharmacy for each container (the session needs at most {})",
                    f::ml(max)
                )
            }
        };
        rows.push(("VTBI".to_string(), vtbi));
        match (
            program.bolus_ml,
            program.bolus_rate_ml_per_h,
            program.bolus_minutes,
        ) {
            (Some(ml), Some(rate), Some(minutes)) => {
                rows.push((
                    "Bolus".to_string(),
                    format!(
                        "{} at {} (over {}), first",
                        f::ml(ml),
                        f::ml_per_h(rate),
                        f::minutes(minutes)
                    ),
                ));
            }
            _ => rows.push(("Bolus".to_string(), "none".to_string())),
        }
        let mut fallback = format!(
            "{} Rate {} ({}).",
            library.fallback,
            f::ml_per_h(program.rate_ml_per_h),
            f::mg_per_ml(c)
        );
        let diff = program.fallback_difference_mg_per_h;
        if diff.abs() >= 0.05 {
            fallback.push_str(&format!(
                " The mL/h mode rounds to the pump step: it delivers {}, {} {} than dose mode ({}).",
                f::mg_per_h(plan.pump_delivered_mg_per_h),
                f::mg_per_h(diff.abs()),
                if diff > 0.0 { "more" } else { "less" },
                f::mg_per_h(plan.infusion_mg_per_h)
            ));
        }
        rows.push(("Fallback, mL/h mode".to_string(), fallback));
        rows.push((
            "Double check".to_string(),
            "By a second clinician, independently (drug, concentration, weight, dose, mL/h shown, VTBI): at the start, at every bag change and at every rate change.".to_string(),
        ));
        Block::Panel {
            title: "Pump programming: through the drug library, as the pump shows it".to_string(),
            rows,
        }
    }
}
