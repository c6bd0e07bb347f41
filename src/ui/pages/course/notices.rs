//! The course page's notices: an open error, an autosave to recover, the last action's result.

use super::ctx::CourseCtx;
use crate::ui::course_state::{CourseNoticeKind, CourseState};
use crate::ui::theme;
use egui::{RichText, Ui};

pub(super) fn notices_ui(ui: &mut Ui, state: &mut CourseState, ctx: &CourseCtx<'_>) {
    if let Some(error) = state.open_error.clone() {
        egui::Frame::group(ui.style())
            .stroke(egui::Stroke::new(1.5, theme::on(ui, theme::STOP)))
            .show(ui, |ui| {
                ui.set_width(ui.available_width());
                theme::icon_text_ui(
                    ui,
                    theme::ICON_ERROR,
                    theme::STOP,
                    RichText::new("The course file could not be opened. Nothing was changed, and the file will not be overwritten.").strong(),
                );
                ui.add(egui::Label::new(RichText::new(&error).monospace()).wrap());
                if ui.button("Dismiss the error").clicked() {
                    state.open_error = None;
                }
            });
    }
    if let Some(path) = state.recovery.clone() {
        egui::Frame::group(ui.style())
            .stroke(egui::Stroke::new(1.5, theme::on(ui, theme::AVOID)))
            .show(ui, |ui| {
                theme::icon_text_ui(
                    ui,
                    theme::ICON_WARN,
                    theme::AVOID,
                    RichText::new(format!(
                        "An autosave with changes that were never saved exists: {}",
                        path.display()
                    )),
                );
                ui.horizontal(|ui| {
                    if ui.button("Recover the autosave").clicked() {
                        state.recover(ctx.protocol);
                    }
                    if ui.button("Keep the saved course").clicked() {
                        state.recovery = None;
                    }
                });
            });
    }
    if let Some((kind, text)) = state.notice.clone() {
        let (icon, color) = match kind {
            CourseNoticeKind::Done => (theme::ICON_OK, theme::OK),
            CourseNoticeKind::Warning => (theme::ICON_WARN, theme::AVOID),
            CourseNoticeKind::Error => (theme::ICON_ERROR, theme::STOP),
        };
        theme::icon_text_ui(ui, icon, color, RichText::new(text));
    }
}
