//! The drug sections: medication, preparation (with the pump box) and titration.

use super::{BLANK, Builder, row, section};
use crate::domain::case::RateUnit;
use crate::domain::findings::DoseField;
use crate::domain::protocol::AlertKind;
use crate::order::format as f;
use crate::order::sheet::{Block, Section, justification_for, usable_extra};

impl Builder<'_> {
    /// Limits a bolus mg/kg figure is judged against (for limit-aware rounding).
    pub(super) fn bolus_limits(&self) -> Vec<f64> {
        let pack = &self.protocol.pack;
        let m = &pack.monitoring;
        vec![
            pack.dose_limits.bolus_soft_above_mg_per_kg.value,
            pack.dose_limits.bolus_hard_from_mg_per_kg.value,
            m.bolus_monitored_from_mg_per_kg.value,
            m.bolus_monitored_from_mg_per_kg.value * m.reduced_threshold_factor.value,
        ]
    }

    /// Limits an infusion mg/kg/h figure is judged against.
    pub(super) fn rate_limits(&self) -> Vec<f64> {
        let pack = &self.protocol.pack;
        let m = &pack.monitoring;
        vec![
            pack.dose_limits.infusion_icu_above_mg_per_kg_per_h.value,
            pack.dose_limits
                .infusion_maximum_above_mg_per_kg_per_h
                .value,
            pack.dose_limits.infusion_studied_from_mg_per_kg_per_h.value,
            m.infusion_monitored_from_mg_per_kg_per_h.value,
            m.infusion_monitored_from_mg_per_kg_per_h.value * m.reduced_threshold_factor.value,
        ]
    }

    /// "0.5 mg/kg/h (8.33 mcg/kg/min)", the entered unit first.
    fn rate_text(&self, mg_per_kg_per_h: f64, mcg_per_kg_per_min: f64) -> String {
        let mgkgh = f::mg_per_kg_per_h_judged(mg_per_kg_per_h, &self.rate_limits());
        let mcg = f::mcg_per_kg_per_min(mcg_per_kg_per_min);
        if self.case.regimen.infusion.unit == RateUnit::McgPerKgPerMin {
            format!("{mcg} ({mgkgh})")
        } else {
            format!("{mgkgh} ({mcg})")
        }
    }

    fn concentration_text(&self) -> String {
        let c = self.plan.concentration_mg_per_ml;
        let standard = self
            .protocol
            .pack
            .concentrations
            .iter()
            .find(|s| (s.mg_per_ml - c).abs() < 1e-9);
        match standard {
            Some(s) => format!("{} per mL: {}", f::mg(c), s.label),
            None => format!(
                "{} per 1 mL ({}): not a standard concentration, preparation to be approved by the pharmacist",
                f::mg(c),
                f::mg_per_ml(c)
            ),
        }
    }

    /// The soft limits overridden on this dose line: "OVERRIDE: Bolus above the guideline,
    /// reason given by Dr X (see Findings)".
    pub(super) fn overrides(&self, field: DoseField) -> Vec<String> {
        let extra = usable_extra(self.protocol, self.options);
        let by = self.text(&self.order().prescriber, "the prescriber");
        self.plan
            .limit_alerts
            .iter()
            .filter(|a| a.kind == AlertKind::Soft && a.field == field)
            .filter(|a| justification_for(self.case, extra, &a.code).is_some())
            .map(|a| {
                format!(
                    "OVERRIDE: {}, reason given by {by} (see Findings)",
                    a.display_title()
                )
            })
            .collect()
    }

    /// A table row with the overrides of its dose line added to its dose cell.
    fn marked(&self, mut cells: Vec<String>, field: DoseField) -> Vec<String> {
        let marks = self.overrides(field);
        if let Some(cell) = cells.get_mut(1)
            && !marks.is_empty()
        {
            cell.push_str(&format!(". {}", marks.join(". ")));
        }
        cells
    }

    pub(super) fn medication(&self) -> Section {
        let plan = self.plan;
        let pack = &self.protocol.pack;
        let c = plan.concentration_mg_per_ml;
        let w = f::kg(plan.dosing_weight_kg);
        let mut blocks = Vec::new();
        let conc = f::mg_per_ml(c);
        let bolus_row = match (plan.bolus_mg, plan.bolus_mg_per_kg, plan.bolus_minutes) {
            (Some(mg), Some(per_kg), Some(minutes)) => vec![
                format!("Bolus, IV over {}", f::minutes(minutes)),
                f::mg_per_kg_judged(per_kg, &self.bolus_limits()),
                f::mg(mg),
                f::ml(mg / c),
            ],
            _ => vec![
                "Bolus".to_string(),
                "No bolus".to_string(),
                "—".to_string(),
                "—".to_string(),
            ],
        };
        let pump = |ml: f64, delivered: f64| {
            format!("{}, delivers {}", f::ml_per_h(ml), f::mg_per_h(delivered))
        };
        let titrated = plan.titration.is_some();
        let ceiling_row = if titrated {
            vec![
                "Maximum rate (ceiling)".to_string(),
                self.rate_text(
                    plan.max_infusion_mg_per_kg_per_h,
                    plan.max_infusion_mcg_per_kg_per_min,
                ),
                f::mg_per_h(plan.max_infusion_mg_per_h),
                pump(plan.max_pump_ml_per_h, plan.max_pump_delivered_mg_per_h),
            ]
        } else {
            vec![
                "Maximum rate (ceiling)".to_string(),
                "the starting rate: no titration".to_string(),
                f::mg_per_h(plan.infusion_mg_per_h),
                pump(plan.pump_ml_per_h, plan.pump_delivered_mg_per_h),
            ]
        };
        blocks.push(Block::Table {
            header: vec![
                "Order".to_string(),
                format!("Per kg ({w} dosing weight)"),
                "Dose".to_string(),
                format!("Pump at {conc}"),
            ],
            rows: vec![
                self.marked(bolus_row, DoseField::Bolus),
                self.marked(
                    vec![
                        "Infusion, starting rate".to_string(),
                        self.rate_text(
                            plan.infusion_mg_per_kg_per_h,
                            plan.infusion_mcg_per_kg_per_min,
                        ),
                        f::mg_per_h(plan.infusion_mg_per_h),
                        pump(plan.pump_ml_per_h, plan.pump_delivered_mg_per_h),
                    ],
                    DoseField::Infusion,
                ),
                ceiling_row,
            ],
            widths: vec![0.22, 0.3, 0.17, 0.31],
        });
        blocks.push(row(
            "Drug",
            format!(
                "{}, intravenous (not esketamine), {}",
                pack.product,
                self.concentration_text()
            ),
        ));
        blocks.push(row("Duration", f::hours(plan.duration_h)));
        blocks.push(row(
            "Started, stopped",
            format!("started ____:____, stopped ____:____ on date {BLANK} (24-hour)"),
        ));
        let min_total = pack.first_infusion.min_total_mg.value;
        let bolus_mg = plan.bolus_mg.unwrap_or(0.0);
        let total_detail = if plan.bolus_mg.is_some() {
            format!(
                "bolus {} and {} for {}",
                f::mg(bolus_mg),
                f::mg_per_h(plan.infusion_mg_per_h),
                f::hours(plan.duration_h)
            )
        } else {
            format!(
                "{} for {}",
                f::mg_per_h(plan.infusion_mg_per_h),
                f::hours(plan.duration_h)
            )
        };
        let mut total = format!(
            "{} ordered ({total_detail}); {} as the pump delivers",
            f::mg_judged(plan.total_mg, &[min_total]),
            f::mg_judged(plan.delivered_total_mg, &[min_total])
        );
        if titrated {
            total.push_str(&format!(
                "; at most {} at the maximum rate",
                f::mg(plan.max_total_mg)
            ));
        }
        blocks.push(row("Total ketamine", total));
        let bolus_ml = bolus_mg / c;
        let volume = bolus_ml + plan.pump_ml_per_h * plan.duration_h;
        if titrated {
            let max_volume = bolus_ml + plan.max_pump_ml_per_h * plan.duration_h;
            blocks.push(row(
                "Total volume",
                format!(
                    "{} at the starting rate, at most {} at the maximum rate",
                    f::ml(volume),
                    f::ml(max_volume)
                ),
            ));
        } else {
            blocks.push(row("Total volume", f::ml(volume)));
        }
        let prep = crate::domain::preparation::preparation(self.protocol, plan);
        let bolus_ml = plan.bolus_mg.map_or(0.0, |mg| mg / c);
        blocks.push(self.pump_box(prep.as_ref(), bolus_ml));
        section("Ketamine orders", blocks)
    }
}
