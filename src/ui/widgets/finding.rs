//! One finding or limit alert: icon + severity word + message, the source on demand.

use crate::domain::findings::{Finding, LimitAlert};
use crate::ui::theme;
use egui::{RichText, Ui};

fn boxed_ui(ui: &mut Ui, color: egui::Color32, add: impl FnOnce(&mut Ui)) {
    egui::Frame::group(ui.style())
        .stroke(egui::Stroke::new(1.5, theme::on(ui, color)))
        .inner_margin(theme::SPACE)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            add(ui);
        });
}

pub fn finding_ui(ui: &mut Ui, f: &Finding) {
    let color = theme::severity_color(f.severity);
    boxed_ui(ui, color, |ui| {
        ui.horizontal_wrapped(|ui| {
            theme::icon_ui(ui, theme::severity_icon(f.severity), color);
            ui.label(
                RichText::new(format!(
                    "{}: {}",
                    theme::severity_word(f.severity),
                    f.display_title()
                ))
                .color(theme::on(ui, color))
                .strong(),
            );
        });
        ui.add(egui::Label::new(&f.message).wrap());
        egui::CollapsingHeader::new("Source and code")
            .id_salt(("finding-source", &f.code))
            .show(ui, |ui| {
                ui.add(egui::Label::new(&f.source).wrap());
                code_ui(ui, &f.code);
            });
    });
}

pub fn alert_ui(ui: &mut Ui, a: &LimitAlert) {
    let color = theme::alert_color(a.kind);
    boxed_ui(ui, color, |ui| {
        ui.horizontal_wrapped(|ui| {
            theme::icon_ui(ui, theme::alert_icon(a.kind), color);
            ui.label(
                RichText::new(format!(
                    "{}: {}",
                    theme::alert_word(a.kind),
                    a.display_title()
                ))
                .color(theme::on(ui, color))
                .strong(),
            );
        });
        ui.add(egui::Label::new(&a.message).wrap());
        egui::CollapsingHeader::new("Source and code")
            .id_salt(("alert-source", &a.code))
            .show(ui, |ui| {
                ui.add(egui::Label::new(&a.source).wrap());
                code_ui(ui, &a.code);
            });
    });
}

/// The contract code, for the physician and the JSON, kept out of the nurse's way.
fn code_ui(ui: &mut Ui, code: &str) {
    ui.label(
        RichText::new(format!("Code: {code}"))
            .monospace()
            .color(theme::on(ui, theme::MUTED)),
    );
}

/// A compact alert line beside a dose field, the way a smart pump shows it.
pub fn inline_alert_ui(ui: &mut Ui, a: &LimitAlert) {
    let color = theme::alert_color(a.kind);
    crate::ui::widgets::field::indented_ui(ui, |ui| {
        boxed_ui(ui, color, |ui| {
            theme::icon_text_ui(
                ui,
                theme::alert_icon(a.kind),
                color,
                RichText::new(format!(
                    "{}: {}. {}",
                    theme::alert_word(a.kind),
                    a.display_title(),
                    a.message
                )),
            );
        });
    });
}
