//! The titration section: the steps, their clinical goal and stop criteria, and who may titrate.

use super::{Builder, para, row, section};
use crate::order::format as f;
use crate::order::sheet::{Block, Section, Style};

impl Builder<'_> {
    pub(super) fn titration(&self) -> Section {
        let plan = self.plan;
        let rules = &self.protocol.pack.titration;
        let hold = f::percent(rules.hold_reduction_fraction.value * 100.0);
        let mut blocks = Vec::new();
        match &plan.titration {
            Some(t) => {
                blocks.push(para(t.instruction.clone(), Style::Normal));
                let goal = &self.protocol.pack.sheet.titration_goal;
                let pain = f::number(goal.pain_score_at_most.value);
                blocks.push(row(
                    "Goal of each step",
                    format!(
                        "pain score {pain} or less out of 10, with {}",
                        goal.sedation_ceiling
                    ),
                ));
                blocks.push(row(
                    "Increase only when",
                    format!(
                        "the pain score is above {pain}, sedation is no deeper than the ceiling, no hold criterion is present (see Do not start, hold and call) and the interval has passed"
                    ),
                ));
                blocks.push(row("Stop increasing", goal.stop_increasing.clone()));
                blocks.push(row("Who may titrate", goal.who_may_titrate.clone()));
                blocks.push(para(format!("Source: {}", goal.source), Style::Small));
                // Kept with the step table that follows it.
                blocks.push(para(
                    format!(
                        "Steps: up by {} at most every {}, up to the maximum rate",
                        f::mg_per_kg_per_h(t.step_mg_per_kg_per_h),
                        f::minutes(t.interval_min)
                    ),
                    Style::Heading,
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
                        "Pain / sedation before".into(),
                        "Started at".into(),
                        "Checked by".into(),
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
                                "____ / ____".to_string(),
                                "____:____".to_string(),
                                "__________".to_string(),
                            ]
                        })
                        .collect(),
                    widths: vec![0.11, 0.1, 0.14, 0.08, 0.09, 0.15, 0.15, 0.18],
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
