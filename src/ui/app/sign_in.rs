//! Who is at the keyboard (step 12): when the clinic database has users, the app asks for a
//! login and password at start, shows who is signed in, and locks after minutes without
//! input (Preferences, 10 by default): the password again, everything kept open behind an
//! opaque screen. Without users (a single workstation) nothing is asked.

use super::KetaplanApp;
use crate::store::db::UserRow;
use crate::ui::clinic_desk::{Job, Reach, Reply};
use std::time::{Duration, Instant};

/// The sign-in state of this workstation.
#[derive(Default)]
pub struct Workstation {
    /// Whether the clinic database has users; `None` until it answered.
    users: Option<bool>,
    asking_users: bool,
    pub user: Option<UserRow>,
    pub locked: bool,
    last_input: Option<Instant>,
    typed_login: String,
    typed_password: String,
    refused: Option<String>,
    /// The screen put the cursor in its first field once (not every frame: a click into
    /// the other field must stay there).
    focused: bool,
    /// A password was refused: the cursor goes back to the password, never to the login
    /// (a password typed into the visible login field would show on screen).
    focus_password: bool,
    /// Tests shorten the idle lock; the app takes it from Preferences.
    lock_after_override: Option<Duration>,
}

impl Workstation {
    /// Nothing but the sign-in screen may be used: the database has users and none is
    /// signed in, or the workstation is locked.
    pub fn blocks(&self) -> bool {
        self.users == Some(true) && (self.user.is_none() || self.locked)
    }
}

impl KetaplanApp {
    /// The signed-in user, if any.
    pub fn signed_in(&self) -> Option<&UserRow> {
        self.workstation.user.as_ref()
    }

    /// The lock screen is up.
    pub fn is_locked(&self) -> bool {
        self.workstation.locked
    }

    /// Lock after `idle` without input instead of the preference (tests).
    pub fn set_idle_lock(&mut self, idle: Duration) {
        self.workstation.lock_after_override = Some(idle);
    }

    /// Why the signed-in user may not do `act` (shown where the act is offered); `None` when
    /// they may, or when no one signs in at this workstation.
    pub(super) fn refused_act(&self, act: crate::domain::roles::Act) -> Option<String> {
        let user = self.workstation.user.as_ref()?;
        crate::domain::roles::may(user.role, act)
            .err()
            .map(|why| format!("Signed in as {}: {why}.", user.full_name))
    }

    /// Who the audit trail names: the signed-in user, else the operating system's login.
    pub(super) fn acting_user(&self) -> String {
        match &self.workstation.user {
            Some(user) => user.login.clone(),
            None => super::clinic::workstation_user(),
        }
    }

    /// Lock now (the toolbar's "Lock").
    pub(super) fn lock_workstation(&mut self) {
        if self.workstation.user.is_some() {
            self.workstation.locked = true;
            self.workstation.focused = false;
            self.workstation.typed_password.clear();
        }
    }

    /// Ask the clinic database whether anyone must sign in, once it can answer; then watch
    /// for idle time.
    pub(super) fn sign_in_tick(&mut self, ctx: &egui::Context) {
        let station = &mut self.workstation;
        let reachable = matches!(self.clinic.reach, Reach::NotAsked | Reach::Reached);
        if station.users.is_none() && !station.asking_users && reachable {
            // A database chosen explicitly, or the app's own file once it exists.
            let in_use = self.chosen_clinic_database().is_some()
                || self
                    .data_dir
                    .as_deref()
                    .is_some_and(|d| crate::store::db::DbUrl::default_in(d).may_exist());
            if in_use {
                self.clinic_connect();
                self.workstation.asking_users = self.clinic.send(Job::Users, ctx);
            } else {
                self.workstation.users = Some(false);
            }
        }
        let station = &mut self.workstation;
        if station.user.is_none() || station.locked {
            return;
        }
        let now = Instant::now();
        if ctx.input(|i| !i.events.is_empty() || i.pointer.is_moving()) {
            station.last_input = Some(now);
        }
        let lock_after = station.lock_after_override.unwrap_or_else(|| {
            Duration::from_secs(u64::from(self.prefs.lock_after_minutes.max(1)) * 60)
        });
        let idle = station.last_input.map_or(Duration::ZERO, |t| now - t);
        if idle >= lock_after {
            station.locked = true;
            station.focused = false;
            station.typed_password.clear();
            ctx.request_repaint();
        } else {
            ctx.request_repaint_after(lock_after - idle);
        }
    }

