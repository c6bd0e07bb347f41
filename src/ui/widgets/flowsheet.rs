//! The bedside record of one session: a row every 15 minutes (time, rate, BP, HR, RR, SpO2,
//! sedation, pain, initials), rescue drugs and adverse effects. It fills the session's
//! "what was given" (mg = Σ rate × interval) and prints as a monitoring chart.

mod editor;

pub use editor::{BedsidePart, FlowsheetEvents, cell_ui, flowsheet_ui};

use crate::domain::course::{BedsideRecord, Given, RescueGiven};
use crate::domain::flowsheet::parse_time;
use crate::domain::units::Kilograms;
use crate::order::format;
use chrono::NaiveTime;
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
    /// carried over. Errors name the row. The arithmetic is the engine's
    /// ([`crate::domain::flowsheet::given`]).
    pub fn given(&self, dosing_weight: Kilograms) -> Result<Given, Vec<String>> {
        crate::domain::flowsheet::given(&self.to_bedside(), dosing_weight)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
