//! The predicted-concentration plot (step 13) on the Regimen and Review pages: the curve at
//! the starting rate, the titration ceiling dashed, the end of the infusion, the ranges
//! studies reported drawn as labelled bands ("reported in studies", never targets), and a
//! caption that it is a population prediction. The curve is cached: it is computed again
//! only when the regimen or the weight changes, and drawn from at most a few hundred points.

use crate::domain::Plan;
use crate::domain::course::BedsideRecord;
use crate::domain::pk::{Disposition, PkPreview, Point, given_rates, preview};
use crate::domain::protocol::{PkRules, ReportedRange};
use crate::order::format;
use crate::ui::theme;
use egui::{Color32, RichText, Ui};
use egui_plot::{HLine, Legend, Line, LineStyle, Plot, PlotPoints, Polygon, VLine};

/// Points drawn at most per curve: a smooth curve needs no more, and a 100-hour infusion
/// has 6,000 minutes.
const DRAWN_POINTS_MAX: usize = 600;

/// What the plot shows, kept until the regimen changes.
#[derive(Debug, Clone, PartialEq)]
pub struct PkView {
    key: Vec<u64>,
    pub preview: Result<PkPreview, String>,
    /// Hours and ng/mL, thinned for drawing.
    starting: Vec<[f64; 2]>,
    ceiling: Option<Vec<[f64; 2]>>,
    ranges: Vec<ReportedRange>,
}

impl PkView {
    /// The view for `plan`, computed again only when what the curve depends on changed.
    pub fn refresh<'c>(cache: &'c mut Option<PkView>, rules: &PkRules, plan: &Plan) -> &'c PkView {
        let key = key_of(rules, plan);
        if cache.as_ref().is_none_or(|v| v.key != key) {
            let preview = preview(rules, plan, None);
            let (starting, ceiling) = match &preview {
                Ok(p) => (
                    thinned(&p.curve.points),
                    p.ceiling.as_ref().map(|c| thinned(&c.points)),
                ),
                Err(_) => (Vec::new(), None),
            };
            *cache = Some(PkView {
                key,
                preview,
                starting,
                ceiling,
                ranges: rules.reported_ranges.clone(),
            });
        }
        match cache {
            Some(view) => view,
            None => unreachable_view(),
        }
    }

    /// The view of what a recorded session gave (its bedside record), for a patient of
    /// `weight_kg` (actual), the charted bolus over `bolus_min` minutes.
    pub fn of_given(
        rules: &PkRules,
        weight_kg: f64,
        record: &BedsideRecord,
        bolus_min: f64,
    ) -> PkView {
        let preview = (|| {
            let model = rules
                .model(None)
                .ok_or_else(|| "the protocol pack has no default model".to_string())?;
            let d = Disposition::new(model, weight_kg)?;
            let rates = given_rates(record, bolus_min)?;
            Ok(PkPreview {
                model: model.clone(),
                weight_kg,
                curve: rates.curve(&d, rules.washout_min.value),
                ceiling: None,
                end_min: rates.end_min,
            })
        })();
        let starting = match &preview {
            Ok(p) => thinned(&p.curve.points),
            Err(_) => Vec::new(),
        };
        PkView {
            key: Vec::new(),
            preview,
            starting,
            ceiling: None,
            ranges: rules.reported_ranges.clone(),
        }
    }

    /// "Peak 263 ng/mL at 4 h 5 min; 263 ng/mL when the infusion ends" (also what the tests
    /// read).
    pub fn summary(&self) -> String {
        match &self.preview {
            Ok(p) => {
                let mut text = format!(
                    "Predicted peak {} at {}; {} when the infusion ends ({})",
                    ng_per_ml(p.curve.peak.cp_ng_per_ml),
                    clock(p.curve.peak.t_min),
                    ng_per_ml(p.curve.at_end.cp_ng_per_ml),
                    clock(p.curve.at_end.t_min),
                );
                if let Some(c) = &p.ceiling {
                    text.push_str(&format!(
                        "; at the titration ceiling {} when it ends",
                        ng_per_ml(c.at_end.cp_ng_per_ml)
                    ));
                }
                text
            }
            Err(e) => format!("No prediction: {e}"),
        }
    }
}

/// `refresh` always leaves a view in the cache; this is never reached.
fn unreachable_view() -> &'static PkView {
    static EMPTY: std::sync::OnceLock<PkView> = std::sync::OnceLock::new();
    EMPTY.get_or_init(|| PkView {
        key: Vec::new(),
        preview: Err("no prediction".into()),
        starting: Vec::new(),
        ceiling: None,
        ranges: Vec::new(),
    })
}

/// What the curve depends on, bit for bit.
fn key_of(rules: &PkRules, plan: &Plan) -> Vec<u64> {
    let mut key: Vec<u64> = [
        plan.weight_kg,
        plan.bolus_mg.unwrap_or(0.0),
        plan.bolus_minutes.unwrap_or(0.0),
        plan.infusion_mg_per_h,
        plan.max_infusion_mg_per_h,
        plan.duration_h,
        rules.washout_min.value,
    ]
    .iter()
    .map(|x| x.to_bits())
    .collect();
    key.push(u64::from(plan.titration.is_some()));
    key.extend(rules.default_model.bytes().map(u64::from));
    key
}

