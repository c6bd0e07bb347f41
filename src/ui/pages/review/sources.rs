//! A line of the plan with its guideline source beside it (collapsed, opened on click).

use crate::ui::theme;
use egui::{RichText, Ui};

/// A bold name, its text, and the source on demand.
pub(super) fn sourced_ui(ui: &mut Ui, name: &str, text: &str, source: &str, salt: (&str, &str)) {
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(name).strong());
        ui.add(egui::Label::new(text).wrap());
    });
    source_ui(ui, source, &format!("{}-{}", salt.0, salt.1));
}

pub(super) fn source_ui(ui: &mut Ui, source: &str, salt: &str) {
    egui::CollapsingHeader::new(
        RichText::new("Source")
            .color(theme::on(ui, theme::MUTED))
            .small(),
    )
    .id_salt(("source", salt))
    .show(ui, |ui| {
        ui.add(egui::Label::new(source).wrap());
    });
}
