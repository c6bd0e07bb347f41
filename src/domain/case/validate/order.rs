//! The case's order: written reasons for [avoid] findings and soft alerts, identifiers,
//! names and dates for the printed sheet, and the attestations.

use super::reader::{Validator, fmt_num, type_name};
use crate::domain::case::order_fields;
use crate::domain::case::{Attestations, OrderInfo, parse_date};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

impl Validator<'_> {
    pub(super) fn justifications(
        &mut self,
        map: &Map<String, Value>,
    ) -> Option<BTreeMap<String, String>> {
        let Some(value) = Self::field(map, "justifications") else {
            return Some(BTreeMap::new());
        };
        let Value::Object(entries) = value else {
            self.error(
                "justifications",
                format!(
                    "must be a map from finding code to reason, not {}",
                    type_name(value)
                ),
            );
            return None;
        };
        let min = self.pack.input_limits.justification_min_chars.value;
        let mut out = BTreeMap::new();
        let mut ok = true;
        for (code, text) in entries {
            let path = format!("justifications.{code}");
            if text.is_null() {
                continue;
            }
            let Some(text) = self.text(&path, text) else {
                ok = false;
                continue;
            };
            if (text.trim().chars().count() as f64) < min {
                self.error(
                    &path,
                    format!("a reason must be at least {} characters long", fmt_num(min)),
                );
                ok = false;
                continue;
            }
            let errors = order_fields::reason_errors(self.pack, &text);
            if !errors.is_empty() {
                for e in errors {
                    self.error(&path, e);
                }
                ok = false;
                continue;
            }
            out.insert(code.clone(), text);
        }
        ok.then_some(out)
    }

    pub(super) fn order(&mut self, value: &Value) -> Option<OrderInfo> {
        let map = self.object(
            "order",
            value,
            &[
                "patient_name",
                "mrn",
                "date_of_birth",
                "weighed_on",
                "allergies",
                "prescriber",
                "clinic",
                "clinic_phone",
                "order_number",
                "supervising_physician_name",
                "administering_clinician_name",
                "airway_clinician_name",
                "attest",
            ],
        )?;
        let mut ok = true;
        let mut text = |v: &mut Self, key: &str, is_date: bool| -> Option<String> {
            let value = Self::field(map, key)?;
            let path = format!("order.{key}");
            let s = v.text(&path, value);
            match &s {
                None => ok = false,
                Some(s) if is_date && parse_date(s).is_none() => {
                    v.error(
                        &path,
                        format!("must be a date written YYYY-MM-DD, not \"{s}\""),
                    );
                    ok = false;
                }
                Some(s) => {
                    let errors = order_fields::order_field_errors(v.pack, key, s);
                    ok &= errors.is_empty();
                    for e in errors {
                        v.error(&path, e);
                    }
                }
            }
            s
        };
        let info = OrderInfo {
            patient_name: text(self, "patient_name", false),
            mrn: text(self, "mrn", false),
            date_of_birth: text(self, "date_of_birth", true),
            weighed_on: text(self, "weighed_on", true),
            allergies: text(self, "allergies", false),
            prescriber: text(self, "prescriber", false),
            clinic: text(self, "clinic", false),
            clinic_phone: text(self, "clinic_phone", false),
            order_number: text(self, "order_number", false),
            supervising_physician_name: text(self, "supervising_physician_name", false),
            administering_clinician_name: text(self, "administering_clinician_name", false),
            airway_clinician_name: text(self, "airway_clinician_name", false),
            attest: None,
        };
        let attest = match Self::field(map, "attest") {
            Some(a) => self.attest(a),
            None => Some(Attestations::default()),
        };
        let attest = attest?;
        ok.then_some(OrderInfo {
            attest: Some(attest),
            ..info
        })
    }

    fn attest(&mut self, value: &Value) -> Option<Attestations> {
        let map = self.object(
            "order.attest",
            value,
            &[
                "supervising_physician",
                "administering_clinician",
                "resuscitation_ready",
                "airway_clinician_available",
            ],
        )?;
        let mut ok = true;
        let mut flag = |v: &mut Self, key: &str| -> Option<bool> {
            let value = Self::field(map, key)?;
            let r = v.boolean(&format!("order.attest.{key}"), value);
            if r.is_none() {
                ok = false;
            }
            r
        };
        let a = Attestations {
            supervising_physician: flag(self, "supervising_physician"),
            administering_clinician: flag(self, "administering_clinician"),
            resuscitation_ready: flag(self, "resuscitation_ready"),
            airway_clinician_available: flag(self, "airway_clinician_available"),
        };
        ok.then_some(a)
    }
}
