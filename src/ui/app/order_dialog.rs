//! The Order page's dialogs each frame: the native export dialog polled, the typed-path
//! prompt, and the print service's answers.

use super::{KetaplanApp, NoticeKind};
use crate::ui::actions::View;
use crate::ui::files::{DialogPoll, NO_DIALOG_WITHIN, expand_home};
use crate::ui::order_export::{
    COURSE_FHIR_NAME, ExportModal, ExportPrompt, ExportTarget, PrintService, suggested_chart_name,
    suggested_fhir_name, suggested_pdf_name,
};
use crate::ui::widgets::path_entry::{
    PathEntryState, path_dialog_heading_ui, path_entry_ui, path_problem_ui,
};

impl KetaplanApp {
    /// Collect finished background work and draw the export dialog.
    pub(super) fn order_tick(&mut self, ctx: &egui::Context) {
        if self.view == View::Preferences && self.order.print_service == PrintService::Unknown {
            self.order.probe_printers(ctx);
        }
        let (printed, done) = self.order.poll();
        if let Some(p) = printed {
            let pending = self.order.pending_print.take();
            match p.result {
                Ok(reply) => {
                    if let Some(rec) = pending {
                        self.order.ledger.record(
                            &rec.order_number,
                            &rec.mrn,
                            rec.valid_on,
                            rec.printed_at,
                        );
                    }
                    let ledger = self.order.save_ledger().err();
                    let reply = if reply.is_empty() {
                        String::new()
                    } else {
                        format!(" ({reply})")
                    };
                    match ledger {
                        None => self.set_notice(
                            NoticeKind::Done,
                            format!("Order {} sent to {}{reply}.", p.order_number, p.printer),
                        ),
                        Some(e) => self.set_notice(
                            NoticeKind::Warning,
                            format!(
                                "Order {} sent to {}{reply}, but the list of printed orders could not be written ({e}).",
                                p.order_number, p.printer
                            ),
                        ),
                    }
                }
                Err(e) => {
                    self.set_notice(NoticeKind::Error, format!("The order was not printed: {e}"))
                }
            }
        }
        for d in done {
            if !d.ok {
                self.set_notice(NoticeKind::Warning, d.text);
            }
        }
        self.export_modal_ui(ctx);
    }

    pub(super) fn export_modal_ui(&mut self, ctx: &egui::Context) {
        let Some(modal) = self.order.modal.take() else {
            return;
        };
        self.order.modal = match modal {
            ExportModal::Native(dialog) => match dialog.poll() {
                DialogPoll::Waiting => {
                    let mut give_up = false;
                    let what = dialog.target.what();
                    egui::Modal::new(egui::Id::unique("order-export-native")).show(ctx, |ui| {
                        ui.heading(dialog.target.title());
                        ui.label(format!(
                            "A file dialog is open. Choose where to save {what} there, or type the path instead."
                        ));
                        give_up = ui.button("Type a path instead").clicked();
                    });
                    if give_up {
                        Some(self.typed_export_prompt(dialog.target, None))
                    } else {
                        Some(ExportModal::Native(dialog))
                    }
                }
                DialogPoll::Chosen(path) => {
                    if let Err(e) = self.export_to(dialog.target, &path, ctx) {
                        self.set_notice(NoticeKind::Error, e);
                    }
                    None
                }
                DialogPoll::Cancelled { elapsed } if elapsed < NO_DIALOG_WITHIN => {
                    // No dialog could be shown: ask for a typed path from now on.
                    self.native_dialogs = false;
                    Some(self.typed_export_prompt(
                        dialog.target,
                        Some("No system file dialog is available here: type the path.".to_string()),
                    ))
                }
                DialogPoll::Cancelled { .. } => None,
            },
            ExportModal::Path(prompt) => self.export_prompt_ui(ctx, prompt),
        };
    }

    pub(super) fn typed_export_prompt(
        &mut self,
        target: ExportTarget,
        note: Option<String>,
    ) -> ExportModal {
        let name = match target {
            ExportTarget::Order => self.order_state().ready().map_or_else(
                || "order.pdf".to_string(),
                |r| suggested_pdf_name(&r.identity.order_number),
            ),
            ExportTarget::MonitoringChart { session_id } => suggested_chart_name(session_id),
            ExportTarget::OrderFhir => self.order_state().ready().map_or_else(
                || "order.fhir.json".to_string(),
                |r| suggested_fhir_name(&r.identity.order_number),
            ),
            ExportTarget::CourseFhir => COURSE_FHIR_NAME.to_string(),
        };
        ExportModal::Path(ExportPrompt {
            target,
            entry: PathEntryState::new(self.export_path_text(&name)),
            note,
        })
    }

    pub(super) fn export_prompt_ui(
        &mut self,
        ctx: &egui::Context,
        mut prompt: ExportPrompt,
    ) -> Option<ExportModal> {
        let mut confirm = false;
        let mut cancel = false;
        let response = egui::Modal::new(egui::Id::unique("order-export-path")).show(ctx, |ui| {
            path_dialog_heading_ui(ui, prompt.target.title(), prompt.note.as_deref());
            confirm |= path_entry_ui(
                ui,
                &mut prompt.entry,
                prompt.target.path_label(),
                prompt.target.hint(),
            );
            path_problem_ui(ui, &prompt.entry);
            ui.horizontal(|ui| {
                if ui.button("Export to this path").clicked() {
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
        if !confirm {
            return Some(ExportModal::Path(prompt));
        }
        if prompt.entry.text.trim().is_empty() {
            prompt.entry.problem = Some("Type a path first.".into());
            return Some(ExportModal::Path(prompt));
        }
        let path = prompt.target.file_path(&expand_home(&prompt.entry.text));
        let folder_ok = path
            .parent()
            .is_none_or(|d| d.as_os_str().is_empty() || d.is_dir());
        if !folder_ok {
            prompt.entry.problem =
                Some(format!("The folder of {} does not exist.", path.display()));
            return Some(ExportModal::Path(prompt));
        }
        if path.exists() && !prompt.entry.confirm_replace {
            prompt.entry.problem = Some(format!(
                "{} already exists. Press \"Export to this path\" again to replace it.",
                path.display()
            ));
            prompt.entry.confirm_replace = true;
            return Some(ExportModal::Path(prompt));
        }
        match self.export_to(prompt.target, &path, ctx) {
            Ok(_) => None,
            Err(e) => {
                prompt.entry.problem = Some(e);
                Some(ExportModal::Path(prompt))
            }
        }
    }
}