    /// Take the database's answers about users and sign-ins.
    pub(super) fn sign_in_reply(&mut self, reply: Reply) {
        let station = &mut self.workstation;
        match reply {
            Reply::Users(answer) => {
                station.asking_users = false;
                if let Ok(has_users) = answer {
                    station.users = Some(has_users);
                }
            }
            Reply::SignedIn(Ok(user)) => {
                station.user = Some(user);
                station.locked = false;
                station.refused = None;
                station.last_input = Some(Instant::now());
            }
            Reply::SignedIn(Err(e)) => {
                station.refused = Some(e.to_string());
                station.focus_password = true;
            }
            _ => {}
        }
    }

    /// The sign-in screen, or the lock screen, over everything (opaque: no patient data
    /// shows while no one is signed in).
    pub(super) fn sign_in_ui(&mut self, ctx: &egui::Context) {
        if !self.workstation.blocks() {
            return;
        }
        let station = &mut self.workstation;
        let locked_user = station.user.clone().filter(|_| station.locked);
        let mut submit = false;
        let mut someone_else = false;
        let waiting = self.clinic.waiting > 0;
        let backdrop = ctx.style_of(ctx.theme()).visuals.panel_fill;
        egui::Modal::new(egui::Id::unique("sign-in"))
            .backdrop_color(backdrop)
            .show(ctx, |ui| {
                ui.set_max_width(460.0);
                match &locked_user {
                    Some(user) => {
                        ui.heading("Workstation locked");
                        ui.label(format!(
                            "Locked for {} ({}). Everything stays open: enter the password to go on.",
                            user.full_name,
                            user.role.as_str()
                        ));
                    }
                    None => {
                        ui.heading("Sign in to ketaplan");
                        ui.label("This clinic's ketaplan needs you to sign in.");
                        ui.horizontal(|ui| {
                            let label = ui.label("Login");
                            let field = ui
                                .add(
                                    egui::TextEdit::singleline(&mut station.typed_login)
                                        .desired_width(220.0),
                                )
                                .labelled_by(label.id);
                            if !station.focused {
                                field.request_focus();
                                station.focused = true;
                            }
                        });
                    }
                }
                if let Some(why) = &station.refused {
                    ui.colored_label(
                        crate::ui::theme::on(ui, crate::ui::theme::AVOID),
                        format!("Not signed in: {why}"),
                    );
                }
                let grab = (locked_user.is_some() && !station.focused) || station.focus_password;
                if grab {
                    station.focused = true;
                    station.focus_password = false;
                }
                submit |= crate::ui::widgets::password::password_row_ui(
                    ui,
                    "Password",
                    &mut station.typed_password,
                    grab,
                );
                ui.horizontal(|ui| {
                    let verb = if locked_user.is_some() { "Unlock" } else { "Sign in" };
                    submit |= ui.add_enabled(!waiting, egui::Button::new(verb)).clicked();
                    if locked_user.is_some() {
                        someone_else = ui.button("Sign in as someone else").clicked();
                    }
                });
            });
        if someone_else {
            station.user = None;
            station.locked = false;
            station.typed_login.clear();
            station.typed_password.clear();
            station.refused = None;
            station.focused = false;
            return;
        }
        let login = match &locked_user {
            Some(user) => user.login.clone(),
            None => station.typed_login.trim().to_string(),
        };
        if submit && !login.is_empty() && !station.typed_password.is_empty() {
            let password = std::mem::take(&mut station.typed_password);
            let act = if locked_user.is_some() {
                "unlocked"
            } else {
                "signed in"
            };
            self.clinic_connect();
            self.clinic.send(
                Job::SignIn {
                    login,
                    password,
                    act,
                },
                ctx,
            );
        }
    }
}
