//! The app's side of the Order page: builds what the page shows, exports the PDF, sends it
//! to the print service and keeps the order ledger. A child of `app` so that the shell
//! needs only a few lines to call it.

use super::{KetaplanApp, NoticeKind};
use crate::domain::Protocol;
use crate::domain::order_identity::OrderLedger;
use crate::ui::actions::OrderAction;
use crate::ui::actions::{Page, View};
use crate::ui::live::Live;
use crate::ui::order_export::ClinicLedger;
use crate::ui::order_export::{
    ExportModal, ExportPrompt, ExportTarget, NativeExportDialog, PrintService, handout_path,
    pdf_path, suggested_pdf_name,
};
use crate::ui::pages::order::{self as page, OrderPageCtx, OrderState, Ready};
use crate::ui::widgets::path_entry::PathEntryState;
use chrono::NaiveDateTime;
use std::path::{Path, PathBuf};

impl KetaplanApp {
    // ------------------------------------------------------------ for the page and tests

    /// What the Order page shows for the current case, as the next export would print it.
    pub fn order_state(&mut self) -> OrderState {
        let (Ok(protocol), Some(live)) = (self.protocol.clone(), self.live()) else {
            return OrderState::NoProtocol;
        };
        let now = self.order.now();
        self.order_state_with(&protocol, &live, now)
    }

    fn order_state_with(
        &mut self,
        protocol: &Protocol,
        live: &Live,
        now: NaiveDateTime,
    ) -> OrderState {
        self.order_state_signed(protocol, live, now, None)
    }

    /// The order state, signed by `sign_as` when given ("Sign and export").
    pub(super) fn order_state_signed(
        &mut self,
        protocol: &Protocol,
        live: &Live,
        now: NaiveDateTime,
        sign_as: Option<&crate::store::db::UserRow>,
    ) -> OrderState {
        if self.order.clinic_ledger == ClinicLedger::NotUsed {
            self.order.load_ledger(self.data_dir.as_deref());
        }
        let options = page::options(self.today, now, &self.prefs);
        page::prepare(
            protocol,
            live,
            &self.state.draft,
            &options,
            &self.order.ledger,
            page::Signing {
                held: &self.order.signatures,
                sign_as,
            },
        )
    }

    /// The orders exported or printed here.
    /// Where the clinic database's ledger stands (tests).
    pub fn order_clinic_ledger(&self) -> &crate::ui::order_export::ClinicLedger {
        &self.order.clinic_ledger
    }

    pub fn order_ledger(&self) -> &OrderLedger {
        &self.order.ledger
    }

    /// The preview lines the Order page drew last.
    pub fn order_preview_lines(&self) -> &[String] {
        &self.order.preview_lines
    }

    /// Print every order with this time (tests); the sheet shows it.
    pub fn set_print_time(&mut self, at: NaiveDateTime) {
        self.order.fixed_now = Some(at);
    }

    /// Use this print service instead of looking for one (tests).
    pub fn set_print_service(&mut self, service: PrintService) {
        self.order.print_service = service;
    }

    pub fn print_service(&self) -> &PrintService {
        &self.order.print_service
    }

    /// Everything the Order page draws this frame.
    pub(super) fn order_page_ctx(
        &mut self,
        protocol: &Protocol,
        live: &Live,
        ctx: &egui::Context,
    ) -> OrderPageCtx {
        if self.order.print_service == PrintService::Unknown {
            self.order.probe_printers(ctx);
        }
        let now = self.order.now();
        let state = self.order_state_with(protocol, live, now);
        self.order.preview_lines = state.ready().map(|r| r.lines.clone()).unwrap_or_default();
        let printed_before = state.ready().and_then(|r| {
            self.order
                .ledger
                .printed
                .iter()
                .find(|p| p.order_number == r.identity.order_number)
                .map(|p| p.printed_at)
        });
        OrderPageCtx {
            printer: self
                .order
                .print_service
                .destination(self.prefs.printer.as_deref()),
            printing: self.order.printing.is_some(),
            ledger_error: self.order.ledger_error.clone(),
            clinic_hold: self.clinic_ledger_hold(),
            ledger_place: if self.order.clinic_ledger == ClinicLedger::NotUsed {
                "here"
            } else {
                "at the clinic"
            },
            last_export: self.order.last_export.clone(),
            printed_before,
            handout_available: true,
            signing: self.order_signing_offer(&state),
            check: self
                .order_check_offer(&state)
                .map(|(kind, offer)| (super::order_check::check_button(kind), offer)),
            state,
        }
    }

