//! Preferences: defaults for new cases, look, and the protocol pack in use.

use crate::domain::Protocol;
use crate::order::format;
use crate::ui::actions::{Action, View};
use crate::ui::draft::WeightUnitChoice;
use crate::ui::pages::protocol_view::identity_ui;
use crate::ui::pages::{heading_ui, section_ui};
use crate::ui::prefs::{Preferences, ThemeChoice};
use crate::ui::theme;
use crate::ui::widgets::field::{choice_ui, row_label_ui};
use egui::{RichText, Ui};

/// What the preferences page shows besides the preferences themselves.
pub struct PrefsCtx<'a> {
    pub protocol: &'a Protocol,
    /// Why the last pack the user chose was refused.
    pub protocol_error: Option<&'a str>,
    pub recent_count: usize,
    pub zoom_factor: f32,
    /// The system's print service and its printers (for the printer choice).
    pub print_service: &'a crate::ui::order_export::PrintService,
}

pub fn ui(ui: &mut Ui, prefs: &mut Preferences, ctx: &PrefsCtx<'_>, actions: &mut Vec<Action>) {
    ui.horizontal(|ui| {
        if ui.button("Back to the case").clicked() {
            actions.push(Action::ShowView(View::Wizard));
        }
    });
    heading_ui(
        ui,
        "Preferences",
        "Defaults for new cases and how the app looks. Saved on this computer; no patient data is kept here.",
    );

    section_ui(ui, "New cases");
    ui.horizontal(|ui| {
        row_label_ui(ui, "Weight unit");
        choice_ui(ui, &mut prefs.weight_unit, WeightUnitChoice::Kg, "kg")
            .widget_info(|| choice_info("Weight unit kg", prefs_kg(prefs)));
        choice_ui(ui, &mut prefs.weight_unit, WeightUnitChoice::Lb, "lb")
            .widget_info(|| choice_info("Weight unit lb", !prefs_kg(prefs)));
    });
    ui.horizontal(|ui| {
        let label = row_label_ui(ui, "Concentration");
        let current = prefs
            .default_concentration_mg_per_ml
            .map_or_else(|| "None (choose per case)".to_string(), format::mg_per_ml);
        egui::ComboBox::from_id_salt("default-concentration")
            .selected_text(current)
            .width(260.0)
            .show_ui(ui, |ui| {
                ui.selectable_value(
                    &mut prefs.default_concentration_mg_per_ml,
                    None,
                    "None (choose per case)",
                );
                for c in &ctx.protocol.pack.concentrations {
                    ui.selectable_value(
                        &mut prefs.default_concentration_mg_per_ml,
                        Some(c.mg_per_ml),
                        format!("{} — {}", format::mg_per_ml(c.mg_per_ml), c.label),
                    );
                }
            })
            .response
            .labelled_by(label.id);
    });
    ui.horizontal(|ui| {
        let label = row_label_ui(ui, "Clinic name");
        ui.add(egui::TextEdit::singleline(&mut prefs.clinic_name).desired_width(260.0))
            .labelled_by(label.id);
    });
    ui.horizontal(|ui| {
        let label = row_label_ui(ui, "Clinic telephone");
        ui.add(egui::TextEdit::singleline(&mut prefs.clinic_phone).desired_width(260.0))
            .labelled_by(label.id);
    });

    section_ui(ui, "Clinic database");
    clinic_database_ui(ui, prefs);
    idle_lock_ui(ui, prefs);

    section_ui(ui, "Printing");
    printer_ui(ui, prefs, ctx, actions);

    section_ui(ui, "Look");
    ui.horizontal(|ui| {
        row_label_ui(ui, "Theme");
        choice_ui(ui, &mut prefs.theme, ThemeChoice::Light, "Light");
        choice_ui(ui, &mut prefs.theme, ThemeChoice::Dark, "Dark");
    });
    ui.horizontal(|ui| {
        row_label_ui(ui, "Zoom");
        if ui.button("Zoom out").on_hover_text("Ctrl −").clicked() {
            actions.push(Action::Zoom(-1));
        }
        ui.label(format!("{:.0} %", ctx.zoom_factor * 100.0));
        if ui.button("Zoom in").on_hover_text("Ctrl +").clicked() {
            actions.push(Action::Zoom(1));
        }
        if ui.button("Reset zoom").on_hover_text("Ctrl 0").clicked() {
            actions.push(Action::Zoom(0));
        }
    });

    section_ui(ui, "Files");
    ui.horizontal(|ui| {
        row_label_ui(ui, "Last folder");
        match &prefs.last_folder {
            Some(folder) => {
                ui.label(RichText::new(folder).monospace());
                if ui.button("Forget the last folder").clicked() {
                    actions.push(Action::ForgetLastFolder);
                }
            }
            None => {
                ui.label(RichText::new("none yet").color(theme::on(ui, theme::MUTED)));
            }
        }
    });
    ui.horizontal(|ui| {
        row_label_ui(ui, "Recent files");
        ui.label(format!("{} in the list", ctx.recent_count));
        if ctx.recent_count > 0 && ui.button("Clear the recent-files list").clicked() {
            actions.push(Action::ClearRecent);
        }
    });

    section_ui(ui, "Protocol pack");
    identity_ui(ui, ctx.protocol);
    if let Some(path) = &prefs.protocol_path {
        ui.label(RichText::new(format!("Loaded from {path}")).color(theme::on(ui, theme::MUTED)));
    }
    if let Some(error) = ctx.protocol_error {
        theme::icon_text_ui(
            ui,
            theme::ICON_ERROR,
            theme::STOP,
            RichText::new(format!(
                "The pack you chose was refused, and the pack above is still in use: {error}"
            )),
        );
    }
    ui.horizontal(|ui| {
        if ui.button("Use a clinic pack…").clicked() {
            actions.push(Action::PickProtocol);
        }
        if !ctx.protocol.built_in && ui.button("Use the built-in pack").clicked() {
            actions.push(Action::UseBuiltInProtocol);
        }
        if ui.button("View the protocol").clicked() {
            actions.push(Action::ShowView(View::Protocol));
        }
    });
}

