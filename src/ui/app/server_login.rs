//! The clinic server's password, asked when the server wants one that `PGPASSWORD` and
//! `~/.pgpass` do not give: at start (a connection is tried as the app opens) and whenever
//! the server refuses the password. It is held in memory only, never in the preferences.

use super::KetaplanApp;
use crate::store::db::DbUrl;
use crate::ui::clinic_desk::{Job, Reach};

/// The prompt's state.
#[derive(Default)]
pub struct ServerLogin {
    /// The connection tried at start.
    pub started: bool,
    /// What is typed in the password field.
    typed: String,
    /// "Not now": work without the clinic database until the next action that needs it.
    dismissed_for: Option<String>,
    /// A password was sent and refused: say so above the field.
    tried: bool,
}

impl KetaplanApp {
    /// At the first frame, connect to a clinic server (so its password is asked first).
    pub(super) fn server_login_start(&mut self, ctx: &egui::Context) {
        if self.server_login.started {
            return;
        }
        self.server_login.started = true;
        if let Ok(Some(DbUrl::Postgres { .. })) = self.clinic_database_url() {
            self.clinic_connect();
            self.clinic.send(Job::Ping, ctx);
        }
    }

    /// Show the prompt again after "Not now".
    pub(super) fn server_login_ask_again(&mut self) {
        self.server_login.dismissed_for = None;
    }

    /// The password prompt, while the server wants a password.
    pub(super) fn server_login_ui(&mut self, ctx: &egui::Context) {
        let Reach::NeedsPassword(reason) = &self.clinic.reach else {
            return;
        };
        if self.server_login.dismissed_for.as_deref() == Some(reason.as_str()) {
            return;
        }
        let reason = reason.clone();
        let server = self.clinic.url().map(DbUrl::redacted).unwrap_or_default();
        let login = &mut self.server_login;
        let mut connect = false;
        let mut not_now = false;
        egui::Modal::new(egui::Id::unique("clinic-server-password")).show(ctx, |ui| {
            ui.set_max_width(520.0);
            ui.heading("Clinic server password");
            ui.label(format!("The clinic database {server} asks for a password."));
            if login.tried {
                ui.colored_label(
                    crate::ui::theme::on(ui, crate::ui::theme::AVOID),
                    format!("Not accepted: {reason}"),
                );
            }
            let empty = login.typed.is_empty();
            connect |= crate::ui::widgets::password::password_row_ui(
                ui,
                "Server password",
                &mut login.typed,
                empty,
            );
            ui.label(
                "Kept in memory until ketaplan closes; never saved. An administrator can put \
                 it in ~/.pgpass instead.",
            );
            ui.horizontal(|ui| {
                connect |= ui.button("Connect").clicked();
                not_now = ui.button("Not now").clicked();
            });
        });
        if connect && !login.typed.is_empty() {
            let password = std::mem::take(&mut login.typed);
            login.tried = true;
            self.clinic.set_password(password);
            self.clinic.send(Job::Ping, ctx);
            // Lists asked for without the password are asked again.
            self.patients.searched = None;
            self.patients.calls = None;
        } else if not_now {
            login.typed.clear();
            login.dismissed_for = Some(reason);
        }
    }
}