    // ------------------------------------------------------------ actions

    pub(super) fn order_action(&mut self, action: OrderAction, ctx: &egui::Context) {
        match action {
            OrderAction::Export | OrderAction::SignAndExport => {
                self.order.sign_requested = action == OrderAction::SignAndExport;
                self.view = View::Wizard;
                self.state.page = Page::Order;
                let state = self.order_state();
                let Some(ready) = state.ready() else {
                    let n = state.reasons().len();
                    self.set_notice(
                        NoticeKind::Warning,
                        format!(
                            "The order cannot be exported yet: {n} reason{} listed on the Order page.",
                            if n == 1 { " is" } else { "s are" }
                        ),
                    );
                    return;
                };
                let name = suggested_pdf_name(&ready.identity.order_number);
                self.open_export_dialog(ExportTarget::Order, name, ctx);
            }
            OrderAction::ExportFhir => self.start_order_fhir_export(ctx),
            OrderAction::Print => self.print_order(ctx),
            OrderAction::RecordCheck => self.ask_check(),
            OrderAction::RefreshPrinters => {
                self.order.print_service = PrintService::Unknown;
                self.order.probe_printers(ctx);
            }
        }
    }

    /// Ask where to export `target`: the system's save dialog (on its thread), or the
    /// typed path when there is none.
    pub(super) fn open_export_dialog(
        &mut self,
        target: ExportTarget,
        name: String,
        ctx: &egui::Context,
    ) {
        let folder = self.suggested_folder().map(PathBuf::from);
        self.order.modal = Some(if self.native_dialogs {
            ExportModal::Native(NativeExportDialog::spawn(target, folder, name, ctx.clone()))
        } else {
            ExportModal::Path(ExportPrompt {
                target,
                entry: PathEntryState::new(self.export_path_text(&name)),
                ..ExportPrompt::default()
            })
        });
    }

    /// Export `target` to `path`.
    pub(super) fn export_to(
        &mut self,
        target: ExportTarget,
        path: &Path,
        ctx: &egui::Context,
    ) -> Result<PathBuf, String> {
        match target {
            ExportTarget::Order if self.order.sign_requested => {
                // The signer's password is asked next (`app/order_sign.rs`).
                self.ask_signature(path);
                Ok(path.to_path_buf())
            }
            ExportTarget::Order => self.export_order_to(path, ctx),
            ExportTarget::MonitoringChart { session_id } => {
                self.export_chart_to(session_id, path, ctx)
            }
            ExportTarget::OrderFhir => self.export_order_fhir_to(path),
            ExportTarget::CourseFhir => self.export_course_fhir_to(path),
        }
    }

    pub(super) fn export_path_text(&self, name: &str) -> String {
        match &self.suggested_folder() {
            Some(f) => format!(
                "{}{}{name}",
                f.trim_end_matches('/'),
                std::path::MAIN_SEPARATOR
            ),
            None => name.to_string(),
        }
    }

    /// Export the order as PDF to `path` (given `.pdf`), with the handout beside it when
    /// asked for; record it in the ledger. Returns the path written.
    pub fn export_order_to(&mut self, path: &Path, ctx: &egui::Context) -> Result<PathBuf, String> {
        self.export_order(path, None, ctx)
    }

