//! The preparation section: vials, containers, VTBI per container and the witnessed waste.

use super::{BLANK, Builder, SHORT_BLANK, capitalise, count, para, plural, row, section};
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
                        "Pump double-checked by".into(),
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
                                SHORT_BLANK.into(),
                                "____:____".into(),
                                SHORT_BLANK.into(),
                            ]
                        })
                        .collect(),
                    widths: vec![0.09, 0.3, 0.12, 0.19, 0.12, 0.18],
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
        section("Preparation", blocks)
    }
}
