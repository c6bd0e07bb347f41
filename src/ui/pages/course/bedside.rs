//! The bedside record of a session: the flowsheet, the printable monitoring chart and its export.

use super::ctx::CourseCtx;
use crate::domain::course::Session;
use crate::ui::course_state::{CourseNoticeKind, CourseRequest, CourseState};
use crate::ui::theme;
use crate::ui::widgets::flowsheet::flowsheet_ui;
use egui::{RichText, Ui};

/// The bedside record (flowsheet) of a session, its printable monitoring chart and export.
pub(super) fn bedside_ui(
    ui: &mut Ui,
    state: &mut CourseState,
    ctx: &CourseCtx<'_>,
    session: &Session,
) {
    ui.add_space(theme::SPACE);
    egui::CollapsingHeader::new(
        RichText::new("Bedside record (flowsheet)")
            .strong()
            .size(15.0),
    )
    .id_salt(("flowsheet-section", session.id))
    .default_open(true)
    .show(ui, |ui| {
        let sheet = state.sheet_mut(session);
        let limits = &ctx.protocol.pack.monitoring_plan.vital_limits;
        let events = flowsheet_ui(ui, sheet, session, limits);
        if let Some(part) = events.focused {
            state.bedside_focus_now = Some((session.id, part));
        }
        if events.record {
            state.commit_bedside(session.id);
        }
        if events.fill
            && let Err(errors) = state.fill_given(ctx.protocol, session.id)
        {
            state.notify(CourseNoticeKind::Error, errors.join(" "));
        }
        ui.horizontal(|ui| {
            let showing = state.print_view == Some(session.id);
            if ui
                .button(if showing {
                    "Hide the monitoring chart"
                } else {
                    "Show the printable monitoring chart"
                })
                .clicked()
            {
                state.print_view = if showing { None } else { Some(session.id) };
            }
            if ui
                .button("Export monitoring chart (PDF)…")
                .on_hover_text(
                    "Record the bedside entries, then save this session's monitoring chart as a PDF",
                )
                .clicked()
            {
                state.requests.push(CourseRequest::ExportChart(session.id));
            }
        });
        if state.print_view == Some(session.id) {
            // The same sheet the PDF export renders (entries on screen included).
            let lines = state
                .monitoring_chart(ctx.protocol, session.id, ctx.paper)
                .map(|sheet| crate::order::text::lines(&sheet))
                .unwrap_or_default();
            let text = lines.join("\n");
            state.chart_lines = lines;
            if ui.button("Copy the monitoring chart").clicked() {
                ui.ctx().copy_text(text.clone());
            }
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.add(egui::Label::new(RichText::new(text).monospace()).extend());
            });
        }
    });
}
