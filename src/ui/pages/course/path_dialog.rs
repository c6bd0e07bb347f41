//! The course path dialog: open or save a course file by path.

use super::ctx::CourseCtx;
use crate::ui::course_state::{CoursePrompt, CourseState, course_save_path};
use crate::ui::files::expand_home;
use crate::ui::theme;
use crate::ui::widgets::path_entry::{path_dialog_heading_ui, path_entry_ui, path_problem_ui};
use egui::RichText;

pub(super) fn prompt_ui(ctx: &egui::Context, state: &mut CourseState, cctx: &CourseCtx<'_>) {
    let Some(mut prompt) = state.prompt.take() else {
        return;
    };
    prompt.poll_browse();
    let mut confirm = false;
    let mut cancel = false;
    let response = egui::Modal::new(egui::Id::unique("course-path")).show(ctx, |ui| {
        path_dialog_heading_ui(ui, prompt.title(), None);
        let label = prompt.path_label();
        confirm |= path_entry_ui(ui, &mut prompt.entry, label, "/home/…/patient.ketaplan");
        ui.label(RichText::new("Course files: *.ketaplan").color(theme::on(ui, theme::MUTED)));
        path_problem_ui(ui, &prompt.entry);
        ui.horizontal(|ui| {
            if ui.button(prompt.confirm_text()).clicked() {
                confirm = true;
            }
            if ui
                .add_enabled(!prompt.browsing(), egui::Button::new("Browse…"))
                .on_hover_text("Choose the file in the system's file dialog")
                .clicked()
            {
                prompt.browse(ui.ctx());
            }
            if ui.button("Cancel").clicked() {
                cancel = true;
            }
        });
    });
    if cancel || (response.should_close() && !confirm) {
        return;
    }
    if confirm {
        state.prompt = confirm_prompt(state, prompt, cctx);
    } else {
        state.prompt = Some(prompt);
    }
}

pub(super) fn confirm_prompt(
    state: &mut CourseState,
    mut prompt: CoursePrompt,
    ctx: &CourseCtx<'_>,
) -> Option<CoursePrompt> {
    if prompt.entry.text.trim().is_empty() {
        prompt.entry.problem = Some("Type a path first.".into());
        return Some(prompt);
    }
    let typed = expand_home(&prompt.entry.text);
    if !prompt.save {
        if !typed.is_file() {
            prompt.entry.problem = Some(format!("There is no file at {}.", typed.display()));
            return Some(prompt);
        }
        if state.is_dirty() && state.file.as_deref() != Some(typed.as_path()) {
            prompt.entry.problem = Some(
                "The open course has unsaved changes: save it first (nothing was opened).".into(),
            );
            return Some(prompt);
        }
        // A failure is shown on the page (file, line:column); the file is left alone.
        state.open(ctx.protocol, &typed);
        return None;
    }
    let path = course_save_path(&typed);
    let folder_ok = path
        .parent()
        .is_none_or(|d| d.as_os_str().is_empty() || d.is_dir());
    if !folder_ok {
        prompt.entry.problem = Some(format!("The folder of {} does not exist.", path.display()));
        return Some(prompt);
    }
    let replaces_other = path.exists() && state.file.as_deref() != Some(path.as_path());
    if replaces_other && !prompt.entry.confirm_replace {
        prompt.entry.problem = Some(format!(
            "{} already exists. Press \"{}\" again to replace it (the old version is kept as .bak).",
            path.display(),
            prompt.confirm_text()
        ));
        prompt.entry.confirm_replace = true;
        return Some(prompt);
    }
    match state.save_to(&path) {
        Ok(_) => None,
        Err(e) => {
            prompt.entry.problem = Some(e);
            Some(prompt)
        }
    }
}
