//! The modal dialogs: native file dialogs, the typed-path prompt and the open-failed list.

use super::{Intent, KetaplanApp, Modal};

use crate::ui::files::{
    self, DialogKind, DialogPoll, NativeDialog, PathPrompt, case_save_path, expand_home,
    suggested_file_name,
};
use crate::ui::theme;
use crate::ui::widgets::path_entry::{path_dialog_heading_ui, path_entry_ui, path_problem_ui};
use egui::RichText;
use std::path::PathBuf;

impl KetaplanApp {
    pub(super) fn start_dialog(
        &mut self,
        kind: DialogKind,
        then: Option<Intent>,
        ctx: &egui::Context,
    ) {
        let folder = self.suggested_folder().map(PathBuf::from);
        let file_name = match kind {
            DialogKind::SaveCase => Some(self.suggested_name()),
            _ => None,
        };
        if self.native_dialogs {
            self.modal = Some(Modal::Native {
                dialog: NativeDialog::spawn(kind, folder, file_name, ctx.clone()),
                then,
            });
        } else {
            self.modal = Some(Modal::Path {
                prompt: PathPrompt::new(kind, self.initial_path_text(kind), None),
                then,
            });
        }
    }

    fn suggested_name(&self) -> String {
        match &self.file {
            Some(p) => case_save_path(p).file_name().map_or_else(
                || suggested_file_name(&self.state.draft),
                |n| n.to_string_lossy().to_string(),
            ),
            None => suggested_file_name(&self.state.draft),
        }
    }

    /// The last folder used, else the documents folder (only with a real data folder, so
    /// the tests' apps never suggest the machine's home).
    pub(super) fn suggested_folder(&self) -> Option<String> {
        self.prefs.last_folder.clone().or_else(|| {
            self.data_dir
                .as_ref()
                .and_then(|_| crate::ui::files::documents_folder())
                .map(|d| d.display().to_string())
        })
    }

    fn initial_path_text(&self, kind: DialogKind) -> String {
        let folder = self
            .suggested_folder()
            .map(|f| format!("{}{}", f.trim_end_matches('/'), std::path::MAIN_SEPARATOR));
        match kind {
            DialogKind::SaveCase => match (&self.file, folder) {
                (Some(p), _) => case_save_path(p).display().to_string(),
                (None, Some(f)) => format!("{f}{}", self.suggested_name()),
                (None, None) => String::new(),
            },
            DialogKind::OpenCase | DialogKind::OpenProtocol => folder.unwrap_or_default(),
        }
    }

    fn dialog_chosen(
        &mut self,
        kind: DialogKind,
        path: PathBuf,
        then: Option<Intent>,
        ctx: &egui::Context,
    ) {
        match kind {
            DialogKind::OpenCase => {
                self.open_path(&path);
            }
            DialogKind::SaveCase => {
                if self.save_to(&path).is_ok()
                    && let Some(intent) = then
                {
                    self.perform(intent, ctx);
                }
            }
            DialogKind::OpenProtocol => {
                let _ = self.use_protocol_file(&path);
            }
        }
    }

    /// The typed path's confirm button. Returns the prompt again when it must stay open.
    fn confirm_typed_path(
        &mut self,
        mut prompt: PathPrompt,
        then: Option<Intent>,
        ctx: &egui::Context,
    ) -> Option<Modal> {
        if prompt.entry.text.trim().is_empty() {
            prompt.entry.problem = Some("Type a path first.".into());
            return Some(Modal::Path { prompt, then });
        }
        let typed = expand_home(&prompt.entry.text);
        match prompt.kind {
            DialogKind::OpenCase | DialogKind::OpenProtocol if !typed.is_file() => {
                prompt.entry.problem = Some(format!("There is no file at {}.", typed.display()));
                Some(Modal::Path { prompt, then })
            }
            DialogKind::OpenCase => {
                self.open_path(&typed);
                None
            }
            DialogKind::OpenProtocol => match self.use_protocol_file(&typed) {
                Ok(()) => None,
                Err(e) => {
                    prompt.entry.problem = Some(e);
                    Some(Modal::Path { prompt, then })
                }
            },
            DialogKind::SaveCase => {
                let path = case_save_path(&typed);
                let folder_ok = path
                    .parent()
                    .is_none_or(|d| d.as_os_str().is_empty() || d.is_dir());
                if !folder_ok {
                    prompt.entry.problem =
                        Some(format!("The folder of {} does not exist.", path.display()));
                    return Some(Modal::Path { prompt, then });
                }
                let replaces_other = path.exists() && self.file.as_deref() != Some(path.as_path());
                if replaces_other && !prompt.entry.confirm_replace {
                    prompt.entry.problem = Some(format!(
                        "{} already exists. Press \"Save to this path\" again to replace it (the old version is kept as .bak).",
                        path.display()
                    ));
                    prompt.entry.confirm_replace = true;
                    return Some(Modal::Path { prompt, then });
                }
                match self.save_to(&path) {
                    Ok(_) => {
                        if let Some(intent) = then {
                            self.perform(intent, ctx);
                        }
                        None
                    }
                    Err(e) => {
                        prompt.entry.problem = Some(e);
                        Some(Modal::Path { prompt, then })
                    }
                }
            }
        }
    }

