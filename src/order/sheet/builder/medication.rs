//! The drug sections: medication, preparation (with the pump box) and titration.

use super::{BLANK, Builder, SHORT_BLANK, capitalise, count, para, plural, row, section};
use crate::domain::case::RateUnit;
use crate::order::format as f;
use crate::order::sheet::{Block, Section, Style};

impl Builder<'_> {
    /// Limits a bolus mg/kg figure is judged against (for limit-aware rounding).
    fn bolus_limits(&self) -> Vec<f64> {
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
    fn rate_limits(&self) -> Vec<f64> {
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
                bolus_row,
                vec![
                    "Infusion, starting rate".to_string(),
                    self.rate_text(
                        plan.infusion_mg_per_kg_per_h,
                        plan.infusion_mcg_per_kg_per_min,
                    ),
                    f::mg_per_h(plan.infusion_mg_per_h),
                    pump(plan.pump_ml_per_h, plan.pump_delivered_mg_per_h),
                ],
                ceiling_row,
            ],
            widths: vec![0.22, 0.3, 0.17, 0.31],
        });
        let max_ml = if titrated {
            plan.max_pump_ml_per_h
        } else {
            plan.pump_ml_per_h
        };
        blocks.push(para(
            format!(
                "Program the pump at {} ({conc}); never above {}.",
                f::ml_per_h(plan.pump_ml_per_h),
                f::ml_per_h(max_ml)
            ),
            Style::Alert,
        ));
        blocks.push(para(
            format!(
                "{}, intravenous. Not esketamine.",
                capitalise(&pack.product)
            ),
            Style::Strong,
        ));
        blocks.push(row("Concentration", self.concentration_text()));
        blocks.push(row("Duration", f::hours(plan.duration_h)));
        blocks.push(row(
            "Start",
            format!("date {BLANK} time ____:____ (24-hour)"),
        ));
        blocks.push(row(
            "Stop",
            format!("date {BLANK} time ____:____ (24-hour)"),
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
        blocks.push(row(
            "Total ketamine, ordered",
            format!(
                "{} ({total_detail})",
                f::mg_judged(plan.total_mg, &[min_total])
            ),
        ));
        blocks.push(row(
            "Total ketamine, as the pump delivers",
            f::mg_judged(plan.delivered_total_mg, &[min_total]),
        ));
        let bolus_ml = bolus_mg / c;
        let volume = bolus_ml + plan.pump_ml_per_h * plan.duration_h;
        if titrated {
            blocks.push(row(
                "Total ketamine at the maximum rate",
                format!("at most {}", f::mg(plan.max_total_mg)),
            ));
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
        let dl = &pack.dose_limits;
        blocks.push(row(
            "Guideline limits",
            format!(
                "bolus up to {}; infusion up to {} outside the ICU and never above {}",
                f::mg_per_kg(dl.bolus_soft_above_mg_per_kg.value),
                f::mg_per_kg_per_h(dl.infusion_icu_above_mg_per_kg_per_h.value),
                f::mg_per_kg_per_h(dl.infusion_maximum_above_mg_per_kg_per_h.value)
            ),
        ));
        section("Ketamine orders", blocks)
    }

    /// Preparation from the pack's standard preparation (or by the pharmacy for a custom
    /// concentration), the witnessed waste of the Schedule III remainder, and the pump box.
    pub(super) fn preparation(&self) -> Section {
        let plan = self.plan;
        let c = plan.concentration_mg_per_ml;
        let bolus_ml = plan.bolus_mg.map_or(0.0, |mg| mg / c);
        let mut blocks = Vec::new();
        let prep = crate::domain::preparation::preparation(self.protocol, plan);
        match &prep {
            Some(prep) => {
                let r = &prep.recipe;
                let one = r.container.as_str();
                let many = plural(one, prep.containers);
                blocks.push(para(
                    format!("Preparation, each {one} (standard preparation)"),
                    Style::Heading,
                ));
                blocks.push(row(
                    "Vials",
                    format!(
                        "{} of {} ({} each) for each {one}; {} for the session",
                        count(r.vials, "vial"),
                        f::mg_per_ml(r.vial_mg_per_ml),
                        f::ml(r.vial_ml),
                        count(r.vials.saturating_mul(prep.containers), "vial")
                    ),
                ));
                blocks.push(row(
                    "Draw",
                    format!(
                        "{} ({}) from the vials",
                        f::ml(r.drawn_ml),
                        f::mg(r.drug_mg)
                    ),
                ));
                blocks.push(row(
                    "Diluent",
                    format!(
                        "{} {}, to a total of {} in the {one}",
                        f::ml(r.diluent_ml),
                        r.diluent,
                        f::ml(r.container_ml)
                    ),
                ));
                blocks.push(row(
                    &format!("Each {one} holds"),
                    format!(
                        "{} in {} = {}; never infuse a vial undiluted",
                        f::mg(r.drug_mg),
                        f::ml(r.container_ml),
                        f::mg_per_ml(c)
                    ),
                ));
                blocks.push(row(
                    "Beyond-use time",
                    format!(
                        "use within {} of preparation; label each {one} with the time it was prepared",
                        f::hours(r.beyond_use_hours)
                    ),
                ));
                blocks.push(row(
                    "For the session",
                    format!(
                        "{} ({}), planned for the maximum rate over {}{}: at most {}",
                        count(prep.containers, one),
                        count(prep.bag_changes, &format!("{one} change")),
                        f::hours(plan.duration_h),
                        if plan.bolus_mg.is_some() {
                            ", bolus included"
                        } else {
                            ""
                        },
                        f::ml(prep.max_volume_ml)
                    ),
                ));
                let last = prep.vtbi_ml.len();
                blocks.push(Block::Table {
                    header: vec![
                        capitalise(one),
                        "Volume to be infused (VTBI)".into(),
                        "Prepared at".into(),
                        "Prepared by".into(),
                        "Hung at".into(),
                    ],
                    rows: prep
                        .vtbi_ml
                        .iter()
                        .enumerate()
                        .map(|(i, v)| {
                            let mut vtbi = f::ml(*v);
                            if i == 0 && bolus_ml > 0.0 {
                                vtbi.push_str(&format!(", the {} bolus included", f::ml(bolus_ml)));
                            }
                            if i + 1 == last && last > 1 && *v < r.container_ml {
                                vtbi.push_str(" (partial)");
                            }
                            vec![
                                format!(
                                    "{} of {}",
                                    f::number((i + 1) as f64),
                                    f::number(last as f64)
                                ),
                                vtbi,
                                "____:____".into(),
                                BLANK.into(),
                                "____:____".into(),
                            ]
                        })
                        .collect(),
                    widths: vec![0.1, 0.36, 0.14, 0.26, 0.14],
                });
                blocks.push(para(format!("Source: {}", r.source), Style::Small));

                blocks.push(para(
                    "Witnessed waste (Schedule III controlled substance)",
                    Style::Heading,
                ));
                let start_mg = prep.volume_ml.min(prep.max_volume_ml) * c;
                let left_at_start_rate = (prep.prepared_mg - start_mg).max(0.0);
                let varies = (left_at_start_rate - prep.expected_waste_mg).abs() >= 1e-9;
                let left = if varies {
                    format!(
                        "{} to {}",
                        f::mg(prep.expected_waste_mg),
                        f::mg(left_at_start_rate)
                    )
                } else {
                    f::mg(prep.expected_waste_mg)
                };
                let mut rows = Vec::new();
                if r.vial_remainder_mg > 0.0 {
                    for i in 0..prep.containers {
                        rows.push(vec![
                            format!("Vials for {one} {}", f::number(f64::from(i + 1))),
                            f::mg(r.vial_remainder_mg),
                            "______ mg".into(),
                            SHORT_BLANK.into(),
                            "____:____".into(),
                        ]);
                    }
                }
                rows.push(vec![
                    format!("Left in the {many} at the end"),
                    left,
                    "______ mg".into(),
                    SHORT_BLANK.into(),
                    "____:____".into(),
                ]);
                blocks.push(Block::Table {
                    header: vec![
                        "Remainder".into(),
                        "Expected".into(),
                        "Wasted".into(),
                        "Witness".into(),
                        "Time".into(),
                    ],
                    rows,
                    widths: vec![0.27, 0.27, 0.13, 0.2, 0.13],
                });
                if varies {
                    blocks.push(para(
                        format!(
                            "Left at the end: {} if the infusion runs at the maximum rate throughout, up to {} at the starting rate.",
                            f::mg(prep.expected_waste_mg),
                            f::mg(left_at_start_rate)
                        ),
                        Style::Small,
                    ));
                }
            }
            None => {
                blocks.push(para(
                    format!(
                        "Prepared by pharmacy: no standard preparation for {}.",
                        f::mg_per_ml(c)
                    ),
                    Style::Strong,
                ));
                blocks.push(row(
                    "Vial strength used",
                    format!("{BLANK} mg/mL (never infuse a vial undiluted)"),
                ));
                blocks.push(row(
                    "Container and volume",
                    format!("{BLANK}; prepared by {BLANK} at ____:____"),
                ));
                blocks.push(row(
                    "Beyond-use time",
                    "as labelled by the pharmacy: use by ____:____",
                ));
                blocks.push(para(
                    "Witnessed waste (Schedule III controlled substance)",
                    Style::Heading,
                ));
                blocks.push(Block::Table {
                    header: vec![
                        "Remainder".into(),
                        "Expected".into(),
                        "Wasted".into(),
                        "Witness".into(),
                        "Time".into(),
                    ],
                    rows: vec![vec![
                        "Vials and containers".into(),
                        "as calculated by the pharmacy".into(),
                        "______ mg".into(),
                        SHORT_BLANK.into(),
                        "____:____".into(),
                    ]],
                    widths: vec![0.27, 0.27, 0.13, 0.2, 0.13],
                });
            }
        }
        blocks.push(self.pump_box(prep.as_ref(), bolus_ml));
        section("Preparation and pump programming", blocks)
    }

    /// What to enter on the pump, in the pump's own terms.
    fn pump_box(
        &self,
        prep: Option<&crate::domain::preparation::Preparation>,
        bolus_ml: f64,
    ) -> Block {
        let plan = self.plan;
        let program = crate::domain::preparation::pump_program(self.protocol, plan);
        let c = program.concentration_mg_per_ml;
        let mut rows = vec![
            ("Mode".to_string(), program.mode.to_string()),
            ("Drug".to_string(), format!("ketamine {}", f::mg_per_ml(c))),
            ("Rate".to_string(), f::ml_per_h(program.rate_ml_per_h)),
            (
                "Never above".to_string(),
                if plan.titration.is_some() {
                    format!(
                        "{} (the titration ceiling)",
                        f::ml_per_h(program.max_rate_ml_per_h)
                    )
                } else {
                    format!("{} (no titration)", f::ml_per_h(program.rate_ml_per_h))
                },
            ),
        ];
        let vtbi = match (prep, program.vtbi_ml) {
            (Some(prep), Some(first)) => {
                let one = prep.recipe.container.as_str();
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
                rows.push(("Bolus volume".to_string(), f::ml(ml)));
                rows.push((
                    "Bolus rate".to_string(),
                    format!("{} (over {})", f::ml_per_h(rate), f::minutes(minutes)),
                ));
            }
            _ => rows.push(("Bolus".to_string(), "none".to_string())),
        }
        rows.push((
            "Dose mode".to_string(),
            format!(
                "If the pump is programmed in dose mode, enter the dosing weight {} (concentration {}, dose {})",
                f::kg(program.dosing_weight_kg),
                f::mg_per_ml(c),
                f::mg_per_kg_per_h_judged(plan.infusion_mg_per_kg_per_h, &self.rate_limits())
            ),
        ));
        Block::Panel {
            title: "Pump programming, as the pump shows it".to_string(),
            rows,
        }
    }

    pub(super) fn titration(&self) -> Section {
        let plan = self.plan;
        let rules = &self.protocol.pack.titration;
        let hold = f::percent(rules.hold_reduction_fraction.value * 100.0);
        let mut blocks = Vec::new();
        match &plan.titration {
            Some(t) => {
                blocks.push(para(t.instruction.clone(), Style::Normal));
                blocks.push(row(
                    "Step",
                    format!(
                        "up by {} at most every {}, up to the maximum rate",
                        f::mg_per_kg_per_h(t.step_mg_per_kg_per_h),
                        f::minutes(t.interval_min)
                    ),
                ));
                let last = t.steps.len().saturating_sub(1);
                let limits = self.rate_limits();
                blocks.push(Block::Table {
                    header: vec![
                        "Step".into(),
                        "mg/kg/h".into(),
                        "mcg/kg/min".into(),
                        "mg/h".into(),
                        "Pump mL/h".into(),
                        "Time started".into(),
                    ],
                    rows: t
                        .steps
                        .iter()
                        .enumerate()
                        .map(|(i, s)| {
                            let name = match i {
                                0 => "start".to_string(),
                                i if i == last => "maximum".to_string(),
                                i => f::number(i as f64),
                            };
                            vec![
                                name,
                                f::significant_judged(s.mg_per_kg_per_h, 3, &limits),
                                f::significant(s.mcg_per_kg_per_min, 3),
                                f::decimals(s.mg_per_h, 1),
                                f::decimals(s.pump_ml_per_h, 1),
                                "____:____".to_string(),
                            ]
                        })
                        .collect(),
                    widths: vec![0.14, 0.16, 0.17, 0.16, 0.17, 0.2],
                });
                blocks.push(para(format!("Source: {}", t.source), Style::Small));
            }
            None => blocks.push(para(
                "No titration: the rate stays at the starting rate.",
                Style::Normal,
            )),
        }
        blocks.push(para(
            format!(
                "Rate changes only on the physician's order. For adverse effects or a hold criterion, reduce the rate by {hold} or stop, and call the physician."
            ),
            Style::Strong,
        ));
        section("Titration", blocks)
    }
}
