//! The Patients page: the clinic database's patients (search by MRN or name, open a
//! course), the follow-up calls due across the whole clinic, and importing course files.

use crate::order::format;
use crate::store::db::{CallDueRow, PatientRow};
use crate::ui::clinic_desk::Reach;
use crate::ui::pages::section_ui;
use crate::ui::theme;
use egui::{RichText, Ui};
use std::path::PathBuf;

/// What the page shows, kept between frames.
#[derive(Debug, Clone, Default)]
pub struct PatientsState {
    pub search: String,
    /// The search the list below answers (None: not asked yet).
    pub searched: Option<String>,
    pub patients: Vec<PatientRow>,
    pub calls: Option<Vec<CallDueRow>>,
    /// A course file (or several, one per line) to import.
    pub import_path: String,
    /// The last outcome, shown under the heading.
    pub notice: Option<(bool, String)>,
}

/// What the page asks the app to do.
#[derive(Debug, Clone, PartialEq)]
pub enum PatientsAction {
    Search(String),
    Open(String),
    RefreshCalls,
    Import(Vec<PathBuf>),
    /// Ask for the clinic server's password again (after "Not now").
    AskPassword,
}

pub struct PatientsCtx<'a> {
    /// The database in use, for the heading (password never shown).
    pub database: Option<String>,
    pub reach: &'a Reach,
    pub waiting: bool,
    pub today: chrono::NaiveDate,
}

pub fn ui(
    ui: &mut Ui,
    state: &mut PatientsState,
    ctx: &PatientsCtx<'_>,
    actions: &mut Vec<PatientsAction>,
) {
    ui.heading("Patients");
    match &ctx.database {
        Some(db) => ui.label(
            RichText::new(format!("Clinic database: {db}")).color(theme::on(ui, theme::MUTED)),
        ),
        None => ui.label("No clinic database is set: choose one in Preferences."),
    };
    if let Reach::Unreachable(reason) = ctx.reach {
        theme::icon_text_ui(
            ui,
            theme::ICON_STOP,
            theme::STOP,
            RichText::new(format!(
                "The clinic database cannot be reached: {reason}. Nothing typed is lost; try again."
            )),
        );
    }
    if let Reach::NeedsPassword(reason) = ctx.reach {
        theme::icon_text_ui(
            ui,
            theme::ICON_STOP,
            theme::STOP,
            RichText::new(format!(
                "The clinic server asks for a password: {reason}. Nothing typed is lost."
            )),
        );
        if ui.button("Enter the server password…").clicked() {
            actions.push(PatientsAction::AskPassword);
        }
    }
    if let Some((ok, text)) = &state.notice {
        let (icon, color) = if *ok {
            (theme::ICON_OK, theme::OK)
        } else {
            (theme::ICON_STOP, theme::STOP)
        };
        theme::icon_text_ui(ui, icon, color, RichText::new(text));
    }
    if state.searched.is_none() {
        state.searched = Some(state.search.clone());
        actions.push(PatientsAction::Search(state.search.clone()));
    }
    if state.calls.is_none() && !ctx.waiting {
        state.calls = Some(Vec::new());
        actions.push(PatientsAction::RefreshCalls);
    }
    ui.horizontal(|ui| {
        let label = ui.label("Search patients by MRN or name");
        let entry = ui
            .add(egui::TextEdit::singleline(&mut state.search).desired_width(260.0))
            .labelled_by(label.id);
        let enter = entry.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if ui.button("Search").clicked() || enter || entry.changed() {
            state.searched = Some(state.search.clone());
            actions.push(PatientsAction::Search(state.search.clone()));
        }
        if ctx.waiting {
            ui.spinner();
        }
    });
    patients_ui(ui, state, actions);
    calls_ui(ui, state, ctx, actions);
    import_ui(ui, state, actions);
}

fn patients_ui(ui: &mut Ui, state: &PatientsState, actions: &mut Vec<PatientsAction>) {
    let heading = match state.searched.as_deref().map(str::trim) {
        Some(q) if !q.is_empty() => format!("Patients matching \u{201c}{q}\u{201d}"),
        _ => "Recently changed patients".to_string(),
    };
    section_ui(ui, &heading);
    if state.patients.is_empty() {
        ui.label("No patient found.");
        return;
    }
    egui::Grid::new("patients-found")
        .striped(true)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            for title in ["MRN", "Name", "Born", "Sessions", ""] {
                ui.label(RichText::new(title).strong());
            }
            ui.end_row();
            for p in &state.patients {
                ui.label(&p.mrn);
                ui.label(&p.patient_name);
                ui.label(p.date_of_birth.as_deref().unwrap_or("\u{2014}"));
                ui.label(crate::domain::number_format::number(p.sessions as f64));
                if ui
                    .button(format!("Open course of {}", p.mrn))
                    .on_hover_text("Open this patient's course in the Course view")
                    .clicked()
                {
                    actions.push(PatientsAction::Open(p.mrn.clone()));
                }
                ui.end_row();
            }
        });
}

fn calls_ui(
    ui: &mut Ui,
    state: &PatientsState,
    ctx: &PatientsCtx<'_>,
    actions: &mut Vec<PatientsAction>,
) {
    ui.horizontal(|ui| {
        section_ui(
            ui,
            &format!(
                "Follow-up calls due across the clinic on {}",
                format::date(ctx.today)
            ),
        );
        if ui.button("Read the calls again").clicked() {
            actions.push(PatientsAction::RefreshCalls);
        }
    });
    let calls = state.calls.as_deref().unwrap_or_default();
    if calls.is_empty() {
        theme::icon_text_ui(
            ui,
            theme::ICON_OK,
            theme::OK,
            RichText::new("No follow-up call is due."),
        );
        return;
    }
    egui::Grid::new("clinic-calls-due")
        .striped(true)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            for title in ["Due", "MRN", "Name", "Session", ""] {
                ui.label(RichText::new(title).strong());
            }
            ui.end_row();
            for call in calls {
                ui.label(&call.due_date);
                ui.label(&call.mrn);
                ui.label(&call.patient_name);
                ui.label(format!("{} ({})", call.session_id, call.session_date));
                if ui
                    .button(format!("Open course of {} for the call", call.mrn))
                    .clicked()
                {
                    actions.push(PatientsAction::Open(call.mrn.clone()));
                }
                ui.end_row();
            }
        });
}

fn import_ui(ui: &mut Ui, state: &mut PatientsState, actions: &mut Vec<PatientsAction>) {
    section_ui(ui, "Import course files");
    ui.label(
        "Course files (*.ketaplan) from before the clinic database: each file's patient and \
         sessions are added; what is already there is skipped, another patient under the same \
         MRN is refused.",
    );
    ui.horizontal(|ui| {
        let label = ui.label("Course files to import (one path per line)");
        ui.add(
            egui::TextEdit::multiline(&mut state.import_path)
                .desired_rows(2)
                .desired_width(420.0),
        )
        .labelled_by(label.id);
    });
    let files: Vec<PathBuf> = state
        .import_path
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(crate::ui::files::expand_home)
        .collect();
    if ui
        .add_enabled(!files.is_empty(), egui::Button::new("Import these files"))
        .clicked()
    {
        actions.push(PatientsAction::Import(files));
    }
}
