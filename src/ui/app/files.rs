//! The case's files: New, Open, Save, the recent list, the restore file and the unsaved-changes prompt.

use super::{Intent, KetaplanApp, Modal, NoticeKind, WizardState};

use crate::domain::case::case_from_value;
use crate::ui::actions::{Page, View};
use crate::ui::draft::CaseDraft;
use crate::ui::files::{self, DialogKind, RestoreDoc, case_save_path, refuses_to_open};
use crate::ui::pages::PageState;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How often, at most, the case in progress is written to the restore file.
const RESTORE_EVERY: Duration = Duration::from_secs(2);

impl KetaplanApp {
    pub(super) fn reset_to_new_case(&mut self) {
        self.state = WizardState {
            draft: self
                .prefs
                .new_draft(self.protocol.as_deref().ok(), self.today),
            page: Page::Patient,
            page_state: PageState::default(),
        };
        self.file = None;
        self.saved = Some(self.state.draft.clone());
    }

    /// The user's request to replace or close the case: asks first when it has changes.
    pub fn request(&mut self, intent: Intent, ctx: &egui::Context) {
        if self.is_dirty() {
            self.modal = Some(Modal::Unsaved(intent));
        } else {
            self.perform(intent, ctx);
        }
    }

    pub(super) fn perform(&mut self, intent: Intent, ctx: &egui::Context) {
        match intent {
            Intent::New => {
                self.reset_to_new_case();
                self.view = View::Wizard;
                self.clear_restore();
                self.set_notice(NoticeKind::Done, "New case.");
            }
            Intent::Open => self.start_dialog(DialogKind::OpenCase, None, ctx),
            Intent::OpenPath(path) => {
                self.open_path(&path);
            }
            Intent::Close => {
                self.allow_close = true;
                self.clear_restore();
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
        }
    }

    /// The file `ketaplan FILE` names: a course (`*.ketaplan`) opens in the Course view,
    /// anything else as a case.
    pub fn open_at_start(&mut self, path: &Path) {
        if path.extension().is_some_and(|x| x == "ketaplan") {
            self.course_open_recent(path);
        } else {
            self.open_path(path);
        }
    }

    /// Open a case file. On any error that the wizard cannot show at a field, the errors
    /// are listed and nothing changes. Returns whether the case was opened.
    pub fn open_path(&mut self, path: &Path) -> bool {
        let Ok(protocol) = &self.protocol else {
            return false;
        };
        let value = match self.store.read_case(path) {
            Ok(v) => v,
            Err(errors) => {
                if !path.exists() {
                    self.recent.remove(path);
                    self.write_recent();
                }
                self.modal = Some(Modal::OpenFailed {
                    path: path.display().to_string(),
                    errors,
                });
                return false;
            }
        };
        let errors = case_from_value(protocol, &value).err().unwrap_or_default();
        if refuses_to_open(&errors) {
            self.modal = Some(Modal::OpenFailed {
                path: path.display().to_string(),
                errors,
            });
            return false;
        }
        let draft = CaseDraft::from_case_value(protocol, &value, self.today);
        self.state = WizardState {
            draft: draft.clone(),
            page: Page::Patient,
            page_state: PageState::default(),
        };
        self.view = View::Wizard;
        self.file = Some(path.to_path_buf());
        self.saved = Some(draft);
        self.remember_file(path);
        self.clear_restore();
        let name = path.display();
        if errors.is_empty() {
            self.set_notice(NoticeKind::Done, format!("Opened {name}."));
        } else {
            self.set_notice(
                NoticeKind::Warning,
                format!(
                    "Opened {name} as a draft: {} field(s) to complete, shown beside each field.",
                    errors.len()
                ),
            );
        }
        true
    }

    /// Save to the current file, or ask where when there is none (or it is JSON, which is
    /// never overwritten with RON).
    pub(super) fn save(&mut self, then: Option<Intent>, ctx: &egui::Context) {
        match self.file.clone() {
            Some(path) if case_save_path(&path) == path => {
                if self.save_to(&path).is_ok()
                    && let Some(intent) = then
                {
                    self.perform(intent, ctx);
                }
            }
            _ => self.start_dialog(DialogKind::SaveCase, then, ctx),
        }
    }

    /// Save the case to `path` (given `.case.ron` when it lacks `.ron`). A valid case is
    /// written in the contract's form; an incomplete one as its draft document, so nothing
    /// typed is lost. On failure the file on disk is unchanged.
    pub fn save_to(&mut self, path: &Path) -> Result<PathBuf, String> {
        let path = case_save_path(path);
        let (Some(live), Ok(protocol)) = (self.live(), &self.protocol) else {
            return Err("No protocol pack: nothing can be saved.".into());
        };
        // Everything typed is saved: a reason still too short to count goes into the file
        // (which then opens as a draft with the error beside the box), never dropped.
        let value = self.state.draft.to_saved_value(protocol, self.today);
        let (case, errors) = if value == live.value {
            (live.case, live.errors)
        } else {
            match case_from_value(protocol, &value) {
                Ok(case) => (Some(case), Vec::new()),
                Err(errors) => (None, errors),
            }
        };
        let result = match &case {
            Some(case) => self.store.save_case(&path, case),
            None => self.store.save_draft(&path, &value),
        }
        .map_err(|e| e.to_string());
        match result {
            Ok(()) => {
                self.file = Some(path.clone());
                self.saved = Some(self.state.draft.clone());
                self.remember_file(&path);
                self.clear_restore();
                if case.is_some() {
                    self.set_notice(NoticeKind::Done, format!("Saved {}.", path.display()));
                } else {
                    self.set_notice(
                        NoticeKind::Warning,
                        format!(
                            "Saved {} as a draft: {} field(s) still to complete before it is a valid case.",
                            path.display(),
                            errors.len()
                        ),
                    );
                }
                Ok(path)
            }
            Err(e) => {
                self.set_notice(NoticeKind::Error, e.clone());
                Err(e)
            }
        }
    }

    pub(super) fn remember_file(&mut self, path: &Path) {
        self.recent.push(path);
        self.write_recent();
        if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            self.prefs.last_folder = Some(folder.display().to_string());
        }
    }

