//! "Sign and export PDF…" (step 12): after the path is chosen, the signed-in physician's
//! password is asked; the sheet prints the electronic signature, and the original and its
//! signature are recorded in the clinic's ledger (the database checks the password and the
//! role again) before the file is written. Refused: nothing is written.

use super::KetaplanApp;
use crate::domain::roles::{Act, may};
use crate::domain::signature::OrderSignature;
use crate::ui::clinic_desk::Job;
use crate::ui::order_export::ClinicLedger;
use crate::ui::pages::order::{OrderState, Ready};
use crate::ui::widgets::password::password_row_ui;
use std::path::{Path, PathBuf};

/// The password prompt for one signed export.
pub struct SignPrompt {
    path: PathBuf,
    typed: String,
    refused: Option<String>,
}

impl KetaplanApp {
    /// Whether the Order page offers "Sign and export PDF…": `None` when no one signs in
    /// here; else the signer's name, or why they cannot sign this order.
    pub(super) fn order_signing_offer(&self, state: &OrderState) -> Option<Result<String, String>> {
        let user = self.workstation.user.as_ref()?;
        if let Err(why) = may(user.role, Act::SignOrder) {
            return Some(Err(format!("{} is signed in: {why}", user.full_name)));
        }
        if self.order.clinic_ledger == ClinicLedger::NotUsed {
            return Some(Err(
                "An electronic signature is kept in the clinic database's order ledger: choose the clinic database in Preferences".into(),
            ));
        }
        if state.ready().is_some_and(|r| r.identity.copy) {
            return Some(Err(
                "This order was printed before: a reprint is a COPY and is not signed again".into(),
            ));
        }
        Some(Ok(user.full_name.clone()))
    }

    /// The path is chosen: ask the signer's password next.
    pub(super) fn ask_signature(&mut self, path: &Path) {
        self.order.sign_requested = false;
        self.sign_prompt = Some(SignPrompt {
            path: path.to_path_buf(),
            typed: String::new(),
            refused: None,
        });
    }

    /// The order as it prints signed by the signed-in physician now.
    pub(super) fn ready_signed_order(
        &mut self,
        now: chrono::NaiveDateTime,
    ) -> Result<Ready, String> {
        let Some(user) = self.workstation.user.clone() else {
            return Err("Not signed: no one is signed in.".into());
        };
        let ready = self.ready_order_as(now, Some(&user))?;
        if ready.signing.is_none() {
            return Err("Not signed: the order carries no signature.".into());
        }
        Ok(ready)
    }

    /// Record the original with its signature before it leaves the workstation.
    pub(super) fn clinic_record_signed(
        &mut self,
        ready: &Ready,
        printed_at: chrono::NaiveDateTime,
        signature: OrderSignature,
        password: String,
        ctx: &egui::Context,
    ) -> Result<bool, String> {
        let entry = Self::ledger_entry(ready, printed_at);
        let job = Job::RecordSignedPrint {
            entry: entry.clone(),
            signature: Box::new(signature.clone()),
            password,
        };
        let recorded = self.clinic_record(job, entry, ctx)?;
        self.order.signatures.push(signature);
        Ok(recorded)
    }

    /// The signer's password, over the Order page.
    pub(super) fn sign_prompt_ui(&mut self, ctx: &egui::Context) {
        let Some(prompt) = &mut self.sign_prompt else {
            return;
        };
        let signer = self
            .workstation
            .user
            .as_ref()
            .map(|u| format!("{} ({})", u.full_name, u.role.as_str()))
            .unwrap_or_default();
        let mut sign = false;
        let mut cancel = false;
        egui::Modal::new(egui::Id::unique("sign-order")).show(ctx, |ui| {
            ui.set_max_width(560.0);
            ui.heading("Sign the order");
            ui.label(format!(
                "Signed electronically by {signer}, then exported to {}. Your password confirms the signature.",
                prompt.path.display()
            ));
            if let Some(why) = &prompt.refused {
                ui.colored_label(
                    crate::ui::theme::on(ui, crate::ui::theme::AVOID),
                    why.as_str(),
                );
            }
            let empty = prompt.typed.is_empty();
            sign |= password_row_ui(ui, "Signer's password", &mut prompt.typed, empty);
            ui.horizontal(|ui| {
                sign |= ui.button("Sign and export").clicked();
                cancel = ui.button("Cancel").clicked();
            });
        });
        if cancel {
            self.sign_prompt = None;
            return;
        }
        if !sign || prompt.typed.is_empty() {
            return;
        }
        let password = std::mem::take(&mut prompt.typed);
        let path = prompt.path.clone();
        match self.export_order(&path, Some(password), ctx) {
            Ok(_) => self.sign_prompt = None,
            Err(why) => {
                if let Some(prompt) = &mut self.sign_prompt {
                    prompt.refused = Some(why);
                }
            }
        }
    }
}
