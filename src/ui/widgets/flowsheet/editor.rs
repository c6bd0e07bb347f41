//! The flowsheet editor (egui): the rows every 15 minutes, the bolus given, rescue drugs and
//! adverse effects, and the buttons that record them and fill what was given.

use super::{Flowsheet, ROW_EVERY_MINUTES, RescueRow};
use crate::domain::course::Session;
use crate::ui::theme;
use chrono::{NaiveTime, Timelike};
use egui::{RichText, Ui};

/// A text entry whose accessible name is `name` (rows share column headers).
pub fn cell_ui(ui: &mut Ui, text: &mut String, width: f32, name: &str) -> egui::Response {
    // A fixed size: inside a grid the column would otherwise keep its header's width.
    let height = ui.spacing().interact_size.y;
    let r = ui.add_sized([width, height], egui::TextEdit::singleline(text));
    let name = name.to_string();
    r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, name.clone()));
    r
}

/// The part of the flowsheet editor that has keyboard focus: edits there are recorded on
/// the session (one audit entry) once focus leaves it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BedsidePart {
    Row(usize),
    Rescue(usize),
    AdverseEffects,
}

/// What happened in the flowsheet editor this frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FlowsheetEvents {
    /// "Fill what was given" was pressed.
    pub fill: bool,
    /// Record the edits now: "Record" pressed, or a row added or removed.
    pub record: bool,
    /// The part being edited (has keyboard focus), if any.
    pub focused: Option<BedsidePart>,
}

/// The flowsheet editor: rows, rescue drugs, adverse effects.
pub fn flowsheet_ui(
    ui: &mut Ui,
    sheet: &mut Flowsheet,
    session: &Session,
    limits: &crate::domain::protocol::VitalLimits,
) -> FlowsheetEvents {
    let mut events = FlowsheetEvents::default();
    let columns: [(&str, f32); 10] = [
        ("Time", 60.0),
        ("Rate mg/h", 64.0),
        // Wide enough for "190/115" focused or not.
        ("BP", 84.0),
        ("HR", 40.0),
        ("RR", 40.0),
        ("SpO2 %", 44.0),
        ("Sedation", 56.0),
        ("Pain", 40.0),
        ("Initials", 52.0),
        ("Note", 200.0),
    ];
    ui.label(
        RichText::new(format!(
            "A row every {ROW_EVERY_MINUTES} minutes. Each row's rate runs until the next row; the last row is the latest (or stop) time, rate 0 when stopped."
        ))
        .color(theme::on(ui, theme::MUTED)),
    );
    let mut remove = None;
    egui::Grid::new(("flowsheet", session.id))
        .striped(true)
        .spacing([6.0, 4.0])
        .show(ui, |ui| {
            for (name, _) in columns {
                ui.label(RichText::new(name).strong());
            }
            ui.label("");
            ui.end_row();
            for (i, row) in sheet.rows.iter_mut().enumerate() {
                let n = i + 1;
                let fields: [&mut String; 10] = [
                    &mut row.time,
                    &mut row.rate_mg_per_h,
                    &mut row.bp,
                    &mut row.hr,
                    &mut row.rr,
                    &mut row.spo2,
                    &mut row.sedation,
                    &mut row.pain,
                    &mut row.initials,
                    &mut row.note,
                ];
                for (field, (name, width)) in fields.into_iter().zip(columns) {
                    let r = cell_ui(ui, field, width, &format!("Row {n} {name}"));
                    if r.has_focus() {
                        events.focused = Some(BedsidePart::Row(i));
                    }
                }
                if ui
                    .small_button("Remove")
                    .on_hover_text(format!("Remove row {n}"))
                    .clicked()
                {
                    remove = Some(i);
                }
                // Values past the order's stop criteria, named in the row.
                let flags = crate::domain::vital_limits::row_flags(limits, row);
                if !flags.is_empty() {
                    let text = format!("Past the stop criteria: {}", flags.join("; "));
                    theme::icon_text_ui(
                        ui,
                        theme::ICON_STOP,
                        theme::STOP,
                        RichText::new(&text).strong(),
                    );
                }
                ui.end_row();
            }
        });
    if let Some(i) = remove {
        sheet.rows.remove(i);
        events.record = true;
    }
    if ui
        .button("Add row")
        .on_hover_text(format!(
            "A row {ROW_EVERY_MINUTES} minutes after the last, rate and initials carried on"
        ))
        .clicked()
    {
        let start = session.started_at.time();
        let start = NaiveTime::from_hms_opt(start.hour(), start.minute(), 0).unwrap_or(start);
        sheet.add_row(start);
        events.record = true;
    }

    ui.add_space(theme::SPACE);
    ui.horizontal(|ui| {
        ui.label(RichText::new("Bolus given").strong());
        let mg = cell_ui(ui, &mut sheet.bolus_mg, 64.0, "Bolus given (mg)");
        ui.label("mg at");
        let at = cell_ui(ui, &mut sheet.bolus_at, 52.0, "Bolus given at");
        if mg.has_focus() || at.has_focus() {
            events.focused = Some(BedsidePart::AdverseEffects);
        }
        ui.label(
            RichText::new("counted in what was given and the 12-month total")
                .color(theme::on(ui, theme::MUTED)),
        );
    });

    ui.add_space(theme::SPACE);
    ui.label(RichText::new("Rescue drugs").strong());
    let mut remove = None;
    egui::Grid::new(("rescue", session.id))
        .spacing([6.0, 4.0])
        .show(ui, |ui| {
            for (i, r) in sheet.rescue.iter_mut().enumerate() {
                let n = i + 1;
                let cells = [
                    cell_ui(ui, &mut r.time, 52.0, &format!("Rescue {n} time")),
                    cell_ui(ui, &mut r.drug, 160.0, &format!("Rescue {n} drug")),
                    cell_ui(ui, &mut r.dose, 100.0, &format!("Rescue {n} dose")),
                ];
                if cells.iter().any(egui::Response::has_focus) {
                    events.focused = Some(BedsidePart::Rescue(i));
                }
                if ui
                    .small_button("Remove")
                    .on_hover_text(format!("Remove rescue drug {n}"))
                    .clicked()
                {
                    remove = Some(i);
                }
                ui.end_row();
            }
        });
    if let Some(i) = remove {
        sheet.rescue.remove(i);
        events.record = true;
    }
    if ui.button("Add rescue drug").clicked() {
        sheet.rescue.push(RescueRow::default());
        events.record = true;
    }
    ui.add_space(theme::SPACE);
    let label = ui.label(RichText::new("Adverse effects (one a line)").strong());
    let effects = ui
        .add(
            egui::TextEdit::multiline(&mut sheet.adverse_effects)
                .desired_rows(2)
                .desired_width(480.0),
        )
        .labelled_by(label.id);
    if effects.has_focus() {
        events.focused = Some(BedsidePart::AdverseEffects);
    }
    ui.add_space(theme::SPACE);
    ui.horizontal(|ui| {
        events.record |= ui
            .button("Record the bedside entries")
            .on_hover_text("Edits are recorded on the session (audited) when you leave a row; this records them now")
            .clicked();
        events.fill = ui
            .button("Fill what was given from this record")
            .on_hover_text("mg = Σ rate × time to the next row; rate changes, rescue drugs and adverse effects are copied")
            .clicked();
    });
    events
}
