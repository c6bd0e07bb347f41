//! Liver function tests of a session: the results recorded, which are raised (the engine's
//! judgement), and the entry of a new result.

use super::ctx::CourseCtx;
use crate::domain::course::{CourseSummary, LftReference, Session};
use crate::order::format;
use crate::ui::course_state::{CourseState, LFT_FIELDS, LftDraft};
use crate::ui::theme;
use crate::ui::widgets::flowsheet::cell_ui;
use egui::{RichText, Ui};

pub(super) fn lft_ui(
    ui: &mut Ui,
    state: &mut CourseState,
    ctx: &CourseCtx<'_>,
    session: &Session,
    summary: &CourseSummary,
) {
    ui.add_space(theme::SPACE);
    ui.label(RichText::new("Liver function tests").strong().size(15.0));
    let value = |v: Option<f64>, uln: Option<f64>| match (v, uln) {
        (Some(v), Some(u)) => format!("{} (ULN {})", format::number(v), format::number(u)),
        (Some(v), None) => format::number(v),
        (None, _) => "—".to_string(),
    };
    let mut remove = None;
    if session.lft.is_empty() {
        ui.label(
            RichText::new("No liver test result recorded with this session.")
                .color(theme::on(ui, theme::MUTED)),
        );
    } else {
        egui::Grid::new(("lft-results", session.id))
            .striped(true)
            .spacing([12.0, 4.0])
            .show(ui, |ui| {
                for h in ["Date", "ALT, U/L", "AST, U/L", "ALP, U/L", ""] {
                    ui.label(RichText::new(h).strong());
                }
                ui.end_row();
                for (i, r) in session.lft.iter().enumerate() {
                    ui.label(format::date(r.date));
                    ui.label(value(r.alt, r.alt_uln));
                    ui.label(value(r.ast, r.ast_uln));
                    ui.label(value(r.alp, r.alp_uln));
                    let name = format!("Remove the liver test of {}", format::date(r.date));
                    let b = ui
                        .small_button("Remove")
                        .on_hover_text("Typed in error: the audit trail keeps the old value");
                    b.widget_info(|| {
                        egui::WidgetInfo::labeled(egui::Role::Button, true, name.clone())
                    });
                    if b.clicked() {
                        remove = Some(i);
                    }
                    ui.end_row();
                }
            });
    }
    if let Some(i) = remove {
        state.remove_lft(session.id, i);
    }
    for rise in summary
        .lft_raised
        .iter()
        .filter(|r| r.session_id == session.id)
    {
        let against = match rise.compared_with {
            LftReference::Baseline => "the first recorded value",
            LftReference::Uln => "the upper limit of normal",
        };
        theme::icon_text_ui(
            ui,
            theme::severity_icon(crate::domain::protocol::Severity::Caution),
            theme::CAUTION,
            RichText::new(format!(
                "Raised: {} {} U/L on {}, {} times {against} ({} U/L)",
                rise.enzyme.name(),
                format::number(rise.value_u_per_l),
                format::date(rise.date),
                format::decimals(rise.value_u_per_l / rise.reference_u_per_l, 1),
                format::number(rise.reference_u_per_l)
            )),
        );
    }

    if state
        .lft
        .as_ref()
        .is_none_or(|d| d.session_id != session.id)
    {
        state.lft = Some(LftDraft::new(session.id));
    }
    let mut record = false;
    if let Some(draft) = state.lft.as_mut() {
        record = lft_form_ui(ui, draft);
    }
    if record {
        state.record_lft(ctx.protocol);
    }
}

/// The entries of a new result; returns true when "Record LFT result" was pressed.
fn lft_form_ui(ui: &mut Ui, d: &mut LftDraft) -> bool {
    let errors = d.errors.clone();
    let error_for = |ui: &mut Ui, field: &str, label: &str| {
        for (_, message) in errors.iter().filter(|(f, _)| f == field) {
            theme::icon_text_ui(
                ui,
                theme::ICON_ERROR,
                theme::STOP,
                RichText::new(format!("{label}: {message}")),
            );
        }
    };
    egui::Grid::new(("lft-entry", d.session_id))
        .spacing([10.0, 6.0])
        .show(ui, |ui| {
            ui.label("Date of the test (YYYY-MM-DD)");
            cell_ui(ui, &mut d.date, 110.0, "LFT date");
            error_for(ui, "date", "LFT date");
            ui.end_row();
            for (field, label) in LFT_FIELDS {
                // The entry's accessible name carries the unit; the row label is shorter.
                ui.label(format!("{}, U/L", label.trim_end_matches(" (U/L)")));
                if let Some(text) = d.text_mut(field) {
                    cell_ui(ui, text, 110.0, label);
                }
                error_for(ui, field, label);
                ui.end_row();
            }
        });
    error_for(ui, "lft", "Liver test");
    ui.button("Record LFT result")
        .on_hover_text("Saved to the session; the change is kept in the audit trail")
        .clicked()
}
