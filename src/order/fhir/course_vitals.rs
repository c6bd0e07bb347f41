//! The Observations of a session: each charted vital sign and pain score of the flowsheet
//! (LOINC, UCUM), and the pain scores before and after that the follow-up recorded.

use super::course::{SessionOut, category, vital_signs};
use super::ids;
use super::resources::{
    Annotation, CodeableConcept, Component, Entry, LOINC, Observation, Quantity, Reference,
    Resource,
};
use crate::domain::course::FlowsheetRow;
use crate::order::format as f;
use chrono::NaiveDateTime;

/// A flowsheet vital sign: its LOINC code and name, the column's heading and its UCUM unit.
struct Vital {
    loinc: &'static str,
    name: &'static str,
    column: &'static str,
    ucum: &'static str,
}

const HEART_RATE: Vital = Vital {
    loinc: "8867-4",
    name: "Heart rate",
    column: "HR",
    ucum: "/min",
};
const RESPIRATORY_RATE: Vital = Vital {
    loinc: "9279-1",
    name: "Respiratory rate",
    column: "RR",
    ucum: "/min",
};
const SPO2: Vital = Vital {
    loinc: "59408-5",
    name: "Oxygen saturation in Arterial blood by Pulse oximetry",
    column: "SpO2",
    ucum: "%",
};
const PAIN: Vital = Vital {
    loinc: "72514-3",
    name: "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
    column: "Pain",
    ucum: "{score}",
};

/// One Observation to add: what identifies it within the session, and its content.
struct Obs {
    key: Vec<String>,
    code: CodeableConcept,
    category: CodeableConcept,
    at: Option<String>,
    value: Option<Quantity>,
    component: Vec<Component>,
    note: Option<String>,
}

fn pain_code() -> CodeableConcept {
    CodeableConcept::coded(LOINC, PAIN.loinc, PAIN.name)
}

fn survey() -> CodeableConcept {
    category("survey", "Survey")
}

impl SessionOut<'_, '_> {
    fn add(&mut self, obs: Obs) {
        let key: Vec<&str> = obs.key.iter().map(String::as_str).collect();
        let full_url = self.url(&key);
        self.entries.push(Entry {
            resource: Resource::Observation(Box::new(Observation {
                id: ids::id_of(&full_url),
                status: "final",
                category: vec![obs.category],
                code: obs.code,
                subject: Reference::to(self.patient_url),
                effective_date_time: obs.at,
                value_quantity: obs.value,
                component: obs.component,
                note: obs
                    .note
                    .into_iter()
                    .map(|text| Annotation { text })
                    .collect(),
            })),
            full_url,
        });
    }

    /// A charted number, or an error naming the cell; `None` for an empty cell too.
    fn number(&mut self, stamp: &str, column: &str, text: &str, max: Option<f64>) -> Option<f64> {
        let t = text.trim().trim_end_matches('%').trim();
        if t.is_empty() {
            return None;
        }
        let value = t.parse::<f64>().ok().filter(|v| v.is_finite() && *v >= 0.0);
        if let Some(v) = value
            && max.is_none_or(|m| v <= m)
        {
            return Some(v);
        }
        let range = max.map_or("0 or more".to_string(), |m| {
            format!("from 0 to {}", f::number(m))
        });
        self.errors.push(format!(
            "{}, flowsheet row {stamp}: {column} {:?} is not a number {range}",
            self.name(),
            text.trim()
        ));
        None
    }

    /// Every value charted on one flowsheet row (its number in the session names the
    /// entries: two rows may be charted at the same minute).
    pub(super) fn vitals(&mut self, row_number: usize, at: NaiveDateTime, row: &FlowsheetRow) {
        let stamp = at.format("%H:%M").to_string();
        let row_key = format!("row {row_number}");
        let pain_max = self.x.protocol.pack.input_limits.pain_score_max.value;
        for (vital, text) in [
            (&HEART_RATE, &row.hr),
            (&RESPIRATORY_RATE, &row.rr),
            (&SPO2, &row.spo2),
            (&PAIN, &row.pain),
        ] {
            let is_pain = vital.loinc == PAIN.loinc;
            let Some(value) = self.number(&stamp, vital.column, text, is_pain.then_some(pain_max))
            else {
                continue;
            };
            let Some(when) = self.instant(at) else {
                continue;
            };
            self.add(Obs {
                key: vec![vital.loinc.into(), row_key.clone()],
                code: CodeableConcept::coded(LOINC, vital.loinc, vital.name),
                category: if is_pain { survey() } else { vital_signs() },
                at: Some(when),
                value: Some(Quantity::ucum(value, vital.ucum, vital.ucum)),
                component: Vec::new(),
                note: None,
            });
        }
        self.blood_pressure(at, &stamp, &row_key, &row.bp);
    }

    /// "120/80" as the blood pressure panel (85354-9) with systolic and diastolic parts.
    fn blood_pressure(&mut self, at: NaiveDateTime, stamp: &str, row_key: &str, text: &str) {
        if text.trim().is_empty() {
            return;
        }
        let Some((sys, dia)) = text.split_once('/') else {
            self.errors.push(format!(
                "{}, flowsheet row {stamp}: BP {:?} is not SYSTOLIC/DIASTOLIC in mmHg",
                self.name(),
                text.trim()
            ));
            return;
        };
        let sys = self.number(stamp, "BP systolic", sys, None);
        let dia = self.number(stamp, "BP diastolic", dia, None);
        let (Some(sys), Some(dia), Some(when)) = (sys, dia, self.instant(at)) else {
            return;
        };
        let part = |code, name, v| Component {
            code: CodeableConcept::coded(LOINC, code, name),
            value_quantity: Quantity::ucum(v, "mmHg", "mm[Hg]"),
        };
        self.add(Obs {
            key: vec!["85354-9".into(), row_key.to_string()],
            code: CodeableConcept::coded(
                LOINC,
                "85354-9",
                "Blood pressure panel with all children optional",
            ),
            category: vital_signs(),
            at: Some(when),
            value: None,
            component: vec![
                part("8480-6", "Systolic blood pressure", sys),
                part("8462-4", "Diastolic blood pressure", dia),
            ],
            note: None,
        });
    }

    /// The pain scores the follow-up recorded: before the session (at its start) and after.
    pub(super) fn follow_up_pain(&mut self) {
        let Some(fu) = &self.session.follow_up else {
            return;
        };
        let (before, after) = (fu.pain_before, fu.pain_after);
        let date = f::date(self.session.date());
        let score = |v| Some(Quantity::ucum(v, PAIN.ucum, PAIN.ucum));
        if let Some(v) = before
            && let Some(when) = self.instant(self.session.started_at)
        {
            self.add(Obs {
                key: vec!["pain-before".into()],
                code: pain_code(),
                category: survey(),
                at: Some(when),
                value: score(v),
                component: Vec::new(),
                note: Some(format!(
                    "Before the session of {date} (recorded at follow-up)"
                )),
            });
        }
        if let Some(v) = after {
            // The follow-up has no date of its own: the note says what it applies to.
            self.add(Obs {
                key: vec!["pain-after".into()],
                code: pain_code(),
                category: survey(),
                at: None,
                value: score(v),
                component: Vec::new(),
                note: Some(format!(
                    "After the session of {date} (recorded at follow-up)"
                )),
            });
        }
    }
}