    /// As `export_order_to`; with the signer's password, the order is signed by the
    /// signed-in physician and recorded with the signature (`app/order_sign.rs`).
    pub(super) fn export_order(
        &mut self,
        path: &Path,
        signer_password: Option<String>,
        ctx: &egui::Context,
    ) -> Result<PathBuf, String> {
        let path = pdf_path(path);
        let now = self.order.now();
        let ready = match signer_password {
            None => self.ready_order(now)?,
            Some(_) => self.ready_signed_order(now)?,
        };
        let bytes = crate::order::pdf::render(&ready.sheet)
            .map_err(|e| format!("The PDF could not be made: {e}"))?;
        // The handout is made before anything is written: both files or neither.
        if self.prefs.export_handout
            && let Some(why) = &ready.handout_refused
        {
            return Err(format!("Nothing was exported: {why}"));
        }
        let handout = if self.prefs.export_handout {
            let bytes = crate::order::pdf::render_handout(&ready.handout, ready.sheet.paper)
                .map_err(|e| format!("The handout could not be made: {e}"))?;
            Some((handout_path(&path), bytes))
        } else {
            None
        };
        // On the clinic database the original is recorded first: if another workstation
        // printed it meanwhile, nothing is written here.
        let in_clinic = match (&ready.signing, signer_password) {
            (Some(signature), Some(password)) => {
                self.clinic_record_signed(&ready, now, signature.clone(), password, ctx)?
            }
            _ => self.clinic_record_before_leaving(&ready, now, ctx)?,
        };
        self.store.write_export(&path, &bytes).map_err(|e| {
            format!(
                "{}: could not export: {e}; nothing was written",
                path.display()
            )
        })?;
        if let Some((handout_file, handout_bytes)) = &handout
            && let Err(e) = self.store.write_export(handout_file, handout_bytes)
        {
            // No order without its handout: take the order back.
            self.store.remove_export(&path);
            return Err(format!(
                "{}: could not export the handout: {e}; the order was not exported either",
                handout_file.display()
            ));
        }
        let (identity, ledger_problem) = if in_clinic {
            (ready.identity.clone(), None)
        } else {
            let identity = self.order.ledger.record(
                &ready.identity.order_number,
                &ready.mrn,
                ready.valid_on,
                now,
            );
            (identity, self.order.save_ledger().err())
        };
        self.order.last_export = Some(path.clone());
        if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            self.prefs.last_folder = Some(folder.display().to_string());
        }
        let label = label_of(identity.copy, identity.supersedes.as_deref());
        match ledger_problem {
            None => self.set_notice(
                NoticeKind::Done,
                format!(
                    "Exported order {}{label} to {}{}.",
                    identity.order_number,
                    path.display(),
                    handout
                        .as_ref()
                        .map(|(p, _)| format!(" and the patient handout to {}", p.display()))
                        .unwrap_or_default()
                ),
            ),
            Some(e) => self.set_notice(
                NoticeKind::Warning,
                format!(
                    "Exported order {}{label} to {}, but the list of printed orders could not be written ({e}): a reprint may not be marked COPY.",
                    identity.order_number,
                    path.display()
                ),
            ),
        }
        if self.prefs.open_after_export {
            self.order.open_in_viewer(path.clone(), ctx);
        }
        Ok(path)
    }

    /// The order as it prints now, or why it cannot.
    pub(super) fn ready_order(&mut self, now: NaiveDateTime) -> Result<Ready, String> {
        self.ready_order_as(now, None)
    }

    /// The order as it prints now, signed by `sign_as` when given, or why it cannot.
    pub(super) fn ready_order_as(
        &mut self,
        now: NaiveDateTime,
        sign_as: Option<&crate::store::db::UserRow>,
    ) -> Result<Ready, String> {
        let (Ok(protocol), Some(live)) = (self.protocol.clone(), self.live()) else {
            return Err("No protocol pack: no order can be made.".to_string());
        };
        if let Some(hold) = self.clinic_ledger_hold() {
            return Err(format!("Nothing was exported or printed: {hold}."));
        }
        match self.order_state_signed(&protocol, &live, now, sign_as) {
            OrderState::Ready(r) => Ok(*r),
            other => Err(format!(
                "The order cannot be exported: {}",
                other
                    .reasons()
                    .iter()
                    .map(|r| r.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            )),
        }
    }
}

/// " (COPY)", " (supersedes KP-…)" or nothing.
pub(super) fn label_of(copy: bool, supersedes: Option<&str>) -> String {
    match (copy, supersedes) {
        (true, _) => " (COPY)".to_string(),
        (false, Some(old)) => format!(" (supersedes {old})"),
        (false, None) => String::new(),
    }
}
