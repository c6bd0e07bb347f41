//! The follow-up entry form of a session (before/after scores, yes/no answers).

use crate::ui::course_state::FollowUpDraft;
use crate::ui::theme;
use crate::ui::widgets::field::named_choice_ui;
use crate::ui::widgets::flowsheet::cell_ui;
use egui::{RichText, Ui};

pub(super) fn yes_no_ui(ui: &mut Ui, value: &mut Option<bool>, name: &str) {
    ui.horizontal(|ui| {
        if named_choice_ui(ui, *value == Some(true), "Yes", &format!("{name} Yes")).clicked() {
            *value = Some(true);
        }
        if named_choice_ui(ui, *value == Some(false), "No", &format!("{name} No")).clicked() {
            *value = Some(false);
        }
        if value.is_some()
            && ui
                .small_button("Clear")
                .on_hover_text(format!("{name}: not answered"))
                .clicked()
        {
            *value = None;
        }
    });
}

/// The follow-up entries; returns true when "Record follow-up" was pressed.
pub(super) fn follow_up_form_ui(ui: &mut Ui, d: &mut FollowUpDraft) -> bool {
    let errors = d.errors.clone();
    let error_for = |ui: &mut Ui, key: &str| {
        for e in errors
            .iter()
            .filter(|e| e.field == format!("follow_up.{key}"))
        {
            theme::icon_text_ui(
                ui,
                theme::ICON_ERROR,
                theme::STOP,
                RichText::new(&e.message),
            );
        }
    };
    egui::Grid::new(("follow-up", d.session_id))
        .spacing([10.0, 6.0])
        .show(ui, |ui| {
            ui.label("");
            ui.label(RichText::new("Before").strong());
            ui.label(RichText::new("After").strong());
            ui.end_row();
            for (label, key, before, after, hint) in [
                (
                    "Pain (0–10)",
                    "pain",
                    &mut d.pain_before,
                    &mut d.pain_after,
                    "",
                ),
                (
                    "Oswestry Disability Index",
                    "odi",
                    &mut d.odi_before,
                    &mut d.odi_after,
                    "",
                ),
                (
                    "Opioids, MME per day",
                    "opioid_mme",
                    &mut d.mme_before,
                    &mut d.mme_after,
                    "",
                ),
            ] {
                ui.label(label);
                cell_ui(ui, before, 80.0, &format!("{label} before")).on_hover_text(hint);
                cell_ui(ui, after, 80.0, &format!("{label} after"));
                ui.vertical(|ui| {
                    error_for(ui, &format!("{key}_before"));
                    error_for(ui, &format!("{key}_after"));
                });
                ui.end_row();
            }
            ui.label("Relief lasted (weeks)");
            cell_ui(ui, &mut d.weeks_of_relief, 80.0, "Weeks of relief");
            ui.label("");
            ui.vertical(|ui| error_for(ui, "weeks_of_relief"));
            ui.end_row();
        });
    ui.horizontal(|ui| {
        ui.label("Satisfied with the result?");
        yes_no_ui(ui, &mut d.satisfied, "Satisfied");
    });
    ui.horizontal(|ui| {
        ui.label("Relief still ongoing?");
        yes_no_ui(ui, &mut d.relief_ongoing, "Relief ongoing");
    });
    for e in errors
        .iter()
        .filter(|e| !e.field.starts_with("follow_up.") || e.field == "follow_up")
    {
        theme::icon_text_ui(
            ui,
            theme::ICON_ERROR,
            theme::STOP,
            RichText::new(format!("{}: {}", e.field, e.message)),
        );
    }
    ui.button("Record follow-up")
        .on_hover_text("Saved to the session; the change is kept in the audit trail")
        .clicked()
}
