//! The yearly treatment count against the guideline's two limits, with its gauge.

use super::badge::response_badge_ui;
use super::ctx::CourseCtx;
use crate::domain::course::CourseSummary;
use crate::order::format;
use crate::ui::theme;
use egui::{RichText, Ui};

/// The yearly count against the pack's two limits, with the engine's finding for a next
/// session on the order date.
pub(super) fn count_ui(
    ui: &mut Ui,
    ctx: &CourseCtx<'_>,
    doc: &crate::domain::course::CourseDocument,
    summary: &CourseSummary,
) {
    let annual = &ctx.protocol.pack.annual;
    let window = ctx.protocol.pack.course.window_days.value;
    let count = summary.treatments_past_12_months;
    // The engine's judgement of one more session today (annual_treatments_high/exceeded).
    let next = crate::domain::course::next_visit_case(ctx.protocol, doc, ctx.today)
        .map(|(case, _)| crate::domain::plan(ctx.protocol, &case));
    let annual_finding = next.as_ref().and_then(|p| {
        p.finding("annual_treatments_exceeded")
            .or_else(|| p.finding("annual_treatments_high"))
            .cloned()
    });
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal_wrapped(|ui| {
            ui.label(
                RichText::new(format!(
                    "{count} treatment{} in the {} days up to {}",
                    if count == 1 { "" } else { "s" },
                    format::number(window),
                    format::date(ctx.today)
                ))
                .strong()
                .size(16.0),
            );
            ui.separator();
            ui.label(format!(
                "guideline: no more than {} to {} a year",
                format::number(annual.high_above.value),
                format::number(annual.exceeded_above.value)
            ));
        });
        gauge_ui(ui, count, annual.high_above.value, annual.exceeded_above.value);
        ui.horizontal_wrapped(|ui| {
            ui.label(format!(
                "Ketamine in these 12 months: {} over {}",
                format::mg(summary.cumulative_mg_12_months),
                format::hours(summary.infusion_hours_12_months)
            ));
        });
        match &annual_finding {
            Some(f) => theme::icon_text_ui(
                ui,
                theme::severity_icon(f.severity),
                theme::severity_color(f.severity),
                RichText::new(format!(
                    "Another session today: {}: {}",
                    theme::severity_word(f.severity),
                    f.message
                )),
            ),
            None if next.is_some() => theme::icon_text_ui(
                ui,
                theme::ICON_OK,
                theme::OK,
                RichText::new(format!(
                    "Another session today would be number {} in 12 months: within the guideline's {}.",
                    count + 1,
                    format::number(annual.high_above.value)
                )),
            ),
            None => {}
        }
        if let Some(r) = &summary.last_response {
            ui.horizontal(|ui| {
                ui.label("Last response:");
                response_badge_ui(ui, Some(r));
            });
        }
    });
}

/// A bar of 12 + a few cells: filled for each treatment, marks at the two limits.
pub(super) fn gauge_ui(ui: &mut Ui, count: u32, high: f64, exceeded: f64) {
    let cells = (exceeded as u32 + 2).max(count);
    let cell = 22.0;
    let (rect, response) =
        ui.allocate_exact_size(egui::vec2(cell * cells as f32, 30.0), egui::Sense::hover());
    let painter = ui.painter();
    let filled = theme::on(ui, theme::INFO);
    let stroke = ui.visuals().widgets.noninteractive.fg_stroke;
    for i in 0..cells {
        let r = egui::Rect::from_min_size(
            rect.min + egui::vec2(i as f32 * cell, 4.0),
            egui::vec2(cell - 3.0, 14.0),
        );
        if i < count {
            painter.rect_filled(r, 2.0, filled);
        } else {
            painter.rect_stroke(r, 2.0, stroke, egui::StrokeKind::Inside);
        }
    }
    for (limit, color) in [(high, theme::CAUTION), (exceeded, theme::AVOID)] {
        let x = rect.min.x + limit as f32 * cell - 1.5;
        let color = theme::on(ui, color);
        painter.vline(x, rect.min.y..=rect.max.y, egui::Stroke::new(2.0, color));
        // The limit's number beside its mark, so the mark does not rely on colour.
        painter.text(
            egui::pos2(x + 3.0, rect.max.y - 1.0),
            egui::Align2::LEFT_BOTTOM,
            format::number(limit),
            egui::FontId::proportional(11.0),
            color,
        );
    }
    response.on_hover_text(format!(
        "{count} of the guideline's {} to {}",
        format::number(high),
        format::number(exceeded)
    ));
}
