//! The course file bar: new, open, save, save as and export FHIR, with the file's name and
//! unsaved mark.

use crate::ui::course_state::{CoursePrompt, CourseState, suggested_course_name};
use crate::ui::theme;
use egui::{RichText, Ui};

pub(super) fn file_bar_ui(ui: &mut Ui, state: &mut CourseState) {
    if let Some(conflict) = state.clinic_conflict.clone() {
        theme::icon_text_ui(
            ui,
            theme::ICON_STOP,
            theme::STOP,
            RichText::new(conflict).strong(),
        );
        if ui
            .button("Reload from the clinic database, keeping my changes")
            .clicked()
        {
            state
                .requests
                .push(crate::ui::course_state::CourseRequest::ReloadFromClinic);
        }
    }
    ui.horizontal_wrapped(|ui| {
        if ui
            .button("New course")
            .on_hover_text("Start an empty course")
            .clicked()
        {
            state.new_course();
        }
        if ui.button("Open course…").clicked() {
            let folder = state
                .file
                .as_ref()
                .and_then(|f| f.parent())
                .map(|d| format!("{}{}", d.display(), std::path::MAIN_SEPARATOR))
                .unwrap_or_default();
            state.prompt = Some(CoursePrompt::new(false, folder));
        }
        let has_doc = state.doc.is_some();
        ui.add_enabled_ui(has_doc, |ui| {
            if ui
                .button("Save course")
                .on_hover_text("Save the course (Ctrl+S)")
                .clicked()
            {
                save_course(state);
            }
            if ui
                .button("Save course as…")
                .on_hover_text("Save the course under another name (Ctrl+Shift+S)")
                .clicked()
            {
                save_course_as(state);
            }
            if ui
                .button("Export FHIR…")
                .on_hover_text(
                    "Save the sessions given and their charted vital signs as a FHIR R4 bundle (JSON) for the EHR",
                )
                .clicked()
            {
                state
                    .requests
                    .push(crate::ui::course_state::CourseRequest::ExportFhir);
            }
        });
        ui.separator();
        let name = match (&state.record, &state.file) {
            (Some(record), _) => format!("Clinic database: MRN {}", record.mrn),
            _ => String::new(),
        };
        let name = if !name.is_empty() {
            name
        } else {
            state.file.as_ref().map_or_else(
                || {
                    if has_doc {
                        "New course (not saved)".to_string()
                    } else {
                        "No course open".to_string()
                    }
                },
                |p| p.display().to_string(),
            )
        };
        ui.label(RichText::new(name).color(theme::on(ui, theme::MUTED)));
        if state.is_dirty() {
            ui.label(
                RichText::new("• unsaved changes")
                    .color(theme::on(ui, theme::AVOID))
                    .strong(),
            );
        }
    });
}

/// Save the course to its file, or ask where when it has none.
pub fn save_course(state: &mut CourseState) {
    if state.doc.is_none() {
        return;
    }
    if state.record.is_some() {
        state.request_clinic_save();
        return;
    }
    match state.file.clone() {
        Some(path) => {
            let _ = state.save_to(&path);
        }
        None => state.prompt = Some(save_prompt(state)),
    }
}

/// Ask where to save the course.
pub fn save_course_as(state: &mut CourseState) {
    if state.doc.is_some() {
        state.prompt = Some(save_prompt(state));
    }
}

pub(super) fn save_prompt(state: &CourseState) -> CoursePrompt {
    let text = match (&state.file, &state.doc) {
        (Some(p), _) => p.display().to_string(),
        (None, Some(doc)) => suggested_course_name(doc),
        (None, None) => String::new(),
    };
    CoursePrompt::new(true, text)
}