/// Every n-th point, keeping the first, the last and the peak.
fn thinned(points: &[Point]) -> Vec<[f64; 2]> {
    let every = points.len().div_ceil(DRAWN_POINTS_MAX).max(1);
    let peak = points
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.cp_ng_per_ml.total_cmp(&b.1.cp_ng_per_ml))
        .map_or(0, |(i, _)| i);
    points
        .iter()
        .enumerate()
        .filter(|(i, _)| i % every == 0 || *i == peak || *i + 1 == points.len())
        .map(|(_, p)| [p.t_min / 60.0, p.cp_ng_per_ml])
        .collect()
}

/// "50 to 150 ng/mL", or "100 ng/mL" for a single value.
fn range_text(r: &ReportedRange) -> String {
    if r.low_ng_per_ml < r.high_ng_per_ml {
        format!(
            "{} to {}",
            format::number(r.low_ng_per_ml),
            ng_per_ml(r.high_ng_per_ml)
        )
    } else {
        ng_per_ml(r.low_ng_per_ml)
    }
}

fn ng_per_ml(x: f64) -> String {
    format!("{} ng/mL", format::number(x.round()))
}

/// Minutes from the start as "4 h 5 min".
fn clock(t_min: f64) -> String {
    let total = t_min.round().max(0.0) as u64;
    match (total / 60, total % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{} h", format::number(h as f64)),
        (h, m) => format!("{} h {m} min", format::number(h as f64)),
    }
}

/// The plot, its summary and its caption.
pub fn pk_plot_ui(ui: &mut Ui, view: &PkView) {
    let p = match &view.preview {
        Ok(p) => p,
        Err(e) => {
            ui.label(format!("No prediction: {e}"));
            return;
        }
    };
    ui.label(RichText::new(view.summary()).strong());
    let band_color = theme::on(ui, theme::MUTED).gamma_multiply(0.3);
    let line_color = theme::on(ui, theme::INFO);
    let ceiling_color = theme::on(ui, theme::AVOID);
    let end_h = p.end_min / 60.0;
    let last_h = p.curve.points.last().map_or(end_h, |q| q.t_min / 60.0);
    // Room above the highest curve for the legend.
    let highest = p
        .ceiling
        .as_ref()
        .map_or(p.curve.peak.cp_ng_per_ml, |c| c.peak.cp_ng_per_ml)
        .max(
            view.ranges
                .iter()
                .map(|r| r.high_ng_per_ml)
                .fold(0.0, f64::max),
        );
    Plot::new("pk-preview")
        .height(260.0)
        .legend(Legend::default().position(egui_plot::Corner::LeftTop))
        .include_y(0.0)
        .include_y(highest * 1.9)
        .include_x(0.0)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .y_axis_min_width(56.0)
        .x_axis_formatter(|mark, _| format!("{} h", format::number(mark.value)))
        .y_axis_formatter(|mark, _| format!("{} ng/mL", format::number(mark.value)))
        .label_formatter(|hover| {
            let point = match hover {
                egui_plot::HoverPosition::NearDataPoint { position, .. } => position,
                egui_plot::HoverPosition::Elsewhere { position } => position,
            };
            Some(format!("{}: {}", clock(point.x * 60.0), ng_per_ml(point.y)))
        })
        .show(ui, |plot| {
            for range in &view.ranges {
                let name = format!("Reported: {} ({})", range_text(range), range.source);
                if range.low_ng_per_ml < range.high_ng_per_ml {
                    let far = last_h;
                    plot.polygon(
                        Polygon::new(
                            name,
                            PlotPoints::new(vec![
                                [0.0, range.low_ng_per_ml],
                                [far, range.low_ng_per_ml],
                                [far, range.high_ng_per_ml],
                                [0.0, range.high_ng_per_ml],
                            ]),
                        )
                        .fill_color(band_color)
                        .stroke(egui::Stroke::new(0.5, band_color)),
                    );
                } else {
                    plot.hline(
                        HLine::new(name, range.low_ng_per_ml)
                            .color(band_color.gamma_multiply(2.0))
                            .style(LineStyle::dotted_loose()),
                    );
                }
            }
            if let Some(ceiling) = &view.ceiling {
                plot.line(
                    Line::new("At the titration ceiling", PlotPoints::new(ceiling.clone()))
                        .color(ceiling_color)
                        .width(1.5)
                        .style(LineStyle::dashed_loose()),
                );
            }
            plot.line(
                Line::new(
                    "Predicted at the starting rate",
                    PlotPoints::new(view.starting.clone()),
                )
                .color(line_color)
                .width(2.0),
            );
            plot.vline(
                VLine::new("End of the infusion", end_h)
                    .color(Color32::GRAY)
                    .style(LineStyle::dashed_dense()),
            );
        });
    ui.label(RichText::new("Reported in studies (not targets):").small());
    for range in &view.ranges {
        ui.label(
            RichText::new(format!(
                "• {}: {} ({})",
                range_text(range),
                range.label,
                range.source
            ))
            .small(),
        );
    }
    ui.label(
        RichText::new(format!(
            "A population prediction from the {} model ({}), not a measurement: the patient's \
             own concentration may differ widely. Bands are concentrations reported in studies, \
             not targets. Source: {}",
            p.model.name, p.model.population, p.model.source
        ))
        .small()
        .color(theme::on(ui, theme::MUTED)),
    );
}
