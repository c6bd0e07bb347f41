//! Course charts (egui_plot): pain before/after, ODI, opioid MME and the 12-month
//! cumulative dose, each over the session dates. Values come from the follow-ups as entered
//! and from the engine's course summary; nothing is derived here.

use crate::domain::Protocol;
use crate::domain::course::{CourseDocument, summarize};
use crate::order::format;
use crate::ui::theme;
use chrono::{Duration, NaiveDate};
use egui::{RichText, Ui};
use egui_plot::{Corner, Legend, Line, MarkerShape, Plot, PlotPoints, Points};

/// One before/after pair of series (x = days since the first session).
pub struct Series {
    /// The top of the scale, always shown (pain 0–10, ODI 0–100), so a small change does
    /// not look like a large one.
    pub full_scale: Option<f64>,
    pub before: Vec<[f64; 2]>,
    pub after: Vec<[f64; 2]>,
}

/// Everything the charts show, gathered from the course.
pub struct CourseCharts {
    pub first: NaiveDate,
    pub pain: Series,
    pub odi: Series,
    pub mme: Series,
    /// The engine's 12-month cumulative dose on each session's date.
    pub cumulative_mg: Vec<[f64; 2]>,
}

impl CourseCharts {
    pub fn gather(protocol: &Protocol, doc: &CourseDocument) -> Option<CourseCharts> {
        let first = doc.sessions.iter().map(|s| s.date()).min()?;
        let x = |d: NaiveDate| (d - first).num_days() as f64;
        let limits = &protocol.pack.input_limits;
        let mut pain = Series {
            full_scale: Some(limits.pain_score_max.value),
            before: Vec::new(),
            after: Vec::new(),
        };
        let mut odi = Series {
            full_scale: Some(limits.odi_max.value),
            before: Vec::new(),
            after: Vec::new(),
        };
        let mut mme = Series {
            full_scale: None,
            before: Vec::new(),
            after: Vec::new(),
        };
        let mut cumulative_mg = Vec::new();
        for s in &doc.sessions {
            let day = x(s.date());
            if let Some(f) = &s.follow_up {
                let push = |series: &mut Series, b: Option<f64>, a: Option<f64>| {
                    if let Some(b) = b {
                        series.before.push([day, b]);
                    }
                    if let Some(a) = a {
                        series.after.push([day, a]);
                    }
                };
                push(&mut pain, f.pain_before, f.pain_after);
                push(&mut odi, f.odi_before, f.odi_after);
                push(&mut mme, f.opioid_mme_before, f.opioid_mme_after);
            }
            cumulative_mg.push([
                day,
                summarize(protocol, doc, s.date()).cumulative_mg_12_months,
            ]);
        }
        Some(CourseCharts {
            first,
            pain,
            odi,
            mme,
            cumulative_mg,
        })
    }
}

/// 1, 2 or 5 times a power of ten, at least `x`.
fn nice_step(x: f64) -> f64 {
    if !x.is_finite() || x <= 0.0 {
        return 1.0;
    }
    let power = 10f64.powf(x.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|s| *s >= x)
        .unwrap_or(10.0 * power)
}

fn plot(id: &str, width: f32, first: NaiveDate, unit: &'static str) -> Plot<'static> {
    Plot::new(id.to_string())
        .width(width)
        .height(170.0)
        // Bottom right: the values sit above it (scores and doses fall, the sum rises).
        .legend(Legend::default().position(Corner::RightBottom))
        .y_axis_min_width(44.0)
        .y_grid_spacer(egui_plot::uniform_grid_spacer(|input| {
            // About five labelled lines whatever the range (pain 0–10 or 1,000 mg).
            let step = nice_step((input.bounds.1 - input.bounds.0) / 5.0);
            [step / 2.0, step, step * 5.0]
        }))
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .show_x(false)
        .show_y(false)
        .sense(egui::Sense::hover())
        .include_y(0.0)
        .x_axis_formatter(move |mark, _| {
            let day = mark.value.round() as i64;
            format::date(first + Duration::days(day))
        })
        .y_axis_formatter(move |mark, _| {
            format!("{} {unit}", format::number(mark.value))
                .trim_end()
                .to_string()
        })
}

fn before_after_ui(
    ui: &mut Ui,
    width: f32,
    title: &str,
    id: &str,
    first: NaiveDate,
    unit: &'static str,
    series: &Series,
) {
    ui.vertical(|ui| {
        ui.label(RichText::new(title).strong());
        if series.before.is_empty() && series.after.is_empty() {
            ui.label(
                RichText::new("No follow-up recorded yet.").color(theme::on(ui, theme::MUTED)),
            );
            return;
        }
        let before_color = theme::on(ui, theme::AVOID);
        let after_color = theme::on(ui, theme::INFO);
        let mut chart = plot(id, width, first, unit);
        if let Some(top) = series.full_scale {
            chart = chart.include_y(top);
        }
        chart.show(ui, |p| {
            // Shape tells the series apart as well as colour: circles before, squares after.
            p.line(
                Line::new("before", PlotPoints::from(series.before.clone())).color(before_color),
            );
            p.points(
                Points::new("before", PlotPoints::from(series.before.clone()))
                    .shape(MarkerShape::Circle)
                    .radius(4.0)
                    .color(before_color),
            );
            p.line(Line::new("after", PlotPoints::from(series.after.clone())).color(after_color));
            p.points(
                Points::new("after", PlotPoints::from(series.after.clone()))
                    .shape(MarkerShape::Square)
                    .radius(4.0)
                    .color(after_color),
            );
        });
    });
}

/// The four charts, two a row.
pub fn course_charts_ui(ui: &mut Ui, charts: &CourseCharts) {
    let width = (ui.available_width() / 2.0 - 2.0 * theme::SPACE).clamp(240.0, 540.0);
    ui.horizontal_top(|ui| {
        before_after_ui(
            ui,
            width,
            "Pain score (0–10), before and after",
            "chart-pain",
            charts.first,
            "",
            &charts.pain,
        );
        before_after_ui(
            ui,
            width,
            "Oswestry Disability Index, before and after",
            "chart-odi",
            charts.first,
            "",
            &charts.odi,
        );
    });
    ui.add_space(theme::SPACE);
    ui.horizontal_top(|ui| {
        before_after_ui(
            ui,
            width,
            "Opioids (MME per day), before and after",
            "chart-mme",
            charts.first,
            "",
            &charts.mme,
        );
        ui.vertical(|ui| {
            ui.label(RichText::new("Ketamine in the 12 months up to each session").strong());
            let color = theme::on(ui, theme::INFO);
            plot("chart-cumulative", width, charts.first, "mg").show(ui, |p| {
                p.line(
                    Line::new(
                        "cumulative mg",
                        PlotPoints::from(charts.cumulative_mg.clone()),
                    )
                    .color(color),
                );
                p.points(
                    Points::new(
                        "cumulative mg",
                        PlotPoints::from(charts.cumulative_mg.clone()),
                    )
                    .shape(MarkerShape::Diamond)
                    .radius(4.0)
                    .color(color),
                );
            });
        });
    });
}
