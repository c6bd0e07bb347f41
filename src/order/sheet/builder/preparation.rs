//! The preparation section: vials, containers, VTBI per container and the witnessed waste.

use super::{BLANK, Builder, SHORT_BLANK, capitalise, count, para, plural, row, section};
use crate::domain::preparation::Preparation;
use crate::order::format as f;
use crate::order::sheet::{Block, Section, Style};

impl Builder<'_> {
    /// Preparation from the pack's standard preparation (or by the pharmacy for a custom
    /// concentration), the witnessed waste of the Schedule III remainder, and the pump box.
    pub(super) fn preparation(&self) -> Section {
        let plan = self.plan;
        let c = plan.concentration_mg_per_ml;
        let bolus_ml = plan.bolus_mg.map_or(0.0, |mg| mg / c);
        let mut blocks = Vec::new();
        let prep = crate::domain::preparation::preparation(self.protocol, plan);
        match &prep {
            Some(prep) => self.standard_preparation(&mut blocks, prep, bolus_ml),
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
                    format!(
                        "{BLANK} mg/mL, diluted to {} unless that is the vial's own strength",
                        f::mg_per_ml(c)
                    ),
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
        section("Preparation", blocks)
    }

    /// The pack's standard preparation, containers and vials chosen by need: what to draw
    /// into each container, the bag-by-bag record, and the witnessed waste.
    fn standard_preparation(&self, blocks: &mut Vec<Block>, prep: &Preparation, bolus_ml: f64) {
        let plan = self.plan;
        let c = prep.concentration_mg_per_ml;
        let one = prep.container.as_str();
        let many = plural(one, prep.containers);
        let vial = f::mg_per_ml(prep.vial.mg_per_ml);
        blocks.push(para(
            format!("Preparation (standard, {many} and vials chosen by need)"),
            Style::Heading,
        ));
        let rounds = prep.rounds.len();
        blocks.push(row(
            "Vials",
            format!(
                "{} of {vial} ({} each) for the session{}{}",
                count(prep.vials, "vial"),
                f::ml(prep.vial.ml),
                if rounds > 1 {
                    format!(
                        ", opened afresh for each of the {} preparations",
                        f::number(rounds as f64)
                    )
                } else if prep.containers > 1 {
                    format!(", shared by the {many} prepared together")
                } else {
                    String::new()
                },
                if prep.vial.mg_per_ml > c {
                    "; dilute as below, never infuse the vial undiluted"
                } else {
                    ""
                }
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
        blocks.push(row(
            "Beyond-use time",
            format!(
                "use within {} of preparation; label each {one} with the time it was prepared",
                f::hours(prep.beyond_use_hours)
            ),
        ));
        blocks.push(para(
            format!("What goes into each {one}, and the record of each {one}"),
            Style::Heading,
        ));
        let last = prep.fills.len();
        let name = |i: usize| {
            format!(
                "{} of {}",
                f::number((i + 1) as f64),
                f::number(last as f64)
            )
        };
        blocks.push(Block::Table {
            header: vec![
                capitalise(one),
                "Size".into(),
                format!("Draw ({vial})"),
                "Diluent".into(),
                "Holds".into(),
                "Prepared".into(),
            ],
            rows: prep
                .fills
                .iter()
                .enumerate()
                .map(|(i, fill)| {
                    vec![
                        name(i),
                        f::ml(fill.size_ml),
                        format!("{} ({})", f::ml(fill.drawn_ml), f::mg(fill.drug_mg)),
                        format!("{} {}", f::ml(fill.diluent_ml), prep.diluent),
                        format!(
                            "{} in {} = {}",
                            f::mg(fill.drug_mg),
                            f::ml(fill.size_ml),
                            f::mg_per_ml(c)
                        ),
                        if rounds > 1 {
                            format!(
                                "preparation {}, for hour {}",
                                f::number(f64::from(fill.round + 1)),
                                f::number(prep.rounds[fill.round as usize].from_h)
                            )
                        } else {
                            "at the start".to_string()
                        },
                    ]
                })
                .collect(),
            widths: vec![0.11, 0.09, 0.17, 0.24, 0.23, 0.16],
        });
        blocks.push(Block::Table {
            header: vec![
                capitalise(one),
                "Volume to be infused (VTBI)".into(),
                "Prepared at".into(),
                "Prepared by".into(),
                "Hung at".into(),
                "Double-checked by".into(),
            ],
            rows: prep
                .fills
                .iter()
                .enumerate()
                .map(|(i, fill)| {
                    let mut vtbi = f::ml(fill.vtbi_ml);
                    if i == 0 && bolus_ml > 0.0 {
                        vtbi.push_str(&format!(", the {} bolus included", f::ml(bolus_ml)));
                    }
                    if fill.vtbi_ml < fill.size_ml {
                        vtbi.push_str(" (partial)");
                    }
                    vec![
                        name(i),
                        vtbi,
                        "____:____".into(),
                        SHORT_BLANK.into(),
                        "____:____".into(),
                        SHORT_BLANK.into(),
                    ]
                })
                .collect(),
            widths: vec![0.11, 0.25, 0.12, 0.18, 0.12, 0.22],
        });
        blocks.push(para(format!("Source: {}", prep.source), Style::Small));

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
        for (i, r) in prep.rounds.iter().enumerate() {
            if r.vial_remainder_mg > 0.0 {
                rows.push(vec![
                    if rounds > 1 {
                        format!("Vials of preparation {}", f::number((i + 1) as f64))
                    } else {
                        "Opened vials".to_string()
                    },
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
}