    pub(super) fn poll_native_dialog(&mut self, ctx: &egui::Context) {
        let Some(Modal::Native { dialog, .. }) = &self.modal else {
            return;
        };
        let kind = dialog.kind;
        match dialog.poll() {
            DialogPoll::Waiting => {}
            DialogPoll::Chosen(path) => {
                if let Some(Modal::Native { then, .. }) = self.modal.take() {
                    self.dialog_chosen(kind, path, then, ctx);
                }
            }
            DialogPoll::Cancelled { elapsed } => {
                let then = match self.modal.take() {
                    Some(Modal::Native { then, .. }) => then,
                    _ => None,
                };
                if elapsed < files::NO_DIALOG_WITHIN {
                    // No dialog could be shown: from now on, ask for a typed path.
                    self.native_dialogs = false;
                    self.modal = Some(Modal::Path {
                        prompt: PathPrompt::new(
                            kind,
                            self.initial_path_text(kind),
                            Some("No system file dialog is available here: type the path.".into()),
                        ),
                        then,
                    });
                }
            }
        }
    }

    pub(super) fn modal_ui(&mut self, ctx: &egui::Context) {
        let Some(modal) = self.modal.take() else {
            return;
        };
        let next = match modal {
            Modal::Unsaved(intent) => self.unsaved_ui(ctx, intent),
            Modal::Native { dialog, then } => {
                let mut give_up = false;
                egui::Modal::new(egui::Id::unique("native-dialog")).show(ctx, |ui| {
                    ui.heading(dialog.kind.title());
                    ui.label(
                        "A file dialog is open. Choose a file there, or type the path instead.",
                    );
                    give_up = ui.button("Type a path instead").clicked();
                });
                if give_up {
                    // The native dialog's answer will be ignored (its thread just ends).
                    Some(Modal::Path {
                        prompt: PathPrompt::new(
                            dialog.kind,
                            self.initial_path_text(dialog.kind),
                            None,
                        ),
                        then,
                    })
                } else {
                    Some(Modal::Native { dialog, then })
                }
            }
            Modal::Path { prompt, then } => self.path_prompt_ui(ctx, prompt, then),
            Modal::OpenFailed { path, errors } => {
                let mut close = false;
                let response = egui::Modal::new(egui::Id::unique("open-failed")).show(ctx, |ui| {
                    ui.set_max_width(ui.available_width().min(640.0));
                    theme::icon_text_ui(
                        ui,
                        theme::ICON_ERROR,
                        theme::STOP,
                        RichText::new(format!("Could not open {path}")).strong(),
                    );
                    ui.label("Nothing was changed. The file has these problems:");
                    egui::ScrollArea::vertical()
                        .max_height(320.0)
                        .show(ui, |ui| {
                            for e in &errors {
                                let text = if e.field.is_empty() {
                                    e.message.clone()
                                } else {
                                    format!("{}: {}", e.field, e.message)
                                };
                                ui.add(egui::Label::new(format!("• {text}")).wrap());
                            }
                        });
                    close = ui.button("OK").clicked();
                });
                if close || response.should_close() {
                    None
                } else {
                    Some(Modal::OpenFailed { path, errors })
                }
            }
        };
        // What the dialog's answer started (another dialog, an error list) comes first.
        if self.modal.is_none() {
            self.modal = next;
        }
    }

    fn path_prompt_ui(
        &mut self,
        ctx: &egui::Context,
        mut prompt: PathPrompt,
        then: Option<Intent>,
    ) -> Option<Modal> {
        let mut confirm = false;
        let mut cancel = false;
        let response = egui::Modal::new(egui::Id::unique("typed-path")).show(ctx, |ui| {
            path_dialog_heading_ui(ui, prompt.kind.title(), prompt.note.as_deref());
            confirm |= path_entry_ui(
                ui,
                &mut prompt.entry,
                prompt.kind.path_label(),
                "/home/…/patient.case.ron",
            );
            if matches!(prompt.kind, DialogKind::OpenCase) {
                ui.label(
                    RichText::new("Case files: *.case.ron or *.case.json")
                        .color(theme::on(ui, theme::MUTED)),
                );
            }
            path_problem_ui(ui, &prompt.entry);
            ui.horizontal(|ui| {
                if ui.button(prompt.kind.confirm_text()).clicked() {
                    confirm = true;
                }
                if ui.button("Cancel").clicked() {
                    cancel = true;
                }
            });
        });
        if cancel || (response.should_close() && !confirm) {
            return None;
        }
        if confirm {
            return self.confirm_typed_path(prompt, then, ctx);
        }
        Some(Modal::Path { prompt, then })
    }
}