/// The printer orders go to: the system default or one the print service lists.
fn printer_ui(ui: &mut Ui, prefs: &mut Preferences, ctx: &PrefsCtx<'_>, actions: &mut Vec<Action>) {
    use crate::ui::actions::OrderAction;
    use crate::ui::order_export::{NO_PRINT_SERVICE, PrintService};
    ui.horizontal(|ui| {
        let label = row_label_ui(ui, "Printer");
        match ctx.print_service {
            PrintService::Unknown | PrintService::Looking => {
                ui.spinner();
                ui.label("Looking for a print service…");
            }
            PrintService::None => {
                ui.label(RichText::new(NO_PRINT_SERVICE).color(theme::on(ui, theme::MUTED)));
            }
            PrintService::Available {
                printers, default, ..
            } => {
                let system = match default {
                    Some(d) => format!("System default ({d})"),
                    None => "System default (none set)".to_string(),
                };
                let current = prefs.printer.clone().unwrap_or_else(|| system.clone());
                egui::ComboBox::from_id_salt("printer")
                    .selected_text(current)
                    .width(260.0)
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut prefs.printer, None, system);
                        for p in printers {
                            ui.selectable_value(&mut prefs.printer, Some(p.clone()), p);
                        }
                        // A printer chosen earlier that is gone stays visible, marked.
                        if let Some(gone) = prefs.printer.clone().filter(|p| !printers.contains(p))
                        {
                            ui.selectable_value(
                                &mut prefs.printer,
                                Some(gone.clone()),
                                format!("{gone} (not available)"),
                            );
                        }
                    })
                    .response
                    .labelled_by(label.id);
            }
        }
        if ui
            .button("Look again")
            .on_hover_text("Look for the print service and its printers again")
            .clicked()
        {
            actions.push(Action::Order(OrderAction::RefreshPrinters));
        }
    });
    ui.horizontal(|ui| {
        row_label_ui(ui, "Paper");
        choice_ui(
            ui,
            &mut prefs.paper,
            crate::ui::prefs::PaperChoice::A4,
            "A4",
        );
        choice_ui(
            ui,
            &mut prefs.paper,
            crate::ui::prefs::PaperChoice::Letter,
            "US Letter",
        );
    });
}

