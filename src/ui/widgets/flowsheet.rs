//! The bedside record of one session: a row every 15 minutes (time, rate, BP, HR, RR, SpO2,
//! sedation, pain, initials), rescue drugs and adverse effects. It fills the session's
//! "what was given" (mg = Σ rate × interval) and prints as a monitoring chart.

use crate::domain::course::{BedsideRecord, Given, RateChange, RescueGiven, Session};
use crate::domain::units::{Hours, Kilograms, MgPerHour, Milligrams, cmp_value};
use crate::order::format;
use crate::ui::theme;
use chrono::{NaiveTime, Timelike};
use egui::{RichText, Ui};
use serde::{Deserialize, Serialize};

/// Minutes between rows on the bedside record.
pub const ROW_EVERY_MINUTES: i64 = 15;

/// A flowsheet row is the engine's own type: the editor keeps cells exactly as the
/// session stores them, so nothing is converted on the way in or out.
pub use crate::domain::course::FlowsheetRow as FlowRow;

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct RescueRow {
    pub time: String,
    pub drug: String,
    pub dose: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Flowsheet {
    pub rows: Vec<FlowRow>,
    pub rescue: Vec<RescueRow>,
    /// One adverse effect a line.
    pub adverse_effects: String,
    /// The bolus given (mg, as typed) and when; counted in what was given.
    pub bolus_mg: String,
    pub bolus_at: String,
}

fn parse_time(text: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(text.trim(), "%H:%M").ok()
}

fn parse_rate(text: &str) -> Option<f64> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite() && *x >= 0.0)
}

impl Flowsheet {
    /// The editor's copy of a session's bedside record (empty when there is none).
    pub fn from_bedside(record: Option<&BedsideRecord>) -> Flowsheet {
        let Some(record) = record else {
            return Flowsheet::default();
        };
        Flowsheet {
            rows: record.rows.clone(),
            rescue: record
                .rescue
                .iter()
                .map(|r| RescueRow {
                    time: r.at.clone(),
                    drug: r.drug.clone(),
                    dose: r.dose.clone(),
                })
                .collect(),
            adverse_effects: record.adverse_effects.clone(),
            bolus_mg: record.bolus_mg.clone(),
            bolus_at: record.bolus_at.clone(),
        }
    }

