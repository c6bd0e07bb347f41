//! The app's side of the clinic database: which database (KETAPLAN_DB, else the
//! preference, else `clinic.db` in the data folder), the Patients page's actions, saves and
//! reloads of a course opened from it, and the replies of its worker thread.

use super::KetaplanApp;
use crate::store::db::{DbError, DbUrl};
use crate::ui::actions::View;
use crate::ui::clinic_desk::{Job, Reach, Reply};
use crate::ui::pages::patients::PatientsAction;

/// Why a course is being read: to open it, or again after a conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Opening {
    #[default]
    Open,
    ReloadKeepingEdits,
}

/// Who the clinic database's audit trail names (the signed-in user from step 12).
pub(super) fn workstation_user() -> String {
    crate::store::db::login_name().unwrap_or_else(|| "unknown".into())
}

impl KetaplanApp {
    /// Use this clinic database whatever the environment and preferences say (tests,
    /// and a workstation started for one database).
    pub fn set_clinic_database(&mut self, url: DbUrl) {
        self.clinic_fixed = Some(url);
    }

    /// The clinic database the app uses now, if any.
    pub fn clinic_database_url(&self) -> Result<Option<DbUrl>, String> {
        match self.chosen_clinic_database() {
            Some(chosen) => chosen.map(Some),
            None => Ok(self.data_dir.as_deref().map(DbUrl::default_in)),
        }
    }

    /// The clinic database chosen explicitly (fixed, `KETAPLAN_DB`, else the preference);
    /// `None` when none is, and the app's own `clinic.db` serves.
    pub(super) fn chosen_clinic_database(&self) -> Option<Result<DbUrl, String>> {
        if let Some(url) = &self.clinic_fixed {
            return Some(Ok(url.clone()));
        }
        let chosen = std::env::var("KETAPLAN_DB")
            .ok()
            .filter(|v| !v.trim().is_empty())
            .or_else(|| self.prefs.clinic_database.clone())?;
        if let Some(text) = &self.prefs.clinic_database
            && let Err(e) = crate::ui::pages::preferences::clinic_url_problem(text)
        {
            return Some(Err(format!("Preferences → Clinic database: {e}")));
        }
        Some(DbUrl::parse(&chosen))
    }

    /// Point the desk at the database of the environment or preferences.
    pub(super) fn clinic_connect(&mut self) {
        match self.clinic_database_url() {
            Ok(Some(url)) => self.clinic.connect(url),
            Ok(None) => {}
            Err(e) => self.clinic.reach = Reach::Unreachable(e),
        }
    }

    pub(super) fn patients_actions(&mut self, actions: Vec<PatientsAction>, ctx: &egui::Context) {
        // Drawn every frame: only a real request looks up the database.
        if actions.is_empty() {
            return;
        }
        self.clinic_connect();
        for action in actions {
            match action {
                PatientsAction::AskPassword => self.server_login_ask_again(),
                PatientsAction::Search(query) => {
                    self.clinic.send(Job::Search(query), ctx);
                }
                PatientsAction::RefreshCalls => {
                    if let Ok(protocol) = &self.protocol {
                        let job = Job::Calls(protocol.clone(), self.today);
                        self.clinic.send(job, ctx);
                    }
                }
                PatientsAction::Open(mrn) => {
                    if self.course.is_dirty() {
                        self.patients.notice =
                            Some((false, "Save the open course before opening another.".into()));
                    } else {
                        self.clinic_opening = Opening::Open;
                        self.clinic.send(Job::Open(mrn), ctx);
                    }
                }
                PatientsAction::Import(files) => {
                    if let Ok(protocol) = &self.protocol {
                        let job = Job::Import {
                            files,
                            protocol: protocol.clone(),
                            by: self.acting_user(),
                        };
                        self.clinic.send(job, ctx);
                    }
                }
            }
        }
    }

    /// Save the course opened from the clinic database back to it.
    pub(super) fn clinic_save_course(&mut self, ctx: &egui::Context) {
        let (Some(doc), Some(record)) = (self.course.doc.clone(), self.course.record.clone())
        else {
            return;
        };
        self.clinic_connect();
        let job = Job::Save {
            doc: Box::new(doc),
            based_on: Some(record.version),
            by: self.acting_user(),
        };
        if !self.clinic.send(job, ctx) {
            let reason = match &self.clinic.reach {
                Reach::Unreachable(r) => r.clone(),
                _ => "the clinic database is not available".into(),
            };
            self.course
                .clinic_save_failed(format!("Not saved: {reason}"), false);
        }
    }

    /// Read the stored course again, keeping the unsaved edits.
    pub(super) fn clinic_reload_course(&mut self, ctx: &egui::Context) {
        if let Some(record) = self.course.record.clone() {
            self.clinic_connect();
            self.clinic_opening = Opening::ReloadKeepingEdits;
            self.clinic.send(Job::Open(record.mrn), ctx);
        }
    }

    /// Apply what the clinic database answered since the last frame.
    pub(super) fn clinic_tick(&mut self) {
        for reply in self.clinic.poll() {
            match reply {
                // Reaching the server (or its asking for a password) is in `reach`.
                Reply::Pinged(_) => {}
                reply @ (Reply::Ledger(_) | Reply::Recorded(_)) => self.clinic_ledger_reply(reply),
                reply @ (Reply::Users(_) | Reply::SignedIn(_)) => self.sign_in_reply(reply),
                Reply::Patients(Ok(list)) => self.patients.patients = list,
                Reply::Calls(Ok(list)) => self.patients.calls = Some(list),
                Reply::Patients(Err(e)) | Reply::Calls(Err(e)) => {
                    self.patients.notice = Some((false, e.to_string()));
                }
                Reply::Opened(Ok((doc, version, zone))) => match self.clinic_opening {
                    Opening::Open => {
                        self.course.open_record(doc, version, zone);
                        self.view = View::Course;
                    }
                    Opening::ReloadKeepingEdits => self.course.reload_keeping_edits(doc, version),
                },
                Reply::Opened(Err(e)) => {
                    self.patients.notice = Some((false, e.to_string()));
                    if self.clinic_opening == Opening::ReloadKeepingEdits {
                        self.course.clinic_save_failed(e.to_string(), false);
                    }
                }
                Reply::Saved(Ok(version)) => self.course.clinic_saved(version),
                Reply::Saved(Err(e)) => {
                    // A conflict says itself that nothing was saved.
                    let conflict = matches!(e, DbError::Conflict(_));
                    let message = if conflict {
                        e.to_string()
                    } else {
                        format!("Not saved: {e}")
                    };
                    self.course.clinic_save_failed(message, conflict);
                }
                Reply::Imported(outcomes) => {
                    let lines: Vec<String> = outcomes
                        .iter()
                        .map(|(file, outcome)| match outcome {
                            Ok(o) => format!(
                                "{}: MRN {}, {} sessions added ({} in all)",
                                file.display(),
                                o.mrn,
                                o.sessions_added,
                                o.sessions_total
                            ),
                            Err(e) => format!("{}: not imported: {e}", file.display()),
                        })
                        .collect();
                    let all_ok = outcomes.iter().all(|(_, o)| o.is_ok());
                    self.patients.notice = Some((all_ok, lines.join("\n")));
                    // The lists now include what was imported.
                    self.patients.searched = None;
                    self.patients.calls = None;
                }
            }
        }
    }
}