fn prefs_kg(prefs: &Preferences) -> bool {
    prefs.weight_unit == WeightUnitChoice::Kg
}

fn choice_info(name: &str, selected: bool) -> egui::WidgetInfo {
    egui::WidgetInfo::selected(egui::Role::RadioButton, true, selected, name)
}

/// Where the shared record is: this computer's `clinic.db`, or the clinic's server.
/// The idle lock of a workstation where users sign in.
fn idle_lock_ui(ui: &mut Ui, prefs: &mut Preferences) {
    ui.horizontal(|ui| {
        let label = row_label_ui(ui, "Lock after idle");
        ui.add(
            egui::DragValue::new(&mut prefs.lock_after_minutes)
                .range(1..=crate::ui::prefs::LOCK_AFTER_MINUTES_MAX)
                .suffix(" min"),
        )
        .labelled_by(label.id);
    });
    ui.label(
        RichText::new(
            "When the clinic database has users, the workstation locks after this many minutes              without input and asks the password again; everything stays open.",
        )
        .color(theme::on(ui, theme::MUTED)),
    );
}

fn clinic_database_ui(ui: &mut Ui, prefs: &mut Preferences) {
    let mut on_server = prefs.clinic_database.is_some();
    ui.horizontal(|ui| {
        row_label_ui(ui, "Where");
        if ui
            .radio_value(&mut on_server, false, "This computer")
            .on_hover_text("clinic.db in the app's data folder (one workstation)")
            .clicked()
        {
            prefs.clinic_database = None;
        }
        if ui
            .radio_value(&mut on_server, true, "The clinic's server")
            .on_hover_text("PostgreSQL, shared by every workstation")
            .clicked()
            && prefs.clinic_database.is_none()
        {
            prefs.clinic_database = Some(String::new());
        }
    });
    if let Some(url) = &mut prefs.clinic_database {
        ui.horizontal(|ui| {
            let label = row_label_ui(ui, "Server URL");
            ui.add(
                egui::TextEdit::singleline(url)
                    .hint_text("postgres://USER@HOST:5432/ketaplan")
                    .desired_width(360.0),
            )
            .labelled_by(label.id);
        });
        if let Err(problem) = clinic_url_problem(url) {
            theme::icon_text_ui(ui, theme::ICON_ERROR, theme::STOP, RichText::new(problem));
        } else {
            ui.label(
                RichText::new(
                    "The password is never kept here: the server's usual places supply it \
                     (~/.pgpass or PGPASSWORD).",
                )
                .color(theme::on(ui, theme::MUTED)),
            );
        }
    }
}

/// Why a server URL typed in Preferences cannot be used (a password is refused: the
/// preferences file is not a place for secrets).
pub fn clinic_url_problem(url: &str) -> Result<(), String> {
    if url.trim().is_empty() {
        return Err(
            "Enter the server's URL, e.g. postgres://ketaplan@db.clinic:5432/ketaplan.".into(),
        );
    }
    if crate::store::db::redact(url) != url {
        return Err(
            "Remove the password from the URL: it would be stored in the preferences. Put it in ~/.pgpass instead."
                .into(),
        );
    }
    match crate::store::db::DbUrl::parse(url) {
        Ok(crate::store::db::DbUrl::Postgres { .. }) => Ok(()),
        Ok(_) => Err(
            "A server URL starts with postgres:// (this computer's database is the other choice)."
                .into(),
        ),
        Err(e) => Err(e),
    }
}