    /// The record as the session keeps it: every cell exactly as typed.
    pub fn to_bedside(&self) -> BedsideRecord {
        BedsideRecord {
            rows: self.rows.clone(),
            rescue: self
                .rescue
                .iter()
                .map(|r| RescueGiven {
                    at: r.time.clone(),
                    drug: r.drug.clone(),
                    dose: r.dose.clone(),
                })
                .collect(),
            adverse_effects: self.adverse_effects.clone(),
            bolus_mg: self.bolus_mg.clone(),
            bolus_at: self.bolus_at.clone(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
            && self.rescue.is_empty()
            && self.adverse_effects.trim().is_empty()
            && self.bolus_mg.trim().is_empty()
    }

    /// A new row 15 minutes after the last (rate and initials carried on), or at `start`.
    pub fn add_row(&mut self, start: NaiveTime) {
        let row = match self.rows.last() {
            Some(last) => FlowRow {
                time: parse_time(&last.time)
                    .map(|t| t + chrono::Duration::minutes(ROW_EVERY_MINUTES))
                    .map(format::time_24h)
                    .unwrap_or_default(),
                rate_mg_per_h: last.rate_mg_per_h.clone(),
                initials: last.initials.clone(),
                ..FlowRow::default()
            },
            None => FlowRow {
                time: format::time_24h(start),
                ..FlowRow::default()
            },
        };
        self.rows.push(row);
    }

    /// What was given, from the rows: each row's rate runs until the next row's time (the
    /// last row marks the end; past midnight counts on). Rate changes and rescue drugs are
    /// carried over. Errors name the row.
    pub fn given(&self, dosing_weight: Kilograms) -> Result<Given, Vec<String>> {
        let mut errors = Vec::new();
        if self.rows.len() < 2 {
            errors.push(
                "At least two rows are needed: the start and the latest (or stop) time.".into(),
            );
        }
        // The bolus counts in what was given (and so in the 12-month total).
        let bolus_mg = match self.bolus_mg.trim() {
            "" => 0.0,
            text => match parse_rate(text) {
                Some(mg) => mg,
                None => {
                    errors.push("Bolus given: must be a number of mg, 0 or more.".into());
                    0.0
                }
            },
        };
        if !self.bolus_mg.trim().is_empty() && parse_time(&self.bolus_at).is_none() {
            errors.push("Bolus given at: the time must be HH:MM (24-hour).".into());
        }
        let mut parsed = Vec::new();
        for (i, row) in self.rows.iter().enumerate() {
            let time = parse_time(&row.time);
            let rate = parse_rate(&row.rate_mg_per_h);
            if time.is_none() {
                errors.push(format!("Row {}: time must be HH:MM (24-hour).", i + 1));
            }
            if rate.is_none() {
                errors.push(format!(
                    "Row {}: rate must be a number of mg/h, 0 or more.",
                    i + 1
                ));
            }
            if let (Some(t), Some(r)) = (time, rate) {
                parsed.push((t, r, row));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut total = Milligrams(0.0);
        let mut running = Hours(0.0);
        let mut rate_changes = Vec::new();
        for (i, pair) in parsed.windows(2).enumerate() {
            let (t0, rate, _) = pair[0];
            let (t1, _, _) = pair[1];
            let mut minutes = (t1 - t0).num_minutes();
            if minutes < 0 {
                // Past midnight.
                minutes += 24 * 60;
            }
            if minutes == 0 || minutes > 12 * 60 {
                errors.push(format!(
                    "Row {}: the time {} does not follow {} (rows go forward in time).",
                    i + 2,
                    format::time_24h(t1),
                    format::time_24h(t0)
                ));
                continue;
            }
            let interval = Hours(minutes as f64 / 60.0);
            total = total + MgPerHour(rate).over(interval);
            if rate > 0.0 {
                running = Hours(running.0 + interval.0);
            }
        }
        for pair in parsed.windows(2) {
            let (_, before, _) = pair[0];
            let (t, after, row) = pair[1];
            if cmp_value(before) != cmp_value(after) {
                rate_changes.push(RateChange {
                    at: format::time_24h(t),
                    mg_per_kg_per_h: cmp_value(MgPerHour(after).per_weight(dosing_weight).value()),
                    reason: row.note.trim().to_string(),
                });
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let rescue_given = self
            .rescue
            .iter()
            .filter(|r| !r.drug.trim().is_empty())
            .map(|r| RescueGiven {
                at: r.time.trim().to_string(),
                drug: r.drug.trim().to_string(),
                dose: r.dose.trim().to_string(),
            })
            .collect();
        let adverse_effects = self
            .adverse_effects
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect();
        Ok(Given {
            total_mg: cmp_value(total.value() + bolus_mg),
            infusion_hours: cmp_value(running.value()),
            rate_changes,
            adverse_effects,
            rescue_given,
        })
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    fn row(time: &str, rate: &str) -> FlowRow {
        FlowRow {
            time: time.into(),
            rate_mg_per_h: rate.into(),
            ..FlowRow::default()
        }
    }

    #[test]
    fn the_bolus_counts_in_what_was_given() {
        let mut sheet = Flowsheet {
            rows: vec![row("09:00", "40"), row("10:00", "0")],
            ..Flowsheet::default()
        };
        let without = sheet.given(Kilograms(80.0)).map(|g| g.total_mg);
        assert_eq!(without, Ok(40.0));
        sheet.bolus_mg = "8".into();
        sheet.bolus_at = "08:55".into();
        assert_eq!(sheet.given(Kilograms(80.0)).map(|g| g.total_mg), Ok(48.0));
        sheet.bolus_at = "soon".into();
        assert!(sheet.given(Kilograms(80.0)).is_err());
        sheet.bolus_at = "08:55".into();
        sheet.bolus_mg = "-1".into();
        assert!(sheet.given(Kilograms(80.0)).is_err());
    }

    #[test]
    fn mg_is_rate_times_interval() {
        let sheet = Flowsheet {
            rows: vec![
                row("09:30", "40"),
                row("09:45", "40"),
                row("10:00", "20"),
                row("10:30", "0"),
            ],
            ..Flowsheet::default()
        };
        let given = sheet.given(Kilograms(80.0)).unwrap_or_default();
        // 40 mg/h × 0.5 h + 20 mg/h × 0.5 h = 30 mg over 1 h.
        assert_eq!(given.total_mg, 30.0);
        assert_eq!(given.infusion_hours, 1.0);
        assert_eq!(given.rate_changes.len(), 2);
        assert_eq!(given.rate_changes[0].at, "10:00");
        assert_eq!(given.rate_changes[0].mg_per_kg_per_h, 0.25);
    }

    #[test]
    fn midnight_counts_on_and_bad_rows_are_named() {
        let sheet = Flowsheet {
            rows: vec![row("23:30", "10"), row("00:30", "0")],
            ..Flowsheet::default()
        };
        assert_eq!(sheet.given(Kilograms(70.0)).map(|g| g.total_mg), Ok(10.0));
        let bad = Flowsheet {
            rows: vec![row("9h", "10"), row("10:00", "x")],
            ..Flowsheet::default()
        };
        let errors = bad.given(Kilograms(70.0)).err().unwrap_or_default();
        assert!(errors.iter().any(|e| e.starts_with("Row 1: time")));
        assert!(errors.iter().any(|e| e.starts_with("Row 2: rate")));
    }

    #[test]
    fn a_new_row_comes_15_minutes_later_with_the_rate() {
        let mut sheet = Flowsheet::default();
        sheet.add_row(NaiveTime::from_hms_opt(9, 30, 0).unwrap_or_default());
        sheet.rows[0].rate_mg_per_h = "40".into();
        sheet.add_row(NaiveTime::MIN);
        assert_eq!(sheet.rows[1].time, "09:45");
        assert_eq!(sheet.rows[1].rate_mg_per_h, "40");
    }
}