    pub(super) fn write_recent(&mut self) {
        if self.data_dir.is_some()
            && let Err(e) = files::write_recent(&*self.store, &self.recent)
        {
            self.set_notice(
                NoticeKind::Warning,
                format!("Could not update the recent-files list: {e}"),
            );
        }
    }

    fn clear_restore(&mut self) {
        files::remove_restore(&*self.store);
        self.restore_on_disk = false;
        self.restore_written = None;
    }

    /// Write the case in progress now (normally throttled to every [`RESTORE_EVERY`]).
    pub fn write_restore_now(&mut self) -> Result<(), String> {
        if self.data_dir.is_none() {
            return Ok(());
        }
        let doc = RestoreDoc {
            path: self.file.as_ref().map(|p| p.display().to_string()),
            page: self.state.page,
            draft: self.state.draft.clone(),
            written_at: chrono::Local::now().format("%Y-%m-%d %H:%M").to_string(),
        };
        files::write_restore(&*self.store, &doc)?;
        self.restore_written = Some(doc.draft);
        self.restore_last_write = Some(Instant::now());
        self.restore_on_disk = true;
        Ok(())
    }

    /// Keep the restore file in step with the case: written (throttled) while there are
    /// unsaved changes, removed when there are none.
    pub(super) fn restore_tick(&mut self, ctx: &egui::Context) {
        if self.data_dir.is_none() {
            return;
        }
        if !self.is_dirty() {
            if self.restore_on_disk {
                self.clear_restore();
            }
            return;
        }
        if self.restore_written.as_ref() == Some(&self.state.draft) {
            return;
        }
        let wait = self.restore_last_write.map_or(Duration::ZERO, |t| {
            RESTORE_EVERY.saturating_sub(t.elapsed())
        });
        if !wait.is_zero() {
            // Wake once when the throttle allows the write; no frames in between.
            ctx.request_repaint_after(wait);
            return;
        }
        let written = self.write_restore_now();
        // A failing disk is retried at the same pace, not every frame.
        self.restore_last_write = Some(Instant::now());
        if let Err(e) = written
            && !self.restore_error_shown
        {
            self.restore_error_shown = true;
            self.set_notice(
                NoticeKind::Warning,
                format!("The case in progress could not be written for restore: {e}"),
            );
        }
    }

    /// Closing the window with unsaved changes asks first; a clean close removes the
    /// restore file (there is nothing to restore).
    pub(super) fn handle_close_request(&mut self, ctx: &egui::Context) {
        if !ctx.input(|i| i.viewport().close_requested()) || self.allow_close {
            return;
        }
        if self.is_dirty() {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            if self.modal.is_none() {
                self.modal = Some(Modal::Unsaved(Intent::Close));
            }
        } else {
            self.clear_restore();
        }
    }

    pub(super) fn unsaved_ui(&mut self, ctx: &egui::Context, intent: Intent) -> Option<Modal> {
        enum Choice {
            Save,
            Discard,
            Cancel,
        }
        let mut choice = None;
        let response = egui::Modal::new(egui::Id::unique("unsaved-changes")).show(ctx, |ui| {
            ui.set_width(460.0);
            ui.heading("Unsaved changes");
            let what = match intent {
                Intent::New => "starting a new case",
                Intent::Open | Intent::OpenPath(_) => "opening another case",
                Intent::Close => "closing",
            };
            ui.label(format!(
                "This case has changes that are not saved. Save them before {what}?"
            ));
            ui.horizontal(|ui| {
                if ui.button("Save changes").clicked() {
                    choice = Some(Choice::Save);
                }
                if ui.button("Discard changes").clicked() {
                    choice = Some(Choice::Discard);
                }
                if ui.button("Cancel").clicked() {
                    choice = Some(Choice::Cancel);
                }
            });
        });
        if response.should_close() && choice.is_none() {
            choice = Some(Choice::Cancel);
        }
        match choice {
            None => Some(Modal::Unsaved(intent)),
            Some(Choice::Cancel) => None,
            Some(Choice::Discard) => {
                // The edits are gone: the screen shows the saved file again (or a new case),
                // so a later cancelled dialog leaves nothing unsaved that looks saved.
                match self.saved.clone() {
                    Some(saved) => self.state.draft = saved,
                    None => self.reset_to_new_case(),
                }
                self.clear_restore();
                self.perform(intent, ctx);
                None
            }
            Some(Choice::Save) => {
                self.save(Some(intent), ctx);
                None
            }
        }
    }
}
