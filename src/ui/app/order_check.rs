//! The pharmacist's check and the independent double check, recorded in the app (step 12):
//! on an order printed and signed electronically before (its COPY is on the Order page), a
//! signed-in pharmacist records the pharmacy check and a nurse or physician — not the one who
//! signed — the double check, with their password; both print on every later COPY.

use super::{KetaplanApp, NoticeKind};
use crate::domain::roles::may;
use crate::domain::signature::{OrderSignature, SignatureKind, refusal};
use crate::ui::clinic_desk::{Job, Reply};
use crate::ui::order_export::ClinicLedger;
use crate::ui::pages::order::OrderState;
use crate::ui::widgets::password::password_row_ui;

/// How long recording a check may take.
const CHECK_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// The password prompt for one check.
pub struct CheckPrompt {
    kind: SignatureKind,
    typed: String,
    refused: Option<String>,
}

/// "Record pharmacy check…" or "Record double check…".
pub fn check_button(kind: SignatureKind) -> &'static str {
    match kind {
        SignatureKind::PharmacyCheck => "Record pharmacy check…",
        _ => "Record double check…",
    }
}

impl KetaplanApp {
    /// The check the signed-in user may record on this order, if any: its kind, and the
    /// signer's name or why not.
    pub(super) fn order_check_offer(
        &self,
        state: &OrderState,
    ) -> Option<(SignatureKind, Result<String, String>)> {
        let user = self.workstation.user.as_ref()?;
        let kind = [SignatureKind::PharmacyCheck, SignatureKind::DoubleCheck]
            .into_iter()
            .find(|k| may(user.role, k.act()).is_ok())?;
        let ready = state.ready()?;
        if !ready.identity.copy {
            return Some((
                kind,
                Err("A check is recorded on an order printed before".into()),
            ));
        }
        let held = &ready.signatures;
        let Some(order) = held.iter().find(|s| s.kind == SignatureKind::Order) else {
            return Some((
                kind,
                Err(
                    "This order has no electronic signature: check the signed paper order in ink"
                        .into(),
                ),
            ));
        };
        let check = self.check_signature(kind, order);
        match refusal(&check, held) {
            Some(why) => Some((kind, Err(why))),
            None => Some((kind, Ok(user.full_name.clone()))),
        }
    }

    fn check_signature(&self, kind: SignatureKind, order: &OrderSignature) -> OrderSignature {
        let user = self.workstation.user.as_ref();
        OrderSignature {
            kind,
            order_number: order.order_number.clone(),
            content_sha256: order.content_sha256.clone(),
            login: user.map(|u| u.login.clone()).unwrap_or_default(),
            full_name: user.map(|u| u.full_name.clone()).unwrap_or_default(),
            role: user.map_or(crate::domain::roles::Role::Nurse, |u| u.role),
            signed_at: self.order.now(),
        }
    }

    /// "Record … check…": ask the password.
    pub(super) fn ask_check(&mut self) {
        let state = self.order_state();
        if let Some((kind, Ok(_))) = self.order_check_offer(&state) {
            self.check_prompt = Some(CheckPrompt {
                kind,
                typed: String::new(),
                refused: None,
            });
        }
    }

    /// The checker's password, over the Order page.
    pub(super) fn check_prompt_ui(&mut self, ctx: &egui::Context) {
        let Some(prompt) = &mut self.check_prompt else {
            return;
        };
        let mut record = false;
        let mut cancel = false;
        let title = match prompt.kind {
            SignatureKind::PharmacyCheck => "Record the pharmacy check",
            _ => "Record the independent double check",
        };
        egui::Modal::new(egui::Id::unique("order-check")).show(ctx, |ui| {
            ui.set_max_width(520.0);
            ui.heading(title);
            ui.label(
                "Recorded with your name and the time; it prints on every COPY of this order.",
            );
            if let Some(why) = &prompt.refused {
                ui.colored_label(
                    crate::ui::theme::on(ui, crate::ui::theme::AVOID),
                    why.as_str(),
                );
            }
            let empty = prompt.typed.is_empty();
            record |= password_row_ui(ui, "Checker's password", &mut prompt.typed, empty);
            ui.horizontal(|ui| {
                record |= ui.button("Record check").clicked();
                cancel = ui.button("Cancel").clicked();
            });
        });
        if cancel {
            self.check_prompt = None;
            return;
        }
        if !record || prompt.typed.is_empty() {
            return;
        }
        let password = std::mem::take(&mut prompt.typed);
        let kind = prompt.kind;
        let state = self.order_state();
        let held = state
            .ready()
            .map(|r| r.signatures.clone())
            .unwrap_or_default();
        let Some(order) = held.iter().find(|s| s.kind == SignatureKind::Order) else {
            return;
        };
        let signature = self.check_signature(kind, order);
        let job = Job::RecordCheck {
            signature: Box::new(signature.clone()),
            password,
        };
        let outcome = match self.clinic.send_and_wait(job, ctx, CHECK_WAIT) {
            Some(Reply::Recorded(result)) => result.map_err(|e| e.to_string()),
            _ => Err("the clinic database did not answer in time".into()),
        };
        match outcome {
            Ok(()) => {
                self.check_prompt = None;
                self.order.signatures.push(signature);
                // Read the clinic's signatures again, so the COPY shows the check.
                self.order.clinic_ledger = ClinicLedger::Stale;
                self.set_notice(
                    NoticeKind::Done,
                    format!(
                        "{} of order {} recorded; it prints on every COPY.",
                        match kind {
                            SignatureKind::PharmacyCheck => "The pharmacy check",
                            _ => "The double check",
                        },
                        order.order_number
                    ),
                );
            }
            Err(why) => {
                if let Some(prompt) = &mut self.check_prompt {
                    prompt.refused = Some(format!("Not recorded: {why}"));
                }
            }
        }
    }
}
